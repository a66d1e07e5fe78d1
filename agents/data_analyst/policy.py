"""The data_analyst's offline policy: the tool choices Claude would make for a table request.

First turn: find the table (inline in the instruction, or attached), decline requests that have nothing to
do with tables, ask for the table when the request is about one but none came, else call the one tool the
request calls for with arguments read from the text (what the question implies but does not name is filled
in by `measure.complete`). Second turn: the direct answer to the question first
(`answer.headline`, e.g. "East sold the most: 1,430 (revenue)"), then the tool's Markdown result; or the
tool's error explained (unreadable table, unknown column ...). The policy never calls a tool twice.
"""

from __future__ import annotations

import re

from agents.runtime.messages import Conversation, Material, ModelTurn
from agents.runtime.offline import answer, answer_from, ask, call, decline
from agents.runtime.tools import ToolContext, ToolError

from .answer import headline
from .inline import split_inline_table
from .intent import SKILLS, choose_tool, mentions_table, plan_arguments
from .measure import complete
from .table import Table, parse_text
from .tools import TableArgs, load_table

ASK_FOR_TABLE = "Please attach the table (CSV or JSON) to analyse."
_OFF_TOPIC = re.compile(
    r"\b(translat\w*|poem|poetry|story|essay|joke|e-?mail|letter|recipe|haiku|song|lyrics|weather|news)\b",
    re.I,
)
_TABLE_OPERATION = re.compile(
    r"\b(group(ed)?\s+by|sort(ed)?\s+by|order(ed)?\s+by|filter|where|per|for each|top\s+\w+\s+rows?"
    r"|columns?|rows?)\b|\b(sold|sales|revenue)\b.*\b(most|least|highest|lowest|total)\b"
    r"|\b(most|least|highest|lowest|total)\b.*\b(sold|sales|revenue)\b",
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


def _table(table_text: str | None, materials: tuple[Material, ...]) -> Table | None:
    """The table the tool will read, or None when it cannot be read (the tool then says why)."""
    try:
        if table_text is not None:
            return parse_text(table_text)
        return load_table(TableArgs(), ToolContext(materials=materials))
    except ToolError:
        return None


def _answer(conversation: Conversation) -> ModelTurn:
    """The direct answer to the question, then the tool's own Markdown (or the tool's error explained)."""
    tool_call, outcome = conversation.tool_history()[-1]
    heading = _HEADINGS.get(tool_call.name, "## Result")
    if outcome.is_error:
        return answer_from(outcome, failed="I could not complete the analysis", heading=heading)
    request = _request_text(split_inline_table(conversation.input.instruction).request)
    first = headline(request, tool_call.name, tool_call.arguments, outcome.data)
    if not first:  # nothing more direct to say than the tool's own first line
        first, _, rest = outcome.content.partition("\n\n")
        return answer("\n\n".join(part for part in (first, heading, rest) if part))
    return answer("\n\n".join(part for part in (first, heading, outcome.content) if part))


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn for `conversation` (see the module docstring)."""
    if conversation.tool_history():
        return _answer(conversation)
    task = conversation.input
    split = split_inline_table(task.instruction)
    request = _request_text(split.request)
    has_table = split.table is not None or bool(task.materials)
    tool = choose_tool(request, task.skill_hint)
    about_tables = mentions_table(request) or task.skill_hint in SKILLS
    if _OFF_TOPIC.search(request) and not (mentions_table(request) or has_table):
        # even when a caller chose a table skill: "today's top news headlines" is no table question
        return decline("data_analyst only analyses tables (describe, filter, sort, group and aggregate).")
    if tool is None and not has_table and not about_tables:
        return decline("this is not a request about a table; data_analyst only analyses CSV or JSON tables.")
    if not has_table:
        if about_tables or _TABLE_OPERATION.search(request):
            return ask(ASK_FOR_TABLE)
        return decline("no table is involved; data_analyst analyses tables, not free-standing numbers or text.")
    tool = tool or "describe_table"
    table = _table(split.table, task.materials)
    arguments = plan_arguments(tool, request, list(table.columns) if table else [])
    tool, arguments = complete(tool, arguments, request, table)
    if split.table is not None:
        arguments["table"] = split.table
    return call(tool, **arguments)
