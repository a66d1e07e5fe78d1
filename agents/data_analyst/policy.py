"""The data_analyst's offline policy: the tool choices Claude would make for a table request.

First turn: find the table (inline in the instruction, or attached), decline requests that have nothing to
do with tables, ask for the table when the request is about one but none came, else call the one tool the
request calls for with arguments read from the text. Second turn: answer with the tool's Markdown result, or
explain the tool's error (unreadable table, unknown column ...). The policy never calls a tool twice.
"""

from __future__ import annotations

import re

from agents.runtime.messages import Conversation, Material, ModelTurn
from agents.runtime.offline import answer_from, ask, call, decline
from agents.runtime.tools import ToolError

from .inline import split_inline_table
from .intent import SKILLS, choose_tool, mentions_table, plan_arguments
from .table import from_material, parse_text

ASK_FOR_TABLE = "Please attach the table (CSV or JSON) to analyse."
_OFF_TOPIC = re.compile(
    r"\b(translat\w*|poem|poetry|story|essay|joke|e-?mail|letter|recipe|haiku|song|lyrics|weather|news)\b",
    re.I,
)
_TABLE_OPERATION = re.compile(
    r"\b(group(ed)?\s+by|sort(ed)?\s+by|order(ed)?\s+by|filter|where|per|for each|top\s+\w+\s+rows?"
    r"|columns?|rows?)\b",
    re.I,
)
_HEADINGS = {
    "describe_table": "## Column summary",
    "query_table": "## Query result",
    "group_aggregate": "## Grouped result",
}


def _request_text(instruction: str) -> str:
    """The instruction without the runtime's "You asked: ..." lines (not the caller's words)."""
    lines = [line for line in instruction.splitlines() if not line.startswith("You asked:")]
    return "\n".join(line.removeprefix("The caller replied:").strip() for line in lines)


def _columns(table_text: str | None, materials: tuple[Material, ...]) -> list[str]:
    """Column names of the table the tool will read, or [] when it cannot be read (the tool says why)."""
    try:
        if table_text is not None:
            return list(parse_text(table_text).columns)
        for material in materials:
            try:
                return list(from_material(material).columns)
            except ToolError:
                continue
    except ToolError:
        pass
    return []


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn for `conversation` (see the module docstring)."""
    history = conversation.tool_history()
    if history:
        tool_call, outcome = history[-1]
        heading = _HEADINGS.get(tool_call.name, "## Result")
        return answer_from(outcome, failed="I could not complete the analysis", heading=heading)
    task = conversation.input
    split = split_inline_table(task.instruction)
    request = _request_text(split.request)
    has_table = split.table is not None or bool(task.materials)
    tool = choose_tool(request, task.skill_hint)
    about_tables = mentions_table(request) or task.skill_hint in SKILLS
    if _OFF_TOPIC.search(request) and not about_tables:
        return decline("data_analyst only analyses tables (describe, filter, sort, group and aggregate).")
    if tool is None and not has_table and not about_tables:
        return decline("this is not a request about a table; data_analyst only analyses CSV or JSON tables.")
    if not has_table:
        if about_tables or _TABLE_OPERATION.search(request):
            return ask(ASK_FOR_TABLE)
        return decline("no table is involved; data_analyst analyses tables, not free-standing numbers or text.")
    tool = tool or "describe_table"
    arguments = plan_arguments(tool, request, _columns(split.table, task.materials))
    if split.table is not None:
        arguments["table"] = split.table
    return call(tool, **arguments)
