"""The calculator's final answer, built from the results of its tool calls.

Contract of `compose(request, history)`: when at least one call succeeded, the first line is a one-line
direct answer that contains the result ("17 * 23 = 391", "68 kg = 149.91 lb", "Mean of 3, 5, 10 = 6"; a sum of
money also to the cent, "1249.99 * (1 + 20 / 100) = 1499.988 ≈ 1499.99"), and the
details follow after a blank line (the tool's own output: the exact expression in code formatting, the
conversion at full precision, the statistics table), then any calls that failed. Expressions are echoed with
spaces around binary operators and signs attached, so no Markdown renderer reads `*` as emphasis or a leading
`-` as a list item. When every call failed, the text says so and lists the reasons.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from pydantic import JsonValue

from agents.runtime.messages import ToolCall, ToolOutcome

from .formatting import format_number
from .parsing import common_unit
from .prose import story_unit
from .tools import STAT_LABELS
from .units import convert, find_unit_or_none

MAX_LISTED = 8  # numbers named in a statistics headline; longer lists are counted instead
_MONEY = re.compile(
    r"\b(?:vat|tax|tip|prices?|costs?|pays?|paid|invoices?|bills?|salar(?:y|ies)|wages?|budget|discount|fees?|"
    r"euros?|dollars?|usd|eur|gbp|cents?|pence|customer|charge[sd]?|spend|spent|savings|interest|loan|deposit|balance|rent)\b|[$€£¥]",
    re.IGNORECASE,
)

_REQUESTED = (
    (r"\b(mean|average|avg)\b", ("mean",)),
    (r"\bmedian\b", ("median",)),
    (r"\bmodes?\b", ("modes",)),
    (r"\b(sum|total|add up|tally|altogether)\b|\badd\s+(?=[$€£]?\d)", ("sum",)),  # "Add 128, 256 and 512"
    (r"\b(count|how many)\b", ("count",)),
    (r"\b(min|minimum|smallest|lowest|cheapest|least expensive|shortest|fewest)\b", ("min",)),
    (r"\b(max|maximum|largest|highest|biggest|priciest|most expensive|dearest|costliest|longest|most)\b", ("max",)),
    (r"\brange\b", ("range",)),
    (r"\b(standard deviation|stdev|std|sd)\b", ("sample_stdev", "population_stdev")),
    (r"\bvariance\b", ("sample_variance", "population_variance")),
    (r"\b(quartiles?|iqr|interquartile)\b", ("q1", "q3", "iqr")),
)
_OVERVIEW = ("mean", "median", "min", "max")


def requested_measures(request: str) -> list[str]:
    """The statistics the request names, in a stable order ("mean and standard deviation" -> mean, stdevs)."""
    keys = [key for pattern, found in _REQUESTED if re.search(pattern, request, re.IGNORECASE) for key in found]
    return list(dict.fromkeys(keys))


def rounded(x: float) -> str:
    """`x` for a one-line answer: at most two decimals from 1 up, four significant digits below 1."""
    if x == 0 or abs(x) >= 1:
        return format_number(round(x, 2))
    return format_number(x, 4)


def _value(value: JsonValue) -> str:
    if isinstance(value, list):
        return ", ".join(format_number(float(str(v)), 10) for v in value) or "none"
    if isinstance(value, int | float):
        return format_number(value, 10)
    return str(value)


def _numbers(tool_call: ToolCall, data: dict[str, JsonValue]) -> str:
    numbers = tool_call.arguments.get("numbers")
    if isinstance(numbers, list) and 0 < len(numbers) <= MAX_LISTED:
        return ", ".join(format_number(float(str(n))) for n in numbers)
    source = data.get("source")
    origin = f" from {source}" if isinstance(source, str) and source != "the request" else ""
    return f"the {data.get('count')} numbers{origin}"


_UNITLESS = frozenset({"count", "population_variance", "sample_variance"})  # measures not in the numbers' unit


def list_unit(request: str) -> str:
    """The one unit the listed numbers are in ("4.5, 3.8, 4.9 and 4.2 km", "1,250 g, 980 g and 2,315 g"), or were
    put in ("120 ms, 135 ms and 3 s": ms), so the answer says "4.35 km" and a later step can convert it; "" when
    there is none."""
    tail = request.rsplit(":", 1)[1] if ":" in request else request
    unit = common_unit(tail) or common_unit(request)
    if unit:
        return unit
    before = _IN_UNIT.search(request)  # "these response times in ms: 120, 135, 150"
    return before["unit"] if before and find_unit_or_none(before["unit"]) is not None else ""


_IN_UNIT = re.compile(r"\bin\s+(?P<unit>[^\W\d_]+)\s*:", re.I)


def _in_unit(request: str, tool_call: ToolCall, data: dict[str, JsonValue], key: str) -> str:
    """A measure's value, with the unit of the numbers when it has one ("4.35 km", not the variance)."""
    unit = list_unit(request) if tool_call.arguments.get("numbers") else ""
    return f"{_value(data[key])} {unit}" if unit and key not in _UNITLESS else _value(data[key])


