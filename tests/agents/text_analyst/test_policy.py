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
    assert outcome.text.startswith("The river flooded the town after three days of rain.")
    assert "_2 of 5 sentences from the request._" in outcome.text


COUNCIL = (
    "The city council met on Tuesday to discuss the new bike lanes. Residents spoke for and against the plan for "
    "three hours. The council approved the lanes by a vote of six to three. Construction will start in the spring."
)
REVIEW = "I don't like it, it's slow and the battery is awful"


@pytest.mark.parametrize(
    ("instruction", "first_line", "sentences"),
    [
        (f"Summarize in one sentence: {COUNCIL}", "The city council met on Tuesday to discuss the new bike lanes.", 1),
        (f"Summarize this in 2 sentences: '{COUNCIL}'", None, 2),
        (f"Give a one-line summary of \u201c{COUNCIL}\u201d", None, 1),
        (f"One-line summary please:\n{COUNCIL}", None, 1),
        (f"Summarize the following in a single sentence.\n\n{COUNCIL}", None, 1),
        (f"Summarize this:\n```\n{COUNCIL}\n```", None, 3),
        (f"Give me a 2-sentence summary. {COUNCIL}", None, 2),
        (f"{COUNCIL}\n\nSummarize this in one sentence.", None, 1),
        (f"tl;dr: {COUNCIL}", None, 1),
        (f"Summarize in 2 lines the text from: {COUNCIL}", None, 2),
    ],
)
async def test_summaries_find_their_text_and_honour_the_count(
    instruction: str, first_line: str | None, sentences: int
) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    data = outcome.results[0].data
    assert isinstance(data, dict) and isinstance(data["summary"], list)
    assert len(data["summary"]) == sentences and data["sentences_total"] == 4
    head = outcome.text.split("\n\n")[0]
    assert head == " ".join(str(s) for s in data["summary"])  # the first line is the summary itself
    assert "```" not in head and "'" not in head[:1]
    if first_line is not None:
        assert head == first_line


@pytest.mark.parametrize(
    ("instruction", "first_line"),
    [
        # found by hand: a question after the quoted review is no part of the text; "top 3 words" are keywords
        (
            'Customer review: "Arrived late, box crushed, but the product itself works great." Is this positive or '
            "negative overall?",
            "Sentiment: positive (+0.72)",
        ),
        ("top 3 words in: the cat sat on the mat the cat ate the rat", "Keywords: cat, sat, mat"),
        (f"What's the sentiment of \u2018{REVIEW}\u2019?", "Sentiment: negative (-0.61)"),
        (f"What's the sentiment of '{REVIEW}'?", "Sentiment: negative (-0.61)"),
        (f'Is this review positive or negative? "{REVIEW}"', "Sentiment: negative (-0.61)"),
        (f"Sentiment of this review:\n{REVIEW}", "Sentiment: negative (-0.61)"),
        ("What's the tone of this email? Hi team, I'm thrilled with the launch!", "Sentiment: positive (+0.46)"),
        (
            "Find the top 5 keywords in this text: Machine learning models need data. Training data quality matters "
            "more than model size. Clean training data beats clever models.",
            "Keywords: training data, model, data, machine, learning",
        ),
        (
            "Extract 3 keywords from: Rust's borrow checker prevents data races. The borrow checker is strict.",
            "Keywords: borrow checker, rust, prevents",
        ),
        (f"How many words are in this text: {COUNCIL}", "Word count: 40"),
        (f"Count the sentences in '{COUNCIL}'", "Sentences: 4"),
        (f"Word count and readability of the following:\n{COUNCIL}", None),
        (f"Text statistics for this paragraph: {COUNCIL}", "Word count: 40 (4 sentences, Flesch reading ease"),
    ],
)
async def test_first_line_is_the_direct_answer(instruction: str, first_line: str | None) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    head = outcome.text.split("\n")[0]
    if first_line is None:
        assert head.startswith("Word count: 40; Flesch reading ease: ")
    else:
        assert head.startswith(first_line)


