"""Pure table operations: column statistics, filtering, sorting and grouped aggregation over a `Table`.

Contract: functions never mutate their inputs; missing cells (`None`) are skipped by statistics and
aggregates, match no condition except `is_missing`, and sort last in either direction. Unknown columns and
operations that do not fit a column's type raise `ToolError`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, JsonValue

from agents.runtime.tools import ToolError

from .table import Cell, Table, convert

Op = Literal[
    "==",
    "!=",
    ">",
    ">=",
    "<",
    "<=",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "is_missing",
    "not_missing",
]
AggFunc = Literal["count", "sum", "mean", "median", "min", "max"]
Row = tuple[Cell, ...]
TOP_VALUES = 3


class Condition(BaseModel):
    column: str = Field(description="Column name, as in the table header.")
    op: Op = Field(description="Comparison; text comparisons ignore case.")
    value: str | float | bool | None = Field(
        default=None, description="Value to compare with (not needed for is_missing / not_missing)."
    )


class Aggregate(BaseModel):
    func: AggFunc = Field(description="count, sum, mean, median, min or max.")
    column: str | None = Field(
        default=None, description="Column to aggregate; omit for count to count rows in each group."
    )


def describe(table: Table, names: Sequence[str] = ()) -> list[dict[str, JsonValue]]:
    """Per-column statistics: type, count, missing, unique; min/max/mean/median/stdev for numbers,
    min/max for dates, and the most frequent values for everything else."""
    indexes = [table.index(n) for n in names] if names else list(range(len(table.columns)))
    stats: list[dict[str, JsonValue]] = []
    for i in indexes:
        values = [row[i] for row in table.rows if row[i] is not None]
        kind = table.types[i]
        entry: dict[str, JsonValue] = {
            "column": table.columns[i],
            "type": kind,
            "count": len(values),
            "missing": len(table.rows) - len(values),
            "unique": len(set(values)),
        }
        if values and kind in ("int", "float"):
            numbers = [float(v) for v in values if isinstance(v, int | float)]
            entry |= {
                "min": jsonable(_order(values)[0]),
                "max": jsonable(_order(values)[-1]),
                "mean": statistics.fmean(numbers),
                "median": statistics.median(numbers),
                "stdev": statistics.stdev(numbers) if len(numbers) > 1 else None,
            }
        elif values and kind == "date":
            entry |= {"min": jsonable(_order(values)[0]), "max": jsonable(_order(values)[-1])}
        if kind in ("string", "bool"):
            top = sorted(Counter(values).items(), key=lambda kv: (-kv[1], str(kv[0])))[:TOP_VALUES]
            entry["top"] = [{"value": jsonable(v), "count": n} for v, n in top]
        stats.append(entry)
    return stats


def _order(values: list[Cell]) -> list[Cell]:
    try:
        return sorted(values)  # type: ignore[type-var]
    except TypeError:
        return sorted(values, key=str)


def filter_rows(table: Table, conditions: Sequence[Condition], match: Literal["all", "any"] = "all") -> list[Row]:
    """Rows meeting all (or any) conditions; every condition's column and value are checked first."""
    tests = [_predicate(table, c) for c in conditions]
    if not tests:
        return list(table.rows)
    combine = all if match == "all" else any
    return [row for row in table.rows if combine(test(row) for test in tests)]


def _predicate(table: Table, cond: Condition) -> Callable[[Row], bool]:
    i = table.index(cond.column)
    kind = table.types[i]
    if cond.op == "is_missing":
        return lambda row: row[i] is None
    if cond.op == "not_missing":
        return lambda row: row[i] is not None
    if cond.value is None:
        raise ToolError(f"condition on {table.columns[i]!r} with {cond.op!r} needs a value")
    raw = str(cond.value).strip()
    if cond.op in ("contains", "not_contains", "starts_with", "ends_with"):
        needle = raw.casefold()
        text_tests: dict[str, Callable[[str], bool]] = {
            "contains": lambda s: needle in s,
            "not_contains": lambda s: needle not in s,
            "starts_with": lambda s: s.startswith(needle),
            "ends_with": lambda s: s.endswith(needle),
        }
        test = text_tests[cond.op]
        return lambda row: row[i] is not None and test(display(row[i]).casefold())
    # int columns compare with any number ("age > 29.5")
    target = _coerce(convert(raw, "float" if kind == "int" else kind), table.rows, i)
    if isinstance(target, str):
        target = target.casefold()
    compare = _COMPARE[cond.op]

    def check(row: Row) -> bool:
        cell = row[i]
        if cell is None:
            return False
        try:
            return compare(cell.casefold() if isinstance(cell, str) else cell, target)
        except TypeError:
            raise ToolError(f"cannot compare {table.columns[i]!r} values with {raw!r}") from None

    return check


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
}


