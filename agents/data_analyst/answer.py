"""The data analyst's direct answer: one line that answers the question asked of the table.

Contract of `headline(request, tool, args, data)`: a single line, built only from the tool's result rows and
the arguments the tool ran with (never a number the tool did not return), e.g.

- "East sold the most: 1,430 (revenue)"      a which/who question answered by the top row or group
- "Lowest score: 67 (Bo)"                   a superlative that is not a which/who question
- "Top 3 by price: Chair (49.5), Lamp (25), Mug (8)"
- "Total points per team: Blue 19; Red 15"  every group, up to `MAX_LISTED`
- "Total revenue: 350"                      an aggregate of the whole table
- "2 of 4 rows match (price > 10)"          a count or filter
- "3 distinct city: Berlin, London, Paris"  how many unique values
- "The table has 4 rows and 3 columns: name, age, city."
- "...; missing values: age (1); averages: age 35.33"   when the request asks for them

It returns "" when the result has no rows to speak of (the tool's own text then leads).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import JsonValue

from .measure import named_column
from .table import normalise

MAX_LISTED = 8
_AGG_LABEL = {"sum": "total", "mean": "average", "median": "median", "min": "lowest", "max": "highest"}
_INVERTED = re.compile(
    r"(?:did|does|do|is|are|was|were|has|have|had|can|will|would|should)\s+(?:i|we|you|they|he|she|it)\b", re.I
)
_DISTINCT = re.compile(r"\b(?:unique|distinct|different)\b", re.I)
_PLAIN = re.compile(r"(^|\s)(id|code|zip|year|no|number|date|day)$")


def number(value: JsonValue, column: str = "") -> str:
    """A result value for people: thousands separators (not for ids or years), at most four decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "-" if value is None else str(value)
    if _PLAIN.search(normalise(column)):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _aggregate_label(name: str) -> str:
    """ "sum_revenue" -> "total revenue", "count" -> "rows", "mean_price" -> "average price"."""
    func, _, column = name.partition("_")
    if func == "count":
        return f"{column} count" if column else "rows"
    return f"{_AGG_LABEL.get(func, func)} {column.replace('_', ' ')}".strip()


def _conditions(args: dict[str, JsonValue]) -> str:
    where = args.get("where")
    if not isinstance(where, list) or not where:
        return ""
    joiner = " or " if args.get("match") == "any" else " and "
    parts = [
        " ".join(str(c.get(k)) for k in ("column", "op", "value") if c.get(k) is not None)
        for c in where
        if isinstance(c, dict)
    ]
    return joiner.join(parts)


def _predicate(request: str, columns: Sequence[str]) -> str | None:
    """ "Which region sold the most?" -> "sold the most": the words after "which <column>" or "who"; None when
    the request is not such a question ("What is the lowest score?")."""
    match = re.search(r"\b(?:(?:which|what|whose)\s+(?P<noun>\w+)|who)\s+(?P<pred>[^?.!:;\n]+)", request, re.I)
    if match is None or (match["noun"] and named_column(match["noun"], list(columns)) is None):
        return None
    if _INVERTED.match(match["pred"]):
        return None  # "which customer did I bill the most": no sentence reads "X did I bill the most"
    # "which route in the attached file was the longest" -> "was the longest": where it is, not what it did
    pred = re.sub(
        r"^(?:in|from|of)\s+(?:the|this|that|my|our|your)\s+(?:attached\s+)?(?:file|table|csv|sheet|spreadsheet|data|"
        r"list|export)\s+",
        "",
        match["pred"],
        flags=re.I,
    )
    return " ".join(pred.split())


def label_key(request: str, row: dict[str, JsonValue], skip: set[str]) -> str | None:
    """The column that names a result row: one the request mentions ("which products", "the most expensive
    product"), else the first text column."""
    columns = [c for c in row if c not in skip]
    for word in re.findall(r"[A-Za-z][\w-]*", request):
        column = named_column(word, columns)
        if column is not None and (isinstance(row.get(column), str) or len(normalise(column).split()) > 1):
            return column
    return next((c for c in columns if isinstance(row.get(c), str)), None)


def _records(data: dict[str, JsonValue]) -> list[dict[str, JsonValue]]:
    rows = data.get("rows")
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _names(value: JsonValue) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _label(request: str, row: dict[str, JsonValue], skip: set[str]) -> str:
    """How a result row is named: its label cell ("Chair"), or "order_id 4" for an identifier."""
    key = label_key(request, row, skip)
    if key is None:
        return ""
    value = row.get(key)
    return str(value) if isinstance(value, str) else f"{key} {number(value, key)}"


def _top(request: str, row: dict[str, JsonValue], label: str, key: str, descending: bool, what: str) -> str:
    value = number(row.get(key), key)
    predicate = _predicate(request, list(row))
    if predicate and label:
        return f"{label} {predicate}: {value} ({what})"
    extreme = "Highest" if descending else "Lowest"
    return f"{extreme} {what}: {value}" + (f" ({label})" if label else "")


