"""The writer's tools and their building blocks, called directly."""

from __future__ import annotations

from typing import Any

import pytest

from agents.runtime.messages import Material
from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult
from agents.writer.render import render_csv, render_json, scalar
from agents.writer.sentences import key_sentences, split_sentences
from agents.writer.tools import TOOLS

TOOL = {t.name: t for t in TOOLS}

NOTES = (
    "Revenue rose 12% in Q3 to $4.2M, driven by enterprise deals. Thanks everyone. "
    "Churn fell to 3.1%, e.g. in the SMB segment. The U.S. market grew fastest at 18%. "
    "Overall, the team recommends expanding the enterprise sales team in Q4."
)
CALC = Material(
    source="s1 (calculator)", data={"mean": 18.0, "stdev": 13.490737563232042}, media_type="application/json"
)
TEXT = Material(source="s2 (text_analyst)", text=NOTES)
CSV = Material(source="sales.csv", text="region,sales\nEU,10\nUS,20\n", media_type="text/csv")


def run(tool: str, args: dict[str, Any], *materials: Material) -> tuple[str, Any]:
    t: Tool[Any] = TOOL[tool]
    result = t.function(t.parse(args), ToolContext(materials=materials))
    assert isinstance(result, ToolResult)
    return result.text, result.data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One two three. Four five six!", ["One two three.", "Four five six!"]),
        ("Dr. Smith met Mr. J. Jones. They agreed.", ["Dr. Smith met Mr. J. Jones.", "They agreed."]),
        ("Growth was 3.5 percent e.g. in Q3. Next.", ["Growth was 3.5 percent e.g. in Q3.", "Next."]),
        ("# Heading\n- first item here\n- second item here", ["first item here", "second item here"]),
        ("A **bold** [link](http://x) here.\nwrapped line.", ["A bold link here. wrapped line."]),
        ("| a | b |\n|---|---|\n| 1 | 2 |", ["a, b", "1, 2"]),
        ("Same thing. Same thing.", ["Same thing."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_key_sentences_prefers_informative_and_keeps_order() -> None:
    picked = [s.text for s in key_sentences(NOTES, 3)]
    assert "Thanks everyone." not in picked
    assert picked[0].startswith("Revenue rose 12%")
    assert len(picked) == 3
    assert [NOTES.index(p) for p in picked] == sorted(NOTES.index(p) for p in picked)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (18.0, "18"),
        (13.490737563232042, "13.490737563232042"),  # numbers survive exactly
        (1234567.891, "1234567.891"),
        (True, "yes"),
        (None, "-"),
        ([1.0, 2.5], "1, 2.5"),
        ("a|b", "a\\|b"),
        ("x" * 200, "x" * 79 + "…"),
    ],
)
def test_scalar(value: Any, expected: str) -> None:
    assert scalar(value) == expected


@pytest.mark.parametrize(
    ("value", "first_line", "contains"),
    [
        ({"mean": 18.0}, "| Field | Value |", "| mean | 18 |"),
        ([{"a": 1.0, "b": "x"}, {"a": 2.0, "c": True}], "| a | b | c |", "| 2 | - | yes |"),
        ({"stats": {"mean": 2.0}, "n": [1.0, 2.0]}, "- **stats.mean**: 2", "- **n**: 1, 2"),
        ([{"a": float(i)} for i in range(15)], "| a |", "5 more rows not shown"),
        (
            {"columns": ["r", "v"], "rows": [{"r": "East", "v": 1430.0}], "row_count": 1.0},
            "| r | v |",
            "| East | 1430 |",
        ),
    ],
)
def test_render_json(value: Any, first_line: str, contains: str) -> None:
    lines = render_json(value)
    assert lines[0] == first_line
    assert contains in "\n".join(lines)


def test_render_csv_table_and_fallback() -> None:
    assert render_csv("x,y\n1,2\n")[:3] == ["| x | y |", "|---|---|", "| 1 | 2 |"]
    assert render_csv("just one line")[0] == "```"