def _statistics_headline(request: str, tool_call: ToolCall, data: dict[str, JsonValue]) -> str:
    numbers = _numbers(tool_call, data)

    def shown(key: str) -> str:
        return _in_unit(request, tool_call, data, key)

    keys = [k for k in requested_measures(request) if k in data]
    if not keys:
        overview = ", ".join(f"{k} = {shown(k)}" for k in _OVERVIEW if k in data)
        return f"Statistics of {numbers}: {overview}"
    first, *rest = keys

    def named(key: str) -> str:  # "which was the priciest?" of "eggs 2.40, ..., coffee 6.75": coffee
        value = data.get(key)
        if key not in ("min", "max") or not isinstance(value, int | float) or not _WHICH.search(request):
            return ""
        label = re.search(
            rf"\b([A-Za-z][A-Za-z' -]{{0,30}}?)\s*[:=-]?\s*[$€£]?\s*{re.escape(format_number(value))}0*\b", request
        )
        return f" ({label[1].strip()})" if label else ""

    pieces = [f"{STAT_LABELS[first]} of {numbers} = {shown(first)}{named(first)}"]
    pieces += [f"{STAT_LABELS[k].lower()} = {shown(k)}{named(k)}" for k in rest]
    return "; ".join(pieces)


_WHICH = re.compile(r"\b(?:which|what|who)\b(?!\s+(?:is|was|'s)\s+the\s+(?:sum|total|average|mean))", re.I)


def headline(request: str, tool_call: ToolCall, outcome: ToolOutcome) -> str:
    """The one-line direct answer for one successful call (its result, without Markdown emphasis)."""
    data = outcome.data if isinstance(outcome.data, dict) else {}
    if tool_call.name == "calculate" and "expression" in data:
        unit = story_unit(request)  # "15 * 18 = 270 mg": the dose per kg of a weight is in mg
        exact = f"{data['expression']} = {data['display']}{' ' + unit if unit else ''}"
        exact += _in_asked_unit(request, data.get("result"), unit)
        result = data.get("result")
        if unit and " = " not in exact.split(" = ", 1)[1] and isinstance(result, float) and abs(result) >= 1:
            decimals = str(data["display"]).partition(".")[2]
            if len(decimals) > 4 and unit not in ("min/km", "min/mi"):  # a long tail only: "1.092 L" reads fine
                exact += f" ≈ {rounded(result)} {unit}"  # "60 / 6.5 * 100 = 923.076923077 km ≈ 923.08 km"
        if unit in ("min/km", "min/mi") and isinstance(result, int | float) and result > 0:
            minutes, seconds = divmod(round(result * 60), 60)  # a pace as runners read it
            return f"{exact} ≈ {minutes}:{seconds:02d} per {'km' if unit == 'min/km' else 'mile'}"
        if _MONEY.search(request) and isinstance(result, float) and round(result, 2) != result:
            cents = Decimal(repr(result)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if str(cents) != str(data["display"]):  # not "1500.75 ≈ 1500.75" for a float's last bit
                return f"{exact} ≈ {cents}"  # money: the amount to the cent, after the exact value
        return exact
    if tool_call.name == "convert_units" and isinstance(data.get("result"), int | float):
        value, result = data["value"], data["result"]
        assert isinstance(value, int | float) and isinstance(result, int | float)  # narrowed for mypy
        return f"{format_number(value)} {data['from_unit']} = {rounded(result)} {data['to_unit']}"
    if tool_call.name == "describe_numbers" and data:
        return _statistics_headline(request, tool_call, data)
    return outcome.content.splitlines()[0] if outcome.content else ""


_ASKS_IN = re.compile(r"\b(?:how many|in|into|to|as)\s+(?P<unit>[A-Za-zµ°/²³]+(?:\s+[a-z]+)?)", re.IGNORECASE)


def _in_asked_unit(request: str, result: JsonValue, unit: str) -> str:
    """ "how many kg is 24 jars of 340 g each": " = 8.16 kg" after "24 * 340 = 8160 g" when the request asks
    for another unit of the same kind as the result's; "" otherwise."""
    source = find_unit_or_none(unit) if unit else None
    if source is None or not isinstance(result, int | float) or isinstance(result, bool):
        return ""
    for asked in _ASKS_IN.finditer(request):
        for words in (asked["unit"], asked["unit"].split()[0]):
            target = find_unit_or_none(words)
            if target is not None and target.dimension == source.dimension and target.symbol != source.symbol:
                return f" = {rounded(convert(result, source, target))} {target.symbol}"
    return ""


def _details(request: str, tool_call: ToolCall, outcome: ToolOutcome) -> str:
    if tool_call.name == "calculate":
        return f"**Result:** {outcome.content}"
    if tool_call.name == "convert_units":
        return f"**Conversion:** {outcome.content}"
    data = outcome.data if isinstance(outcome.data, dict) else {}
    measures = [k for k in requested_measures(request) if k in data]
    shown = [f"**{STAT_LABELS[k]}:** {_in_unit(request, tool_call, data, k)}" for k in measures]
    return "\n\n".join(part for part in (" · ".join(shown), outcome.content) if part)


def compose(request: str, history: list[tuple[ToolCall, ToolOutcome]]) -> str:
    """The answer text for `request` after the tool calls in `history` (see the module docstring)."""
    failures = [outcome.content for _, outcome in history if outcome.is_error]
    successes = [(tool_call, outcome) for tool_call, outcome in history if not outcome.is_error]
    if not successes:
        reasons = "\n".join(f"- {reason}" for reason in failures)
        return (
            f"**I could not complete this calculation.**\n\n{reasons}\n\nPlease correct the request and send it again."
        )
    first_line = "; ".join(headline(request, c, o) for c, o in successes)
    sections = [_details(request, c, o) for c, o in successes]
    sections += [f"**Could not compute:** {reason}" for reason in failures]
    return "\n\n".join([first_line, *sections])
