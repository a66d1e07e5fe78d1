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
    assert outcome.text.startswith("## Executive summary") and "notes in the request" not in outcome.text


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