def _coerce(value: Cell, rows: Sequence[Row], i: int) -> Cell:
    """A filter value of a date column matched to the column's class (date vs. date-time)."""
    sample = next((row[i] for row in rows if row[i] is not None), None)
    if isinstance(value, datetime) and not isinstance(sample, datetime):
        return value.date()
    if isinstance(value, date) and not isinstance(value, datetime) and isinstance(sample, datetime):
        return datetime.combine(value, datetime.min.time(), tzinfo=sample.tzinfo)
    return value


def sort_rows(rows: Sequence[Row], index: int, descending: bool = False) -> list[Row]:
    """Rows ordered by one column; missing values last in either direction; stable."""
    present = [r for r in rows if r[index] is not None]
    missing = [r for r in rows if r[index] is None]
    try:
        ordered = sorted(present, key=lambda r: _sort_key(r[index]), reverse=descending)
    except TypeError:
        ordered = sorted(present, key=lambda r: str(r[index]), reverse=descending)
    return ordered + missing


def _sort_key(cell: Cell) -> Any:  # cells of one column share a type, so they compare
    return cell.casefold() if isinstance(cell, str) else cell


def group(
    table: Table, rows: Sequence[Row], keys: Sequence[str], aggregates: Sequence[Aggregate]
) -> tuple[list[str], list[Row]]:
    """One output row per distinct key combination (sorted by key), with one column per aggregate.

    With no keys the whole row set is one group. Raises `ToolError` for sum/mean/median over
    non-numeric columns.
    """
    key_idx = [table.index(k) for k in keys]
    plans = [(agg, None if agg.column is None else table.index(agg.column)) for agg in aggregates]
    for agg, i in plans:
        if agg.func in ("sum", "mean", "median") and (i is None or table.types[i] not in ("int", "float")):
            what = "rows" if i is None else f"column {table.columns[i]!r} ({table.types[i]})"
            raise ToolError(f"cannot compute {agg.func} of {what}: it needs a numeric column")
        if agg.func in ("min", "max") and i is None:
            raise ToolError(f"{agg.func} needs a column")
    buckets: dict[Row, list[Row]] = {}
    for row in rows:
        buckets.setdefault(tuple(row[i] for i in key_idx), []).append(row)
    if not key_idx and not buckets:
        buckets[()] = []
    ordered = sorted(buckets.items(), key=lambda kv: tuple((v is None, _text_key(v)) for v in kv[0]))
    header = [table.columns[i] for i in key_idx] + [
        agg.func if i is None else f"{agg.func}_{table.columns[i]}" for agg, i in plans
    ]
    out = [key + tuple(_aggregate(agg.func, members, i) for agg, i in plans) for key, members in ordered]
    return header, out


def _text_key(value: Cell) -> str | float:
    if isinstance(value, bool | None):
        return str(value)
    if isinstance(value, int | float):
        return value
    return value.isoformat() if isinstance(value, date) else value.casefold()


def _aggregate(func: AggFunc, rows: Sequence[Row], i: int | None) -> Cell:
    if i is None:
        return len(rows)
    values = [row[i] for row in rows if row[i] is not None]
    if func == "count":
        return len(values)
    if not values:
        return None
    if func in ("min", "max"):
        ordered = _order(values)
        return ordered[0] if func == "min" else ordered[-1]
    numbers = [v for v in values if isinstance(v, int | float)]
    if func == "sum":
        total = sum(numbers)
        return round(total, 10) if isinstance(total, float) else total
    return statistics.fmean(numbers) if func == "mean" else statistics.median(numbers)


def jsonable(value: Cell) -> JsonValue:
    """A cell as a JSON value (dates as ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def display(value: Cell) -> str:
    """A cell as text for tables and text conditions: floats to at most 4 decimals, missing as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
