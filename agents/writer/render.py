"""Compact Markdown renderings of structured material: JSON values and CSV text.

Contracts: every function returns Markdown lines (no trailing newline) bounded in size: tables show at most
`MAX_ROWS` rows and `MAX_COLUMNS` columns, bullet lists at most `MAX_BULLETS` items, and cells at most
`MAX_CELL` characters, with a line saying what was left out. Numbers print exactly, without a spurious `.0`
(protobuf data parts turn every integer into a float). Text from the material is placed with
`markdown.cell`/`markdown.inline`, so operators, underscores and pipes render as written.
"""

from __future__ import annotations

import csv
import io
import re

from pydantic import JsonValue

from .markdown import cell, inline

MAX_ROWS = 10
MAX_COLUMNS = 8
MAX_BULLETS = 12
MAX_CELL = 80
MAX_LIST_ITEMS = 12


def plain(value: JsonValue) -> str:
    """One JSON value as short plain text: numbers exactly as they are (18.0 -> "18", 13.490737563232042 in
    full), booleans as yes/no, missing as "-", lists joined, objects as "key: value"; long text cut short."""
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif value is None:
        text = "-"
    elif isinstance(value, list):
        shown = [plain(v) for v in value[:MAX_LIST_ITEMS]]
        more = f", … (+{len(value) - MAX_LIST_ITEMS})" if len(value) > MAX_LIST_ITEMS else ""
        text = ", ".join(shown) + more
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {plain(v)}" for k, v in list(value.items())[:MAX_LIST_ITEMS])
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def scalar(value: JsonValue) -> str:
    """`plain(value)` ready for a Markdown table cell: rendered as written, pipes escaped."""
    return cell(plain(value))


def table(header: list[str], rows: list[list[str]], total_rows: int | None = None) -> list[str]:
    """A Markdown table of at most MAX_ROWS rows and MAX_COLUMNS columns, with a note of what was cut."""
    columns = header[:MAX_COLUMNS]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join((row + [""] * len(columns))[: len(columns)]) + " |" for row in rows[:MAX_ROWS]]
    total = len(rows) if total_rows is None else total_rows
    notes = []
    if total > MAX_ROWS:
        notes.append(f"{total - MAX_ROWS} more rows")
    if len(header) > MAX_COLUMNS:
        notes.append(f"{len(header) - MAX_COLUMNS} more columns")
    if notes:
        lines.append(f"\n*({', '.join(notes)} not shown)*")
    return lines


def _is_scalar(value: JsonValue) -> bool:
    return not isinstance(value, dict | list) or (
        isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)
    )


def _flatten(value: JsonValue, prefix: str = "") -> list[tuple[str, JsonValue]]:
    """(dotted path, value) pairs down to scalars or lists of scalars."""
    if isinstance(value, dict) and value:
        pairs: list[tuple[str, JsonValue]] = []
        for key, item in value.items():
            pairs += _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(value, list) and value and not _is_scalar(value):
        pairs = []
        for i, item in enumerate(value):
            pairs += _flatten(item, f"{prefix}[{i}]")
        return pairs
    return [(prefix or "value", value)]


def records_table(records: list[dict[str, JsonValue]]) -> list[str]:
    """A list of JSON objects as a table whose columns are the union of their keys, in first-seen order."""
    header: list[str] = []
    for record in records:
        header += [k for k in record if k not in header]
    rows = [[scalar(r.get(k)) for k in header] for r in records[:MAX_ROWS]]
    return table([scalar(h) for h in header], rows, total_rows=len(records))


def render_json(value: JsonValue) -> list[str]:
    """Structured data as a small table (flat object, list of objects, or an object whose `rows` are objects,
    as a data analyst's result is) or compact bullets (anything else)."""
    rows = value.get("rows") if isinstance(value, dict) else None
    if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
        return records_table([r for r in rows if isinstance(r, dict)])
    if isinstance(value, dict) and value and all(_is_scalar(v) for v in value.values()):
        return table(["Field", "Value"], [[scalar(k), scalar(v)] for k, v in value.items()])
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return records_table([v for v in value if isinstance(v, dict)])
    pairs = _flatten(value)
    lines = [f"- **{inline(path)}**: {scalar(v)}" for path, v in pairs[:MAX_BULLETS]]
    if len(pairs) > MAX_BULLETS:
        lines.append(f"- … {len(pairs) - MAX_BULLETS} more values not shown")
    return lines


def data_highlights(value: JsonValue, limit: int = 3) -> str:
    """The first `limit` scalar facts of a JSON value as one plain-text phrase: "mean = 18, stdev = 13.5"
    (place it with `markdown.inline`)."""
    facts = [f"{path} = {plain(v)}" for path, v in _flatten(value) if plain(v)]
    more = f" and {len(facts) - limit} more values" if len(facts) > limit else ""
    return ", ".join(facts[:limit]) + more


def render_csv(text: str) -> list[str]:
    """CSV text as a preview table (header row + the first rows); malformed CSV falls back to a code block."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text.strip())) if any(c.strip() for c in row)]
    except csv.Error:
        rows = []
    if len(rows) < 2:
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        return [fence, *text.strip().splitlines()[:MAX_ROWS], fence]
    header, body = rows[0], rows[1:]
    return table([scalar(h) for h in header], [[scalar(c) for c in row] for row in body])
