"""The offline merge: the direct answer of each part first, then details with provenance; titles and lines cut
at word boundaries; a worker's headings nest under its section; the unserved line and the refusal text."""

from __future__ import annotations

import pytest

from orchestrator_agent.models import Output, Plan, Subtask, SubtaskResult, SubtaskState, UnservedPart
from orchestrator_agent.synthesis import OfflineSynthesizer, answer_line, clip, not_done_line, refusal_text, title

PLAN = Plan(
    subtasks=(
        Subtask(id="s1", skill="arithmetic", brief="Compute 1234 * 5678", part="Compute 1234 * 5678"),
        Subtask(id="s2", skill="write_report", brief="write a report on the result", depends_on=("s1",)),
        Subtask(id="s3", skill="summarize", brief='Summarize: "A long text"', part='Summarize: "A long text"'),
    )
)


def result(sid: str, skill: str, text: str, state: SubtaskState = SubtaskState.COMPLETED) -> SubtaskResult:
    reason = "" if state is SubtaskState.COMPLETED else "the worker timed out"
    return SubtaskResult(
        subtask_id=sid,
        skill=skill,
        state=state,
        worker_name="w",
        remote_task_id="t-" + sid,
        output=Output(text=text),
        reason=reason,
    )


async def test_answers_come_first_then_details_with_nested_headings() -> None:
    results = [
        result("s1", "arithmetic", "1234 * 5678 = 7006652\n\nExact integer result."),
        result("s2", "write_report", "# Report\n\nThe product is 7006652.\n\n## Sources\n1. s1"),
        result("s3", "summarize", "", SubtaskState.FAILED),
    ]
    text, _ = await OfflineSynthesizer().synthesize("goal", PLAN, results)
    lines = text.splitlines()
    assert lines[0] == "# Arithmetic, write report and summarize"
    assert lines[2] == "- **Compute 1234 * 5678** [s1]: 1234 * 5678 = 7006652"
    assert lines[3] == "- **write a report on the result** [s2]: The product is 7006652."
    assert lines[4].startswith("- **Summarize** [s3]: not done (failed: the worker timed out)")
    details = text[text.index("## Details") :]
    assert "#### Report" in details and "##### Sources" in details  # the report's headings nest under ### s2
    assert details.count("1234 * 5678 = 7006652") == 0  # the answer shown above is not repeated
    assert "Exact integer result." in details and "*Source: `s1` · arithmetic · w, task t-s1*" in details


@pytest.mark.parametrize(
    "text, answer",
    [
        ("**Result:** 17 * 23 = 391\n\nmore", "Result: 17 * 23 = 391"),
        ("# Heading only", "Heading only"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n\nEast sold the most", "East sold the most"),
        ("", ""),
        ("2 ** 16 = 65536", "2 ** 16 = 65536"),  # an operator is not bold markup
        ("-15 + 42 - 8.25 = 18.75", "-15 + 42 - 8.25 = 18.75"),  # a sign is not a bullet
        ("- **Mean:** 24", "Mean: 24"),
        (  # an outline's source label is no answer: its first point is
            "## Outline\n\n- **s1 (answer_question, librarian)** [1]\n  - Push notifications call a webhook\n",
            "Push notifications call a webhook",
        ),
    ],
)
def test_the_answer_line_is_the_first_line_that_says_something(text: str, answer: str) -> None:
    assert answer_line(text) == answer


def test_clip_never_cuts_mid_word() -> None:
    assert (
        clip("Compute the mean, median and standard deviation of twelve numbers", 30) == "Compute the mean, median and…"
    )
    assert clip("short", 30) == "short"


def test_title_is_the_intent_not_the_first_line() -> None:
    single = Plan(subtasks=(Subtask(id="s1", skill="summarize", brief="x", part='Summarize in one sentence: "Long."'),))
    assert title(single) == "Summarize in one sentence"
    assert title(Plan()) == "Not done"


def test_the_not_done_line_and_the_refusal_name_every_part_and_reason() -> None:
    unserved = (UnservedPart(text="order a pizza", reason="no advertised skill can order pizza"),)
    assert not_done_line(unserved) == "**Not done:** order a pizza (no advertised skill can order pizza)."
    text = refusal_text(unserved, ["arithmetic", "unit_conversion"])
    assert text.startswith("# Not done") and "This network can: arithmetic, unit conversion." in text