def _matched(args: dict[str, JsonValue], data: dict[str, JsonValue], labels: list[str]) -> str:
    """ "2 of 4 rows match (price > 10): Lamp, Chair", or "" without conditions."""
    condition = _conditions(args)
    if not condition:
        return ""
    head = f"{number(data.get('matched_rows'))} of {number(data.get('table_rows'))} rows match ({condition})"
    named = list(dict.fromkeys(label for label in labels if label))
    return head + (f": {', '.join(named)}" if named and len(named) <= MAX_LISTED else "")


def _query(request: str, args: dict[str, JsonValue], data: dict[str, JsonValue]) -> str:
    rows = _records(data)
    key, limit = args.get("sort_by"), args.get("limit")
    if isinstance(key, str) and rows and key in rows[0]:
        descending = bool(args.get("descending"))
        if limit == 1:
            return _top(request, rows[0], _label(request, rows[0], {key}), key, descending, key.replace("_", " "))
        if isinstance(limit, int):
            shown = ", ".join(f"{_label(request, r, {key})} ({number(r.get(key), key)})" for r in rows)
            return f"{'Top' if descending else 'Bottom'} {len(rows)} by {key.replace('_', ' ')}: {shown}"
    return _matched(args, data, [_label(request, r, set()) for r in rows])


def _group(request: str, args: dict[str, JsonValue], data: dict[str, JsonValue]) -> str:
    rows, columns, keys = _records(data), _names(data.get("columns")), _names(args.get("group_by"))
    outputs = [c for c in columns if c not in keys]
    if not rows or not outputs:
        return ""
    if not keys:
        if outputs == ["count"]:
            return _matched(args, data, []) or f"Rows: {number(rows[0]['count'])}"
        return "; ".join(f"{_aggregate_label(c).capitalize()}: {number(rows[0].get(c), c)}" for c in outputs)
    key = next((c for c in outputs if c == args.get("sort_by")), outputs[0])

    def label_of(row: dict[str, JsonValue]) -> str:
        return " / ".join(str(row.get(k)) for k in keys)

    if outputs == ["count"] and _DISTINCT.search(request):  # "how many unique cities are there?"
        listed = ", ".join(label_of(r) for r in rows[:MAX_LISTED]) + (", …" if len(rows) > MAX_LISTED else "")
        return f"{number(data.get('row_count'))} distinct {', '.join(keys)}: {listed}"

    ranked = args.get("sort_by") == key and _predicate(request, [*keys, *outputs]) is not None
    if args.get("limit") == 1 or ranked:  # "which service cost us the most downtime?": the top group answers
        return _top(request, rows[0], label_of(rows[0]), key, bool(args.get("descending")), _aggregate_label(key))
    listed = "; ".join(f"{label_of(r)} {number(r.get(key), key)}" for r in rows[:MAX_LISTED])
    more = f"; … ({len(rows) - MAX_LISTED} more)" if len(rows) > MAX_LISTED else ""
    return f"{_aggregate_label(key).capitalize()} per {', '.join(keys)}: {listed}{more}"


_ASKS_MISSING = re.compile(r"\b(?:missing|blanks?|empty|gaps?|nulls?|incomplete)\b", re.I)
_ASKS_MEAN = re.compile(r"\b(?:averages?|means?|typical)\b", re.I)


def _profile(request: str, data: dict[str, JsonValue]) -> str:
    """ "The table has 6 rows and 5 columns: ...; missing: overtime_hours (1); averages: hours 39.08", the
    missing values and the means only when the request asks for them."""
    stats = [c for c in data.get("columns") or [] if isinstance(c, dict)]  # type: ignore[union-attr]
    names = [str(c.get("column")) for c in stats]
    line = f"The table has {data.get('row_count')} rows and {data.get('column_count')} columns: {', '.join(names)}"
    if _ASKS_MISSING.search(request):
        gaps = [f"{c.get('column')} ({c.get('missing')})" for c in stats if c.get("missing")]
        line += f"; missing values: {', '.join(gaps)}" if gaps else "; no missing values"
    if _ASKS_MEAN.search(request):
        means = [f"{c.get('column')} {number(c['mean'])}" for c in stats if isinstance(c.get("mean"), int | float)]
        line += f"; averages: {', '.join(means)}" if means else ""
    return line + "."


def headline(request: str, tool: str, args: dict[str, JsonValue], data: JsonValue) -> str:
    """The one-line direct answer (see the module docstring); "" when there is nothing to state."""
    if not isinstance(data, dict):
        return ""
    if tool == "describe_table":
        return _profile(request, data)
    if tool == "query_table":
        return _query(request, args, data)
    if tool == "group_aggregate":
        return _group(request, args, data)
    return ""
