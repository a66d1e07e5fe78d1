"""The data_analyst tools: describe a table, query it (filter/sort/top-N), and group-and-aggregate it.

Every tool takes the table inline (`table`: CSV or JSON text) or from the task's materials (a data part,
a CSV/JSON file part or a text part, whose prose around a table is skipped; `source` picks one; column
summaries from earlier steps come last), returns a Markdown table as text plus the result
rows as JSON records (queries and groups also give `matched_rows`, the rows that met the conditions, and
`table_rows`), and raises `ToolError` for unreadable tables, unknown columns and impossible requests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agents.runtime.messages import Material
from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult

from .analysis import Aggregate, Condition, Row, describe, filter_rows, group, sort_rows
from .inline import split_inline_table
from .render import rows_data, rows_markdown, stats_markdown
from .table import MAX_ROWS, Table, from_material, normalise, parse_text


class TableArgs(BaseModel):
    table: str | None = Field(
        default=None,
        description="The table as CSV or JSON text when it was given inline in the request (copy it exactly,"
        " header included). Leave empty to use an attached table.",
    )
    source: str | None = Field(
        default=None,
        description="Source name of the attached material holding the table (default: the first).",
    )


class DescribeArgs(TableArgs):
    columns: list[str] = Field(default_factory=list, description="Only describe these columns (default: all).")


class FilterArgs(TableArgs):
    where: list[Condition] = Field(default_factory=list, description="Row conditions (default: keep all rows).")
    match: Literal["all", "any"] = Field(default="all", description="Rows must meet all or any conditions.")
    sort_by: str | None = Field(default=None, description="Column to sort the result by.")
    descending: bool = Field(default=False, description="Sort from largest to smallest.")
    limit: int | None = Field(default=None, ge=1, le=MAX_ROWS, description="Keep only the first N rows (top-N).")


class QueryArgs(FilterArgs):
    columns: list[str] = Field(default_factory=list, description="Columns to return (default: all).")


class GroupArgs(FilterArgs):
    group_by: list[str] = Field(
        default_factory=list, description="Columns to group by (empty: aggregate the whole table)."
    )
    aggregates: list[Aggregate] = Field(
        default_factory=lambda: [Aggregate(func="count")],
        description="Aggregates per group (default: count of rows). sort_by may name a group column, an"
        " output column such as sum_revenue, or an aggregated column.",
    )


def load_table(args: TableArgs, ctx: ToolContext) -> Table:
    """The table named by the arguments: inline text first, else the chosen or first readable material."""
    if args.table and args.table.strip():
        return parse_text(args.table)
    materials = list(ctx.materials)
    if not materials:
        raise ToolError("no table was supplied: attach a CSV or JSON table, or pass it in `table`")
    if args.source:
        chosen = [m for m in materials if args.source.casefold() in (m.source.casefold(), m.filename.casefold())]
        if not chosen:
            names = ", ".join(m.source for m in materials)
            raise ToolError(f"no attached material is called {args.source!r}; attached: {names}")
        materials = chosen
    return _first_table(materials)


def material_table(material: Material) -> Table:
    """The table of one material; a text that is prose around a table (another agent's Markdown answer)
    gives that table. Raises `ToolError` when there is none."""
    if material.data is None and material.content is None and material.text:
        inline = split_inline_table(material.text).table
        if inline is not None and inline.strip() != material.text.strip():
            try:
                return parse_text(inline)
            except ToolError:
                pass
    return from_material(material)


def is_profile(table: Table) -> bool:
    """Whether `table` is a column summary (describe_table's result), not data to query."""
    return [normalise(c) for c in table.columns[:5]] == ["column", "type", "count", "missing", "unique"]


def _first_table(materials: list[Material]) -> Table:
    """The first readable table, preferring data over column summaries that earlier steps produced."""
    errors: list[str] = []
    profiles: list[Table] = []
    for material in materials:
        try:
            table = material_table(material)
        except ToolError as exc:
            errors.append(f"{material.source}: {exc}" if len(materials) > 1 else str(exc))
            continue
        if not is_profile(table):
            return table
        profiles.append(table)
    if profiles:
        return profiles[0]
    raise ToolError("; ".join(errors))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _notes(table: Table) -> str:
    return "".join(f"\n\nNote: {n}." for n in table.notes)


def describe_table(args: DescribeArgs, ctx: ToolContext) -> ToolResult:
    table = load_table(args, ctx)
    stats = describe(table, args.columns)
    head = f"The table has {_count(len(table.rows), 'row')} and {_count(len(table.columns), 'column')}."
    return ToolResult(
        text=f"{head}\n\n{stats_markdown(stats)}{_notes(table)}",
        data={"row_count": len(table.rows), "column_count": len(table.columns), "columns": list(stats)},
    )


def _steps(args: FilterArgs, sort_name: str | None) -> str:
    steps = []
    if args.where:
        joiner = " and " if args.match == "all" else " or "
        steps.append(
            "where "
            + joiner.join(f"{c.column} {c.op} {c.value if c.value is not None else ''}".strip() for c in args.where)
        )
    if sort_name:
        steps.append(f"sorted by {sort_name} {'descending' if args.descending else 'ascending'}")
    if args.limit:
        steps.append(f"first {args.limit}")
    return "; ".join(steps)


def query_table(args: QueryArgs, ctx: ToolContext) -> ToolResult:
    table = load_table(args, ctx)
    rows = filter_rows(table, args.where, args.match)
    matched = len(rows)
    sort_name = None
    if args.sort_by:
        index = table.index(args.sort_by)
        sort_name = table.columns[index]
        rows = sort_rows(rows, index, args.descending)
    if args.limit:
        rows = rows[: args.limit]
    keep = [table.index(c) for c in args.columns] or list(range(len(table.columns)))
    header = [table.columns[i] for i in keep]
    out: list[Row] = [tuple(row[i] for i in keep) for row in rows]
    steps = _steps(args, sort_name)
    head = f"{matched} of {_count(len(table.rows), 'row')} match" + (f" ({steps})" if steps else "")
    head += f"; {len(out)} shown."
    body = rows_markdown(header, out) if out else "_No rows match._"
    data = rows_data(header, out, len(out)) | {"matched_rows": matched, "table_rows": len(table.rows)}
    return ToolResult(text=f"{head}\n\n{body}{_notes(table)}", data=data)


def _output_index(header: list[str], args: GroupArgs, table: Table, name: str) -> int:
    """Where `name` is in a group result: an output column, or the first aggregate of a source column."""
    keys = [normalise(h) for h in header]
    if normalise(name) in keys:
        return keys.index(normalise(name))
    source = table.columns[table.index(name)]
    offset = len(header) - len(args.aggregates)
    for position, agg in enumerate(args.aggregates):
        if agg.column is not None and table.columns[table.index(agg.column)] == source:
            return offset + position
    if source in header:
        return header.index(source)
    raise ToolError(f"cannot sort by {name!r}: the result's columns are {', '.join(header)}")


def group_aggregate(args: GroupArgs, ctx: ToolContext) -> ToolResult:
    table = load_table(args, ctx)
    if not args.aggregates:
        raise ToolError("name at least one aggregate (count, sum, mean, median, min or max)")
    rows = filter_rows(table, args.where, args.match)
    header, out = group(table, rows, args.group_by, args.aggregates)
    sort_name = None
    if args.sort_by:
        index = _output_index(header, args, table, args.sort_by)
        sort_name = header[index]
        out = sort_rows(out, index, args.descending)
    if args.limit:
        out = out[: args.limit]
    by = ", ".join(header[: len(args.group_by)]) or "the whole table"
    steps = _steps(args, sort_name)
    head = f"{_count(len(out), 'group')} by {by} over {len(rows)} of {_count(len(table.rows), 'row')}" + (
        f" ({steps})" if steps else ""
    )
    data = rows_data(header, out, len(out)) | {"matched_rows": len(rows), "table_rows": len(table.rows)}
    return ToolResult(text=f"{head}.\n\n{rows_markdown(header, out)}{_notes(table)}", data=data)


TOOLS: list[Tool[DescribeArgs] | Tool[QueryArgs] | Tool[GroupArgs]] = [
    Tool(
        "describe_table",
        "Describe a table's columns: type, count, missing, unique values; min, max, mean, median and standard"
        " deviation of numbers; the most frequent values of text columns.",
        DescribeArgs,
        describe_table,
    ),
    Tool(
        "query_table",
        "Filter a table's rows by conditions, sort them by a column, keep the top N and pick columns.",
        QueryArgs,
        query_table,
    ),
    Tool(
        "group_aggregate",
        "Group a table's rows by one or more columns (or none, for the whole table) and compute count, sum,"
        " mean, median, min or max per group; optional filter, sort and top-N on the result.",
        GroupArgs,
        group_aggregate,
    ),
]
