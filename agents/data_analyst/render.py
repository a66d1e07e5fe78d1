"""Rendering of results: Markdown tables for people and JSON records for programs, both size-capped."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import JsonValue

from .analysis import Row, display, jsonable

MARKDOWN_ROWS = 20  # rows shown in the Markdown answer
DATA_ROWS = 1000  # rows carried in the data part


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], limit: int = MARKDOWN_ROWS) -> str:
    """A GitHub-style Markdown table of at most `limit` rows, with a note when rows were left out."""
    lines = [_line(header), "| " + " | ".join("---" for _ in header) + " |"]
    lines += [_line(row) for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n_Showing the first {limit} of {len(rows)} rows; the data part holds up to {DATA_ROWS}._")
    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def rows_markdown(header: Sequence[str], rows: Sequence[Row]) -> str:
    return markdown_table(header, [[display(c) for c in row] for row in rows])


def rows_data(header: Sequence[str], rows: Sequence[Row], total: int) -> dict[str, JsonValue]:
    """The data part of a row result: `{columns, rows: [records], row_count, returned, truncated}`."""
    kept = rows[:DATA_ROWS]
    records: list[JsonValue] = [{h: jsonable(c) for h, c in zip(header, row, strict=True)} for row in kept]
    return {
        "columns": list(header),
        "rows": records,
        "row_count": total,
        "returned": len(kept),
        "truncated": len(kept) < total,
    }


def stats_markdown(stats: Sequence[dict[str, JsonValue]]) -> str:
    """The describe result as one Markdown table, a row per column."""
    header = [
        "Column",
        "Type",
        "Count",
        "Missing",
        "Unique",
        "Min",
        "Max",
        "Mean",
        "Median",
        "Stdev",
        "Top values",
    ]
    rows = []
    for s in stats:
        top = s.get("top")
        entries = top if isinstance(top, list) else []
        top_text = ", ".join(f"{_text(t['value'])} ({t['count']})" for t in entries if isinstance(t, dict))
        rows.append(
            [_text(s.get(k)) for k in ("column", "type", "count", "missing", "unique", "min", "max", "mean")]
            + [_text(s.get("median")), _text(s.get("stdev")), top_text]
        )
    return markdown_table(header, rows, limit=len(rows))


def _text(value: JsonValue) -> str:
    if isinstance(value, float | int | bool) or value is None:
        return display(value)
    return str(value)