def test_compose_report_structure_and_citations() -> None:
    text, data = run("compose_report", {"title": "Q3 sales"}, CALC, TEXT, CSV)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Q3 sales",
        "## Summary",
        "## 1. s1 (calculator)",
        "## 2. s2 (text_analyst)",
        "## 3. sales.csv",
        "## Conclusion",
        "## Sources",
    ]
    assert "| mean | 18 |" in text and "| EU | 10 |" in text
    assert "- Revenue rose 12% in Q3 to $4.2M, driven by enterprise deals. [2]" in text
    assert "Thanks everyone" not in text
    assert text.rstrip().endswith("3. sales.csv (text/csv)")
    assert "1. s1 (calculator) (application/json)" in text
    assert data["title"] == "Q3 sales" and [s["kinds"] for s in data["sources"]] == [["data"], ["text"], ["table"]]


@pytest.mark.parametrize(("style", "points"), [("brief", 3), ("standard", 4), ("detailed", 4)])
def test_compose_report_style_limits_points(style: str, points: int) -> None:
    _, data = run("compose_report", {"title": "T", "style": style}, TEXT)
    assert data["sources"][0]["points"] == points


def test_compose_report_inline_notes_are_a_cited_source() -> None:
    text, data = run("compose_report", {"title": "Notes only", "notes": NOTES})
    assert "## 1. notes in the request" in text
    assert data["sources"] == [{"number": 1, "source": "notes in the request", "kinds": ["text"], "points": 4}]


def test_text_and_data_of_one_source_are_one_cited_source() -> None:
    """A dependency sends its Markdown answer and its data under one source label; empty ones get no number."""
    answer = Material(source="s1 (calculator)", text="## Result\n\n| mean | 18 |\n\nThe mean of the six values is 18.")
    empty = Material(source="s0", text=" ")
    text, data = run("compose_report", {"title": "Stats"}, empty, answer, CALC)
    assert [(s["number"], s["source"], s["kinds"]) for s in data["sources"]] == [
        (1, "s1 (calculator)", ["text", "data"])
    ]
    assert "- The mean of the six values is 18. [1]" in text and "| stdev | 13.490737563232042 |" in text
    assert text.rstrip().endswith("1. s1 (calculator) (text/plain, application/json)")
    assert "[2]" not in text


def test_json_text_material_renders_as_data() -> None:
    material = Material(source="s3", text='{"total": 42}', media_type="application/json")
    text, _ = run("compose_report", {"title": "T"}, material)
    assert "| total | 42 |" in text


def test_outline_and_executive_summary() -> None:
    text, data = run("outline", {"max_points": 2, "title": "Plan"}, CALC, TEXT)
    assert text.startswith("## Outline: Plan")
    assert "- **s1 (calculator)** [1]" in text and "  - mean = 18, stdev = 13.490737563232042" in text
    assert len(data["outline"][1]["points"]) == 1
    text, data = run("executive_summary", {"max_sentences": 2}, TEXT, CALC)
    paragraph = text.split("\n\n")[1]
    assert paragraph.count("[1]") == 1 and paragraph.count("[2]") == 1
    assert data["summary"][0].startswith("Revenue rose")


@pytest.mark.parametrize(
    ("tool", "args", "materials", "message"),
    [
        ("compose_report", {"title": "T"}, (), "no material was supplied"),
        ("compose_report", {"title": "  "}, (TEXT,), "title: Value error, the title is empty"),
        ("compose_report", {"title": "x" * 200}, (TEXT,), "longer than 120"),
        ("compose_report", {"title": "T", "style": "epic"}, (TEXT,), "style: Input should be"),
        ("compose_report", {}, (TEXT,), "title: Field required"),
        ("compose_report", {"title": "T"}, (Material(source="e", text="  "),), "no usable content"),
        ("compose_report", {"title": "T", "notes": "ok"}, (), "no usable content"),
        ("outline", {"max_points": 0}, (TEXT,), "max_points: Input should be greater than or equal to 1"),
        ("outline", {}, (), "no material was supplied"),
        ("executive_summary", {"max_sentences": 11}, (TEXT,), "max_sentences: Input should be less than"),
        ("executive_summary", {}, (Material(source="d", data=None),), "no usable content"),
    ],
)
def test_bad_input_is_a_clear_tool_error(
    tool: str, args: dict[str, Any], materials: tuple[Material, ...], message: str
) -> None:
    with pytest.raises(ToolError) as info:
        run(tool, args, *materials)
    assert message in str(info.value)
