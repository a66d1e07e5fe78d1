"""The writer's tools: compose a report, an outline or an executive summary from the task's materials.

Each tool reads the materials attached to the task (`ToolContext.materials`: dependency outputs, files,
data) plus optional `notes` copied from the request itself, and raises `ToolError` when there is nothing
usable to write from. Output is Markdown text that cites sources as `[n]`, and a JSON summary as data.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult

from .compose import STYLE_LIMITS, Style, compose_outline, compose_report, compose_summary, prepare_sources

MAX_TITLE = 120

NOTES_FIELD = Field(
    default=None,
    description=(
        "Material written inline in the request itself (e.g. everything after 'from these notes:'), copied"
        " verbatim. Attached materials are read automatically; leave this empty when there are none inline."
    ),
)


class ComposeReportArgs(BaseModel):
    title: str = Field(description="The report's title, taken from the request (e.g. 'Q3 sales').")
    style: Style = Field(
        default="standard",
        description="'brief' (2 summary sentences, 3 points a source), 'standard' (3, 5), 'detailed' (5, 8).",
    )
    notes: str | None = NOTES_FIELD

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        title = " ".join(value.split()).strip("#").strip()
        if not title:
            raise ValueError("the title is empty")
        if len(title) > MAX_TITLE:
            raise ValueError(f"the title is longer than {MAX_TITLE} characters")
        return title


class OutlineArgs(BaseModel):
    title: str = Field(default="", description="Optional heading for the outline.", max_length=MAX_TITLE)
    max_points: int = Field(default=6, ge=1, le=30, description="How many key points in all (1-30).")
    notes: str | None = NOTES_FIELD


class ExecutiveSummaryArgs(BaseModel):
    max_sentences: int = Field(
        default=3, ge=1, le=10, description="How many sentences the summary paragraph has at most (1-10)."
    )
    notes: str | None = NOTES_FIELD


def compose_report_tool(args: ComposeReportArgs, context: ToolContext) -> ToolResult:
    """Title, summary, one section per source (key points, or a table for data), conclusion, sources."""
    _, points = STYLE_LIMITS[args.style]
    sources = prepare_sources(context.materials, args.notes, points, focus=args.title)
    text, data = compose_report(args.title, args.style, sources)
    return ToolResult(text=text, data=data)


def outline_tool(args: OutlineArgs, context: ToolContext) -> ToolResult:
    """A short bullet outline of the material, one bullet per source with its key points."""
    sources = prepare_sources(context.materials, args.notes, args.max_points, focus=args.title)
    text, data = compose_outline(args.title.strip(), args.max_points, sources)
    return ToolResult(text=text, data=data)


def executive_summary_tool(args: ExecutiveSummaryArgs, context: ToolContext) -> ToolResult:
    """One paragraph of the most informative sentences across the material, each cited."""
    sources = prepare_sources(context.materials, args.notes, args.max_sentences, focus="")
    text, data = compose_summary(args.max_sentences, sources)
    if not data["summary"]:
        raise ToolError("the material has no sentences to summarise")
    return ToolResult(text=text, data=data)


TOOLS: list[Tool[Any]] = [
    Tool(
        "compose_report",
        "Write a structured Markdown report (title, summary, a section per source, conclusion, numbered"
        " sources) from the task's attached materials and/or notes given inline in the request.",
        ComposeReportArgs,
        compose_report_tool,
    ),
    Tool(
        "outline",
        "Write a short bullet outline of the task's materials and/or inline notes, one bullet per source.",
        OutlineArgs,
        outline_tool,
    ),
    Tool(
        "executive_summary",
        "Write a one-paragraph executive summary of the task's materials and/or inline notes, cited.",
        ExecutiveSummaryArgs,
        executive_summary_tool,
    ),
]
