"""The writer's offline policy driving the real AgentLoop and the real tools (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.runtime.loop import AgentLoop, Answer, Outcome, Question, Refusal, ToolFailure
from agents.runtime.messages import Material, WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox
from agents.writer.request import read_request
from agents.writer.worker import SPEC

CARD = json.loads((Path(__file__).parents[3] / "agent_cards" / "writer.json").read_text())
EXAMPLES = [(s["id"], e) for s in CARD["skills"] for e in s["examples"]]
CALC = Material(source="s1 (calculator)", data={"mean": 18.0, "stdev": 13.49}, media_type="application/json")
FINDINGS = Material(
    source="s2 (text_analyst)",
    text="Sales grew 9% in the north region. The south region lost two large customers. Margins held at 31%.",
)


async def run(instruction: str, *materials: Material, hint: str | None = None) -> Outcome:
    loop = AgentLoop(model=OfflineModel(SPEC.policy), system_prompt=SPEC.system_prompt, toolbox=Toolbox(SPEC.tools))
    return await loop.run(WorkerInput(instruction=instruction, materials=materials, skill_hint=hint))


def test_card_skills_match_spec() -> None:
    assert {s["id"] for s in CARD["skills"]} == set(SPEC.skill_tools)


@pytest.mark.parametrize(("skill", "example"), EXAMPLES)
async def test_card_examples_complete(skill: str, example: str) -> None:
    outcome = await run(example)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.strip() and "[1]" in outcome.text
    tool = SPEC.skill_tools[skill][0]
    assert [r.tool for r in outcome.results] == [tool]


async def test_report_from_dependency_outputs_cites_each_source() -> None:
    outcome = await run("Write a report titled 'Regional review' from the results of s1 and s2.", CALC, FINDINGS)
    assert isinstance(outcome, Answer)
    assert outcome.text.startswith("# Regional review\n")
    assert "## 1. s1 (calculator)" in outcome.text and "| mean | 18 |" in outcome.text
    assert "- Sales grew 9% in the north region. [2]" in outcome.text
    assert "1. s1 (calculator) (application/json)\n2. s2 (text_analyst) (text/plain)" in outcome.text


async def test_orchestrator_brief_with_skill_hint_and_colons() -> None:
    brief = "Objective: summarize the material from subtask s2.\nExpected output: one paragraph."
    outcome = await run(brief, FINDINGS, hint="executive_summary")
    assert isinstance(outcome, Answer)
    assert outcome.text.startswith("Sales grew 9% in the north region. [1]")  # the paragraph is the first line
    assert "notes in the request" not in outcome.text


@pytest.mark.parametrize(
    ("instruction", "product"),
    [
        ("Write a report titled 'Q3'", "report"),
        ("Outline it for me please", "outline"),
        ("Give me an executive summary", "summary"),
    ],
)
async def test_missing_material_asks(instruction: str, product: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Question)
    assert outcome.text.startswith(f"What material should the {product} be based on?")


@pytest.mark.parametrize(
    ("instruction", "hint"),
    [("Objective: summarize the material from subtask s2.", "executive_summary"), ("Objective: write a report.", None)],
)
async def test_a_labelled_brief_is_not_material(instruction: str, hint: str | None) -> None:
    outcome = await run(instruction, hint=hint)
    assert isinstance(outcome, Question), outcome  # no fake summary of the brief itself


@pytest.mark.parametrize(
    ("instruction", "hint"),
    [("What are today's top news headlines?", "write_report"), ("When is it safe to retry a failed call?", "outline")],
)
async def test_unrelated_requests_are_declined_even_under_a_chosen_skill(instruction: str, hint: str) -> None:
    assert isinstance(await run(instruction, hint=hint), Refusal)


async def test_follow_up_reply_is_the_material() -> None:
    instruction = (
        "Write a report titled 'Launch'\n\nYou asked: What material should the report be based on?\n"
        "The caller replied: The launch moved to May. Beta testers reported 14 bugs. Critical bugs are fixed."
    )
    outcome = await run(instruction)
    assert isinstance(outcome, Answer)
    assert outcome.text.startswith("# Launch") and "Beta testers reported 14 bugs. [1]" in outcome.text


@pytest.mark.parametrize(
    ("instruction", "reason"),
    [
        ("Compute the mean and standard deviation of 4, 8, 15, 16, 23, 42.", "calculator"),
        ("What is the average of 3 and 5?", "calculator"),
        ("Analyze this CSV and tell me the top region: region,sales\nEU,1\nUS,2", "data analysis"),
        ("Write a Python function that reverses a string.", "code"),
        ("What's the weather in Paris tomorrow?", "none of them"),
    ],
)
async def test_out_of_scope_declines(instruction: str, reason: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Refusal)
    assert reason in outcome.reason


async def test_bare_material_without_instruction_becomes_a_report() -> None:
    outcome = await run("", FINDINGS)
    assert isinstance(outcome, Answer) and outcome.text.startswith("# Report\n")


async def test_tool_error_is_explained_not_looped() -> None:
    empty = Material(source="s9", text="   ")
    outcome = await run("Write a report on the pilot", empty)
    assert isinstance(outcome, ToolFailure)
    assert outcome.reason.startswith("I could not write this from the material given:")
    assert "no usable content" in outcome.reason


@pytest.mark.parametrize(
    ("instruction", "skill", "title", "style", "count"),
    [
        (
            "Write a short report titled 'Q3 sales' from these notes: a b c d",
            "write_report",
            "Q3 sales",
            "brief",
            None,
        ),
        (
            "Draft a detailed report on customer churn: x y z w",
            "write_report",
            "Customer churn",
            "detailed",
            None,
        ),
        (
            "Title: Weekly update\nWrite it up from the attached notes.",
            "write_report",
            "Weekly update",
            "standard",
            None,
        ),
        ("Outline the following in 4 points: a b c", "outline", None, "standard", 4),
        ("Summarise this text in three sentences: p q r", "executive_summary", None, "standard", 3),
        (
            "Write a report titled 'Compute: 2 + 2 review' from these notes: a b c",
            "write_report",
            None,
            "standard",
            None,
        ),
    ],
)
def test_read_request(instruction: str, skill: str, title: str | None, style: str, count: int | None) -> None:
    request = read_request(instruction, None, has_materials=False)
    assert (request.skill, request.style, request.count, request.out_of_scope) == (skill, style, count, None)
    if title is not None:
        assert request.title == title


EXACT = (
    "The calculator found that 1234 * 5678 = 7006652. Growth was 2**10 percent in segment file_name_v2. "
    "The export sits in C:\\temp\\x with a margin of (4.2-3.1)/4.2 = 26%. The change was -5 + 3 = -2 points."
)
EXPRESSIONS = ("1234 * 5678 = 7006652", "2**10", "file_name_v2", "C:\\temp\\x", "(4.2-3.1)/4.2 = 26%", "-5 + 3 = -2")


@pytest.mark.parametrize(
    ("instruction", "materials"),
    [
        (f"Write a detailed report titled 'Results' from these notes: {EXACT}", ()),
        ("Write a detailed report on the results of s1.", (Material(source="s1", text=EXACT),)),
        (
            "Write a detailed report from the calculator's answer.",
            (Material(source="s1 (calculator)", text=f"**Result:** `1234 * 5678` = **7006652**\n\n{EXACT}"),),
        ),
        (f"Write an executive summary in 4 sentences of these notes: {EXACT}", ()),
        ("Give me an executive summary in 4 sentences of the material.", (Material(source="s2", text=EXACT),)),
        (f"Outline the following in 8 points: {EXACT}", ()),
    ],
)
async def test_numbers_and_expressions_survive_exactly(instruction: str, materials: tuple[Material, ...]) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, Answer), outcome
    for expression in EXPRESSIONS:
        assert expression in outcome.text, expression
    assert "1234 5678" not in outcome.text and "210 percent" not in outcome.text
    assert "`2**10`" in outcome.text  # in a code span: no renderer reads the asterisks as emphasis


async def test_data_cells_keep_pipes_and_operators() -> None:
    data = Material(source="s1", data=[{"expression": "2*3*4", "segment": "a|b", "value": 13.490737563232042}])
    outcome = await run("Write a report titled 'Cells' from s1.", data)
    assert isinstance(outcome, Answer), outcome
    assert "| `2*3*4` | a\\|b | 13.490737563232042 |" in outcome.text


async def test_source_headings_nest_under_the_report_sections() -> None:
    notes = Material(
        source="s1 (librarian)",
        text="# Findings\n\n## Growth\n\nRevenue grew 12% in Q3 across all regions. Costs fell 3% in Q3.\n\n"
        "# Risks\n\nChurn is rising in Europe, up 2 points since May.",
    )
    outcome = await run("Write a report titled 'Review' from the results of s1.", notes)
    assert isinstance(outcome, Answer), outcome
    headings = [line for line in outcome.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Review",
        "## Summary",
        "## 1. s1 (librarian)",
        "### Findings",
        "#### Growth",
        "### Risks",
        "## Conclusion",
        "## Sources",
    ]
    assert "#### Growth\n\n- Revenue grew 12% in Q3 across all regions. [1]" in outcome.text


@pytest.mark.parametrize(
    ("instruction", "product"),
    [
        ("Write a report on renewable energy", "report"),
        ("Write a report on renewable energy: cover solar, wind and storage", "report"),
        ("Write a detailed report about climate change. Make it thorough.", "report"),
        ("Draft an outline about remote work", "outline"),
        ("Give me an executive summary of the EU AI Act", "summary"),
        ("Write an executive summary of the Q3 results", "summary"),
        ("Write a report on this topic. Make it short.", "report"),
    ],
)
async def test_a_topic_is_not_material(instruction: str, product: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Question), outcome
    assert outcome.text.startswith(f"What material should the {product} be based on?")
    assert "only from material you supply" in outcome.text and "notes" in outcome.text


@pytest.mark.parametrize(
    ("instruction", "materials", "first_line"),
    [
        (
            "Write a report on renewable energy from these notes: Solar capacity grew 24% last year. "
            "Wind output was flat. Storage projects doubled.",
            (),
            "# Renewable energy",
        ),
        (
            "Write a short report about our Q3 results, based on these figures: Revenue was $4.2M, up 12% on Q2. "
            "Costs fell 3% to $3.1M.",
            (),
            "# Our Q3 results",
        ),
        (
            "Write an executive summary in one sentence of these findings: Customer satisfaction rose from 71% "
            "to 78%. Response time fell from 9 hours to 2 hours.",
            (),
            "Customer satisfaction rose from 71% to 78%. [1]",
        ),
        (
            "Summarize the attached findings for the board in an executive summary.",
            (FINDINGS,),
            "Sales grew 9% in the north region. [1] The south region lost two large customers. [1] Margins held "
            "at 31%. [1]",
        ),
        (
            "Write a report on renewable energy.",
            (Material(source="energy.md", text=FINDINGS.text),),
            "# Renewable energy",
        ),
        (
            "Can you give me a one-paragraph executive summary of the following? Our support team handled 5,300 "
            "tickets in May, up 12% on April. Median first response time fell to 2 hours.",
            (),
            "Our support team handled 5,300 tickets in May, up 12% on April. [1] Median first response time fell to 2"
            " hours. [1]",
        ),
        ("Write a short report from my notes\nRevenue grew 12% in Q3. Costs fell 3% in Q3.", (), "# Report"),
        (  # a dash introduces the notes the request names
            "make me a bullet outline of these orientation notes pls - Volunteers sign in at the east desk. All "
            "volunteers must wear badges.",
            (),
            "## Outline",
        ),
    ],
)
async def test_supplied_material_is_used(instruction: str, materials: tuple[Material, ...], first_line: str) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.splitlines()[0] == first_line


async def test_points_the_request_names_are_its_material_and_every_one_is_kept() -> None:
    outcome = await run(
        "Make an outline for a staff meeting covering the new shift schedule, holiday coverage, till procedures "
        "and the summer sale."
    )
    assert isinstance(outcome, Answer), outcome
    for point in ("The new shift schedule", "Holiday coverage", "Till procedures", "The summer sale"):
        assert f"- {point}" in outcome.text  # a point said once is still a point


async def test_a_topic_without_points_still_asks_for_material() -> None:
    outcome = await run("Make me an outline for an essay on online classes versus in-person lectures.")
    assert isinstance(outcome, Question) and "What material should the outline be based on?" in outcome.text


async def test_a_note_is_a_few_sentences_and_says_a_result_once() -> None:
    result = Material(source="s1", text="18.50 * 27 = 499.5\n\n**Result:** `18.50 * 27` = **499.5**")
    outcome = await run("write a two line note to parents about the payment", result, hint="write_report")
    assert isinstance(outcome, Answer), outcome
    assert [r.tool for r in outcome.results] == ["executive_summary"]  # no report sections for a note
    assert outcome.text.count("499.5") == 1 and not outcome.text.startswith("#")


async def test_the_notes_after_my_notes_are_the_material() -> None:
    outcome = await run(
        "Can you write a short report titled 'Spring market stall' from my notes? We sold 120 jars of honey over "
        "two Saturdays. The lavender honey sold out first. Rain kept people away on the second morning."
    )
    assert isinstance(outcome, Answer), outcome
    assert "120 jars" in outcome.text and "Spring market stall" in outcome.text