@pytest.mark.parametrize(
    ("instruction", "material"),
    [
        ("Summarize the text in one sentence.", Material(source="s1", text=COUNCIL)),
        ("Give me a one-sentence summary of the earlier step's output", Material(source="s1", text=COUNCIL)),
        (
            "Summarize the attached file in 1 sentence",
            Material(source="notes.md", content=COUNCIL.encode(), media_type="text/markdown", filename="notes.md"),
        ),
        ("Summarize the following in one sentence.", Material(source="s2", text=COUNCIL)),
    ],
)
async def test_text_in_materials(instruction: str, material: Material) -> None:
    outcome = await run(instruction, material)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.startswith("The city council met on Tuesday to discuss the new bike lanes.\n\n")
    assert f"1 of 4 sentences from {material.source}" in outcome.text


async def test_a_remark_beside_attached_text_is_not_the_text() -> None:
    outcome = await run(
        "Summarize the attached report in one sentence. Note: the audience is the board.",
        Material(source="report.md", text=COUNCIL),
        Material(source="report.md", data={"pages": 1}),
    )
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.startswith("The city council met on Tuesday to discuss the new bike lanes.\n\n")
    assert "1 of 4 sentences from report.md." in outcome.text  # the data part is not read as prose


@pytest.mark.parametrize(
    ("instruction", "first_line"),
    [
        ("Summarize this for me:\n\n> The council met on Tuesday.\n> It approved the lanes.", "The council met on"),
        ("How long is this text? The council met. It approved the lanes.", "Word count: 7 (2 sentences"),
    ],
)
async def test_more_ways_of_giving_the_text(instruction: str, first_line: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.startswith(first_line) and ">" not in outcome.text.split("\n")[0]


async def test_several_analyses_lead_with_each_answer() -> None:
    outcome = await run(f"Summarize this in one sentence and give its sentiment and top 3 keywords:\n{COUNCIL}")
    assert isinstance(outcome, Answer), outcome
    lines = outcome.text.split("\n\n")[0].splitlines()
    assert lines[0] == "The city council met on Tuesday to discuss the new bike lanes."
    assert lines[1].startswith("Keywords: ") and lines[2].startswith("Sentiment: ")
    assert "## Summary" in outcome.text and "## Keywords" in outcome.text


@pytest.mark.parametrize(
    "instruction",
    [
        "Summarize the article",
        "What is the sentiment of the customer's review?",
        "Give me the keywords, please.",
        "Summarize the text in 2 sentences. Keep it short.",
        "Summarize: focus on the costs.",
    ],
)
async def test_no_text_anywhere_asks_one_question(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Question), outcome
    assert outcome.text == ASK_TEXT


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


@pytest.mark.parametrize(
    ("instruction", "skill_hint"),
    [
        ("What are today's top news headlines?", "keywords"),
        ("When is it safe to retry a failed call?", "summarize"),
        ("What's the weather in Rome today?", "sentiment"),
    ],
)
async def test_unrelated_requests_are_declined_even_under_a_chosen_skill(instruction: str, skill_hint: str) -> None:
    outcome = await run(instruction, skill_hint=skill_hint)
    assert isinstance(outcome, Refusal), outcome


async def test_the_request_s_own_words_beat_a_conflicting_skill_hint() -> None:
    outcome = await run(
        'How many words are in "Please send the report and then update the table."?', skill_hint="keywords"
    )
    assert isinstance(outcome, Answer), outcome
    assert [r.tool for r in outcome.results] == ["describe_text"]
    assert outcome.text.startswith("Word count: 9")


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
        "How many pounds is 68 kg?",
        "What's 15% of 240?",
        "Write an executive summary of these notes: Revenue rose 12% to $4.2M. Churn fell to 3.1%.",
        "Draft a short report from this: The launch moved to May. Testers found 14 bugs.",
    ],
)
async def test_other_work_is_declined(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Refusal), outcome
    assert "text analyst" in outcome.reason
