"""The text analyst's offline policy driving the real agent loop and tools (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.runtime.loop import AgentLoop, Answer, Outcome, Question, Refusal
from agents.runtime.messages import Material, WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox
from agents.text_analyst.request import ASK_TASK, ASK_TEXT
from agents.text_analyst.worker import SPEC

CARD = json.loads((Path(__file__).parents[3] / "agent_cards" / "text_analyst.json").read_text(encoding="utf-8"))
EXAMPLES = [(skill["id"], example) for skill in CARD["skills"] for example in skill["examples"]]
ARTICLE = (
    "The river flooded the town after three days of rain. Shops on the main street were closed for a week. "
    "Volunteers cleaned the streets and the shops. The town council promised new flood walls. "
    "Engineers say flood walls would have protected the main street."
)


async def run(instruction: str, *materials: Material, skill_hint: str | None = None) -> Outcome:
    loop = AgentLoop(OfflineModel(SPEC.policy), SPEC.system_prompt, Toolbox(SPEC.tools))
    return await loop.run(WorkerInput(instruction=instruction, materials=materials, skill_hint=skill_hint))


def test_skill_tools_cover_the_card() -> None:
    assert set(SPEC.skill_tools) == {skill["id"] for skill in CARD["skills"]}


@pytest.mark.parametrize(("skill", "example"), EXAMPLES)
async def test_card_examples(skill: str, example: str) -> None:
    outcome = await run(example)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.strip()
    assert [r.tool for r in outcome.results] == list(SPEC.skill_tools[skill])


async def test_summary_sentence_count_and_inline_text() -> None:
    outcome = await run(f"Summarize in 2 sentences: {ARTICLE}")
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.startswith("## Summary\n\nThe river flooded the town after three days of rain.")
    assert "_2 of 5 sentences from the request._" in outcome.text


@pytest.mark.parametrize(
    "instruction",
    [
        "Summarize the material from subtask s1 in 3 sentences.",
        "Give me a three-sentence summary of the attached text.",
    ],
)
async def test_summary_of_dependency_output(instruction: str) -> None:
    outcome = await run(instruction, Material(source="s1", text=ARTICLE))
    assert isinstance(outcome, Answer), outcome
    assert "3 of 5 sentences from s1" in outcome.text


@pytest.mark.parametrize(
    ("instruction", "tools"),
    [
        ('What is the sentiment of "I really love this phone"?', ["analyze_sentiment"]),
        (f"Summarize this and list the top 3 keywords:\n{ARTICLE}", ["summarize_text", "extract_keywords"]),
        (f"Analyze this text: {ARTICLE}", ["summarize_text", "extract_keywords", "analyze_sentiment", "describe_text"]),
        (f"How many words are in the following? {ARTICLE}", ["describe_text"]),
    ],
)
async def test_tools_chosen(instruction: str, tools: list[str]) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    assert [r.tool for r in outcome.results] == tools


async def test_keyword_count_is_read() -> None:
    outcome = await run(f"List 3 keywords: {ARTICLE}")
    assert isinstance(outcome, Answer), outcome
    assert "| 3 |" in outcome.text and "| 4 |" not in outcome.text


async def test_skill_hint_wins() -> None:
    outcome = await run(f"Process this: {ARTICLE}", skill_hint="text_stats")
    assert isinstance(outcome, Answer), outcome
    assert [r.tool for r in outcome.results] == ["describe_text"]


@pytest.mark.parametrize(
    ("instruction", "materials", "question"),
    [
        ("Summarize the text in 2 sentences.", (), ASK_TEXT),
        ("What is the sentiment?", (), ASK_TEXT),
        ("", (Material(source="notes.txt", text=ARTICLE),), ASK_TASK),
    ],
)
async def test_missing_text_gets_a_question(instruction: str, materials: tuple[Material, ...], question: str) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, Question), outcome
    assert outcome.text == question


async def test_reply_with_the_text_completes_the_task() -> None:
    instruction = f"Summarize in 1 sentence.\n\nYou asked: {ASK_TEXT}\nThe caller replied: {ARTICLE}"
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    assert "_1 of 5 sentences from the request._" in outcome.text


async def test_reply_with_the_task_completes_the_task() -> None:
    instruction = f"\n\nYou asked: {ASK_TASK}\nThe caller replied: the sentiment please"
    outcome = await run(instruction, Material(source="notes.txt", text="What a wonderful day."))
    assert isinstance(outcome, Answer), outcome
    assert "**positive**" in outcome.text


@pytest.mark.parametrize(
    "instruction",
    [
        "What is 17 * 23?",
        "Calculate the average of 4, 8 and 15.",
        "Compute statistics of 1, 2, 3, 4",
        "Convert 10 km to miles.",
        "Make a table of sales by region from this CSV.",
        "Book me a flight to Paris.",
    ],
)
async def test_other_work_is_declined(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Refusal), outcome
    assert "text analyst" in outcome.reason
