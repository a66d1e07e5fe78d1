"""Questions asked casually still reach the right passages, and an answer's first line is its answer sentence."""

from __future__ import annotations

import re

import pytest

from agents.librarian.answer import definition_pattern
from agents.librarian.corpus import ENV_VAR
from agents.librarian.phrasing import expand
from agents.librarian.text import stem
from agents.librarian.worker import SPEC
from agents.runtime.loop import AgentLoop, Answer
from agents.runtime.messages import WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox


@pytest.fixture(autouse=True)
def default_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.mark.parametrize(
    ("question", "best", "first_line"),
    [
        ("what's input-required for?", "tasks-and-states.md", "`input-required`: the agent paused because it needs"),
        ("how do I keep push notifications safe", "push-notifications.md § Push notifications > Security", None),
        (
            "how do i stop a task that's running",
            "reliability.md § Reliability: timeouts, retries and cancellation > Cancellation",
            None,
        ),
        ("When is it safe to retry a failed call?", "reliability.md", "Retry only what is safe to repeat."),
        ("what's an agent card", "agent-cards.md", "An agent card is the self-description an A2A agent publishes"),
        (
            "what happens if my connection drops while streaming",
            "streaming.md § Streaming updates > Reconnecting",
            None,
        ),
        ("how should workers get stuff from earlier steps", "context-routing-and-synthesis.md", None),
        ("what's the deal with prompt injection", "security.md", "Prompt injection is an attack in which text"),
        ("what does the rejected state mean in A2A?", "tasks-and-states.md", "`rejected`: the agent decided not to"),
        (
            "difference between artifacts and messages?",
            "artifacts.md",
            "Where messages are the conversation around the work",
        ),
        ("can I send files to an agent", "messages-and-parts.md", None),
        (
            "why not just pick workers by url",
            "orchestrator-worker.md",
            "Selection should pick skills, never raw addresses.",
        ),
        ("how big can a message be", "messages-and-parts.md § Messages and parts > Size limits", None),
        ("how do agents prove who they are", "security.md § Agent security > Authentication", None),
        (
            "For a piece I'm writing on AI agents: where exactly does an A2A agent publish its agent card?",
            "agent-cards.md § Agent cards > Where a card lives",
            "A server makes its card available over plain HTTP at a well-known path",
        ),
        (
            "our webhook receiver sometimes gets the same push notification twice. is that expected?",
            "push-notifications.md",
            "A receiver should be idempotent: the same update may arrive twice",
        ),
    ],
)
async def test_casual_questions_find_the_passage_and_lead_with_the_answer(
    question: str, best: str, first_line: str | None
) -> None:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    outcome = await loop.run(WorkerInput(instruction=question))
    assert isinstance(outcome, Answer), outcome
    data = outcome.results[0].data
    assert isinstance(data, dict) and isinstance(data["citations"], list)
    assert str(data["citations"][0]).removeprefix("[1] ").startswith(best)
    head = outcome.text.split("\n")[0]
    assert re.search(r"\.? \[\d\]$", head) and not head.startswith("**")  # one cited sentence, no label
    assert str(data["answer"]).startswith(head)
    if first_line is not None:
        assert head.startswith(first_line)


@pytest.mark.parametrize(
    ("text", "added"),
    [
        ("how do I keep push notifications safe", "security"),
        ("how do i stop a task", "cancel cancellation"),
        ("what if the worker hangs", "timeout"),
        ("can I attach a file", "file part"),
        ("how do agents prove who they are", "authentication token"),
        ("what happens if my connection drops", "reconnect subscribe stream"),
    ],
)
def test_everyday_words_bring_the_library_words(text: str, added: str) -> None:
    assert expand(text) == f"{text} {added}"


def test_library_words_are_left_alone() -> None:
    assert expand("What does the input-required task state mean?") == "What does the input-required task state mean?"


@pytest.mark.parametrize(
    ("subject", "sentence", "defines"),
    [
        ("prompt injection", "Prompt injection is an attack in which text ...", True),
        ("an agent card", "An agent card is the self-description ...", True),
        ("the rejected state", "`rejected`: the agent decided not to do the work", True),
        ("input-required", "`input-required`: the agent paused", True),
        ("an agent card", "In a network of agents the card is the only thing", False),
    ],
)
def test_definition_pattern(subject: str, sentence: str, defines: bool) -> None:
    pattern = definition_pattern(subject)
    assert pattern is not None and bool(pattern.match(sentence)) is defines


@pytest.mark.parametrize(
    ("question", "lead", "items"),
    [
        (
            "what states can an A2A task be in?",
            "A task moves through a small set of states",
            ["input-required", "rejected"],
        ),
        ("What task states exist?", "A task moves through a small set of states", ["submitted", "canceled"]),
        ("What kinds of parts can a message contain?", "A part holds exactly one kind of content", ["Data"]),
    ],
)
async def test_a_question_asking_for_a_list_is_answered_with_the_list(
    question: str, lead: str, items: list[str]
) -> None:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    outcome = await loop.run(WorkerInput(instruction=question))
    assert isinstance(outcome, Answer), outcome
    head = outcome.text.split("\n")[0]
    assert head.startswith(lead + ":") and all(item in head for item in items)
    assert re.search(r"\[\d\]$", head)  # cited, like every answer sentence


@pytest.mark.parametrize("question", ["Which states are terminal?", "What is an agent card?"])
async def test_a_question_about_some_of_a_list_is_not_answered_with_all_of_it(question: str) -> None:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    outcome = await loop.run(WorkerInput(instruction=question))
    assert isinstance(outcome, Answer), outcome
    assert "submitted, working" not in outcome.text.split("\n")[0]


async def test_a_question_that_shares_one_word_with_the_library_finds_nothing() -> None:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    outcome = await loop.run(WorkerInput(instruction="which month was best?"))
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.startswith("Nothing relevant to “which month was best?” was found in the library")


def test_idempotency_idempotence_and_idempotent_share_a_stem() -> None:
    assert stem("idempotency") == stem("idempotence") == stem("idempotent") == "idempot"
    assert (stem("agent"), stem("client"), stem("content")) == ("agent", "client", "content")
