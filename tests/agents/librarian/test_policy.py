"""The librarian's offline policy driving the real agent loop and tools over the packaged corpus (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.librarian.corpus import ENV_VAR
from agents.librarian.policy import ASK_FOR_QUESTION, clean_query
from agents.librarian.worker import SPEC
from agents.runtime.loop import AgentLoop, Answer, Outcome, Question, Refusal, ToolFailure
from agents.runtime.messages import Material, WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox

CARD = json.loads((Path(__file__).parents[3] / "agent_cards" / "librarian.json").read_text())
EXAMPLES = [(s["id"], e) for s in CARD["skills"] for e in s["examples"]]


@pytest.fixture(autouse=True)
def default_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


async def run(instruction: str, *materials: Material, skill: str | None = None) -> Outcome:
    loop = AgentLoop(model=OfflineModel(SPEC.policy), system_prompt=SPEC.system_prompt, toolbox=Toolbox(SPEC.tools))
    return await loop.run(WorkerInput(instruction=instruction, materials=materials, skill_hint=skill))


def test_skill_tools_cover_the_card_exactly() -> None:
    assert set(SPEC.skill_tools) == {s["id"] for s in CARD["skills"]}


@pytest.mark.parametrize("hinted", [False, True])
@pytest.mark.parametrize(("skill", "example"), EXAMPLES)
async def test_card_examples_complete_with_citations(skill: str, example: str, hinted: bool) -> None:
    outcome = await run(example, skill=skill if hinted else None)
    assert isinstance(outcome, Answer), outcome
    assert "[1] " in outcome.text and ".md § " in outcome.text
    assert [r.tool for r in outcome.results] == SPEC.skill_tools[skill]


@pytest.mark.parametrize(
    ("instruction", "tool", "best_file", "phrase"),
    [
        (
            "What does the input-required task state mean?",
            "answer_question",
            "tasks-and-states.md",
            "Input-required and auth-required are interrupted states",
        ),
        (
            "Why should an orchestrator select workers by skill rather than by URL?",
            "answer_question",
            "orchestrator-worker.md",
            "Selection should pick skills, never raw addresses.",
        ),
        (
            "What is context routing?",
            "answer_question",
            "context-routing-and-synthesis.md",
            "Context routing is the discipline of giving each worker exactly what it needs",
        ),
        (
            "Search the library for push notification security",
            "search_documents",
            "push-notifications.md",
            "Security of webhooks",
        ),
        ("Find the top 2 passages about timeouts and retries", "search_documents", "reliability.md", "Retries"),
    ],
)
async def test_questions_and_searches(instruction: str, tool: str, best_file: str, phrase: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer)
    result = outcome.results[0]
    assert result.tool == tool
    assert isinstance(result.data, dict) and isinstance(result.data["hits"], list)
    assert result.data["hits"][0]["file"] == best_file  # type: ignore[index,call-overload]
    assert phrase in outcome.text


async def test_search_limit_is_read_from_the_request() -> None:
    outcome = await run("Find the top 2 passages about timeouts and retries")
    assert isinstance(outcome, Answer) and isinstance(outcome.results[0].data, dict)
    assert len(outcome.results[0].data["hits"]) == 2  # type: ignore[arg-type]


async def test_nothing_relevant_completes_with_a_clear_answer() -> None:
    outcome = await run("What is the capital of France?")
    assert isinstance(outcome, Answer)
    assert outcome.text.startswith("Nothing relevant to “What is the capital of France?” was found in the library")


@pytest.mark.parametrize("instruction", ["", "what is it?", "Search the library for", "Answer this question:"])
async def test_empty_question_asks(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Question) and outcome.text == ASK_FOR_QUESTION


async def test_follow_up_reply_is_answered() -> None:
    instruction = f"Answer this question:\n\nYou asked: {ASK_FOR_QUESTION}\nThe caller replied: how do retries work?"
    outcome = await run(instruction)
    assert isinstance(outcome, Answer) and "reliability.md § " in outcome.text


@pytest.mark.parametrize(
    ("instruction", "materials"),
    [
        ("What is 17 * 23?", ()),
        ("12 + 30 / 2", ()),
        ("Compute the mean and standard deviation of 4, 8, 15, 16, 23, 42.", ()),
        ("Group this CSV by region and sum revenue: region,revenue\nNorth,1", ()),
        (
            "Analyse the attached table and sort it by price",
            (Material(source="f", content=b"a,b\n1,2", media_type="text/csv"),),
        ),
        ("How many pounds is 68 kg?", ()),
        ("what is 2 to the power of 16?", ()),
        ("Wie viel ist 17 * 23?", ()),
        ("half of 90", ()),
        ("Which region sold the most?\nregion,revenue\nNorth,1200\nSouth,950", ()),
        ("summarize this text: 12 apples and 3 pears", ()),
        ("What's the sentiment of 'I hate waiting 20 minutes'?", ()),
        ("Top 5 keywords in: Solar panels got cheaper. Solar farms grew.", ()),
        ("Write a short report from these notes: Revenue rose 12% in Q3.", ()),
    ],
)
async def test_arithmetic_and_table_analysis_are_declined(instruction: str, materials: tuple[Material, ...]) -> None:
    assert isinstance(await run(instruction, *materials), Refusal)


@pytest.mark.parametrize(
    ("question", "file"),
    [
        ("What is a summary artifact?", "artifacts.md"),
        ("How many seconds should a timeout be?", "reliability.md"),
        ("How does an orchestrator write the final report?", "context-routing-and-synthesis.md"),
    ],
)
async def test_questions_about_other_work_are_still_the_library_s(question: str, file: str) -> None:
    outcome = await run(question)
    assert isinstance(outcome, Answer) and f"{file} § " in outcome.text


async def test_summing_up_a_topic_is_a_question_for_the_library() -> None:
    outcome = await run("summarise what a push notification is")
    assert isinstance(outcome, Answer) and "push-notifications.md § " in outcome.text


async def test_questions_mentioning_csv_are_still_answered() -> None:
    outcome = await run("How do I send a CSV file in a message part?")
    assert isinstance(outcome, Answer) and "messages-and-parts.md § " in outcome.text


async def test_tool_errors_are_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "absent"))
    outcome = await run("How do retries work?")
    assert isinstance(outcome, ToolFailure)
    assert outcome.reason.startswith("I could not search the library:") and "does not exist" in outcome.reason


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Search the library for push notification security", "push notification security"),
        ("Find passages about prompt injection", "prompt injection"),
        ("How do retries work? Cite sources.", "How do retries work?"),
        ("According to the documents, what is an artifact?", "what is an artifact?"),
        ("For a piece I'm writing on AI agents: where is the card?", "where is the card?"),
        ("Note: how do retries work?", "how do retries work?"),
        ("What is this: a task or a message?", "What is this: a task or a message?"),
    ],
)
def test_clean_query(text: str, query: str) -> None:
    assert clean_query(text) == query
