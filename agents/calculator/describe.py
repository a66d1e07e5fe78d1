"""Descriptive statistics of a list of numbers, and finding numbers in text and JSON.

`describe(values)` needs at least two finite numbers and returns every measure at once (sums use `math.fsum`
so they are exactly rounded). Quartiles use linear interpolation between order statistics (the "inclusive"
method: numpy's default and Excel's QUARTILE.INC).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import JsonValue

from agents.runtime.tools import ToolError

from .units import find_unit_or_none

MIN_VALUES = 2
_SUMMARY_KEYS = frozenset({"count", "sum", "mean", "median", "min", "max", "range", "modes", "q1", "q3"})
MAX_VALUES = 100_000

# A number that is not part of a word ("s1", "v2") or a date ("2024-01-02"); "1,234.5" keeps its separators.
NUMBER = re.compile(
    r"(?<![\w.\-])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w-])|"
    r"(?<![\w.\-])[-+]?\.\d+(?![\w-])"
)


def numbers_in_text(text: str) -> list[float]:
    """Every stand-alone number in `text`, in order (thousands separators allowed); a short unit or scale glued
    to it is no part of it ("5km", "1.2m" are 5 and 1.2), an ordinal is no number ("2nd")."""
    text = _GLUED.sub(_unglued, text)
    return [float(m.group().replace(",", "")) for m in NUMBER.finditer(text)]


_GLUED = re.compile(r"(?<=\d)(?P<suffix>[A-Za-z°]{1,4})\b")
_SCALES = frozenset({"k", "m", "bn", "b", "mn"})


def _unglued(match: re.Match[str]) -> str:
    """ "5km" -> "5 km", "1.2m" -> "1.2 m"; a suffix that is no unit or scale stays glued ("1RM", "3D", "2nd")."""
    suffix = match["suffix"]
    if suffix.lower() in _SCALES or find_unit_or_none(suffix) is not None:
        return f" {suffix}"
    return suffix


def numbers_in_json(value: JsonValue) -> list[float]:
    """Numbers of a JSON value: a list of numbers, or the numeric lists inside an object or list of lists."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, str):
        return numbers_in_text(value)
    if isinstance(value, dict) and len(_SUMMARY_KEYS & set(value)) >= 3:
        return []  # an earlier step's statistics ({count, sum, mean ...}) summarise numbers, they are not them
    items: Iterable[JsonValue] = value.values() if isinstance(value, dict) else value
    found: list[float] = []
    for item in items:
        if isinstance(item, int | float) and not isinstance(item, bool):
            found.append(float(item))
        elif isinstance(item, list | dict):
            found.extend(numbers_in_json(item))
    return found


def numbers_in_material_text(text: str) -> list[float]:
    """Numbers of a text material, read as JSON when it is JSON."""
    stripped = text.strip()
    if stripped[:1] in "[{":
        try:
            return numbers_in_json(json.loads(stripped))
        except ValueError:
            pass
    return numbers_in_text(text)


def _quantile(ordered: Sequence[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _modes(values: Sequence[float]) -> list[JsonValue]:
    counts = Counter(values)
    top = max(counts.values())
    if top == 1:
        return []  # every value occurs once: no mode
    modes: list[JsonValue] = [v for v, c in sorted(counts.items()) if c == top]
    return modes


def describe(values: Sequence[float]) -> dict[str, JsonValue]:
    """Count, sum, mean, median, modes, extremes, range, variances, deviations and quartiles of `values`.

    Raises `ToolError` for fewer than two numbers, too many, or non-finite ones.
    """
    if len(values) < MIN_VALUES:
        raise ToolError(f"statistics need at least {MIN_VALUES} numbers; got {len(values)}")
    if len(values) > MAX_VALUES:
        raise ToolError(f"too many numbers ({len(values)}); the limit is {MAX_VALUES}")
    if not all(math.isfinite(v) for v in values):
        raise ToolError("every value must be a finite number")
    n = len(values)
    ordered = sorted(values)
    total = math.fsum(values)
    mean = total / n
    squares = math.fsum((v - mean) ** 2 for v in values)
    q1, median, q3 = (_quantile(ordered, q) for q in (0.25, 0.5, 0.75))
    return {
        "count": n,
        "sum": total,
        "mean": mean,
        "median": median,
        "modes": _modes(values),
        "min": ordered[0],
        "max": ordered[-1],
        "range": ordered[-1] - ordered[0],
        "population_variance": squares / n,
        "population_stdev": math.sqrt(squares / n),
        "sample_variance": squares / (n - 1),
        "sample_stdev": math.sqrt(squares / (n - 1)),
        "q1": q1,
        "q3": q3,
        "iqr": q3 - q1,
    }
