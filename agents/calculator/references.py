"""Values a request takes from an earlier step: "take the square root of that mean", "double the result".

Contract of `resolve_references(text, materials)`: the first phrase of `text` that points back at an earlier
result ("that mean", "the total", "this result", "the square root of it") is replaced by the number the
materials give for it: a data part's field of that name (mean, median, sum, min, max, result ...), else the
number a text material's first line ends with ("Mean of 12, 19, 23, 31 = 21.25"), with its unit when the
phrase names a measure ("walk that distance" -> "walk 24.14 km"). The text comes back
unchanged when nothing points back, or when the materials hold no such number; it is never evaluated here.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import Material

from .formatting import format_number
from .units import find_unit_or_none

_NOUNS = (
    "mean|average|median|sum|total|result|answer|value|number|figure|amount|many|much|count|minimum|maximum|min|max|"
    "range|mode|"
    "distance|length|weight|mass|height|duration|volume|temperature|speed|area"
)
_MEASURES = frozenset("distance length weight mass height duration volume temperature speed area".split())
_NAMED = re.compile(rf"\b(?:that|the|this|its|their|our|your)\s+(?P<noun>{_NOUNS})\b(?!\s+of\s+\d)", re.IGNORECASE)
_IT = re.compile(
    r"\b(?:of|double|triple|halve|square|cube)\s+(?P<it>it|that|this)\b|\b(?P<it2>it|that)\s+(?=by\b|to the\b)|"
    r"\b(?:turn|convert|change|make|put|express|give me|show)\s+(?P<into>it|that|this)\s+(?=into\b|to\b|in\b|as\b)|"
    r"\b(?:use|using|take|taking)\s+(?P<used>it|that|this)\b|"  # "use that to work out how many degrees above ..."
    r"\b(?P<worth>it's|it is|that's|that is|they're|they are|its)\s+(?=worth\b)",  # "what it's worth at 1.20 per kg"
    re.I,
)
_KEYS = {"average": "mean", "total": "sum", "minimum": "min", "maximum": "max", "mode": "modes"}
_GENERIC = ("result", "display", "mean", "sum")  # what "the result" or "it" reads from a data part
_LAST_NUMBER = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)(?:\s*([A-Za-z°²³/%]{0,12}))?\s*\W*$")


def _from_data(data: JsonValue, noun: str) -> float | None:
    if not isinstance(data, dict):
        return None
    plain = ("result", "answer", "value", "number", "figure", "amount", "many", "much")
    keys = (_KEYS.get(noun, noun),) if noun not in plain else ()
    for key in (*keys, *_GENERIC) if not keys else keys:
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.replace(",", ""))
            except ValueError:
                continue
    return None


def _from_text(text: str) -> tuple[float, str] | None:
    """The number a material's first line ends with ("15 mi = 24.14 km"), and the unit written after it."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = _LAST_NUMBER.search(first) if "=" in first or ":" in first else None
    if match is None:
        return None
    shown = match.group(1).replace(",", "")
    # the direct answer is rounded ("154.22 kg"); the details below it give the value in full ("154.2214058")
    precise = re.search(rf"(?<![\d.]){re.escape(shown)}\d+", text.replace(",", "")) if "." in shown else None
    return float(precise.group(0) if precise else shown), match.group(2) or ""


_UNIT_NOUN = re.compile(r"\b(?:that|the|those|these)\s+(?P<noun>[a-z]+)\b(?!\s+of\s+\d)", re.IGNORECASE)
_CONVERTING = re.compile(r"\b(?:in|to|into)\s+(?P<unit>[^\W\d_]+(?:\s+[^\W\d_]+)?)", re.IGNORECASE)


def _unit_named(match: re.Match[str] | None) -> re.Match[str] | None:
    """ "multiply the pounds by 4.20": a unit named as the earlier result."""
    return match if match is not None and find_unit_or_none(match["noun"]) is not None else None


def resolve_references(text: str, materials: tuple[Material, ...]) -> str:
    """`text` with its first back-reference replaced by the earlier result's number (see the docstring)."""
    match = _NAMED.search(text) or _IT.search(text)  # "of that mean" names the mean: the noun comes first
    unit_noun = match is None and (match := _unit_named(_UNIT_NOUN.search(text))) is not None
    if match is None or not materials:
        return text
    noun = "result" if unit_noun else (match.groupdict().get("noun") or "result").lower()
    values: list[tuple[float, str] | None] = [
        (v, "") if (v := _from_data(m.data, noun)) is not None else None for m in materials if m.data is not None
    ]
    texts = [_from_text(m.as_text()) for m in materials if m.data is None]
    generic = noun in ("result", "answer", "value", "number", "figure", "amount", "many", "much")
    values = [*texts, *values] if generic else [*values, *texts]  # "the result": the direct answer's number
    found = next((v for v in values if v is not None), None)
    if found is None:
        return text
    number = format_number(found[0])
    unit = found[1] or next((v[1] for v in values if v is not None and v[1]), "")
    if match.groupdict().get("worth"):  # "what it's worth at 1.20 per kg": the amount, with its unit, priced
        shown = f"{number} {unit}" if unit and find_unit_or_none(unit) is not None else number
        return f"{text[: match.start('worth')]}{shown} is {text[match.end('worth') :]}"
    if match.groupdict().get("into"):  # "turn that into hours": the value with its unit, to be converted
        shown = f"{number} {unit}" if unit and find_unit_or_none(unit) is not None else number
        return f"{text[: match.start('into')]}{shown}{text[match.end('into') :]}"
    converting = _CONVERTING.search(text, match.end())
    if unit and find_unit_or_none(unit) is not None and not unit_noun and converting:
        named = converting["unit"]  # "what is that average in miles?", "convert that figure to square feet"
        if find_unit_or_none(named.split()[0]) is not None or find_unit_or_none(named) is not None:
            return f"{text[: match.start()]}{number} {unit}{text[match.end() :]}"
    for group in ("it", "it2", "used"):
        if match.groupdict().get(group):
            return f"{text[: match.start(group)]}{number}{text[match.end(group) :]}"
    end = match.end()
    of = re.match(r"\s+of\b", text[end:])
    if noun in ("number", "amount") and of:
        end += of.end()  # "convert that number of kilograms" -> "convert 44.6 kilograms"
    elif noun in _MEASURES and found[1]:
        number = f"{number} {found[1]}"  # "walk that distance" -> "walk 24.14 km"
    return f"{text[: match.start()]}{number}{text[end:]}"


# "then work out the cooking time in minutes at 40 minutes per kilogram", "how many hours at our pace of 4 km per
# hour": a rate applied to the earlier result (a weight, a distance), with no number of its own but the rate's
_AT_RATE = re.compile(
    r"\bat\s+(?:(?:our|my|a|the|an|your)\s+)?(?:[a-z]+\s+)?(?:of\s+)?(?P<n>\d+(?:\.\d+)?)\s*(?P<top>[A-Za-zµ°]+)\s*"
    r"(?:per|a|an|each|/)\s*(?P<bottom>[A-Za-zµ°]+)\b",
    re.IGNORECASE,
)


def rate_on_result(text: str, materials: tuple[Material, ...]) -> tuple[str, str] | None:
    """The expression and unit of a rate applied to the earlier result: 6.35 kg at 40 minutes per kilogram is
    "6.35 * 40" minutes; 14.48 km at 4 km per hour is "14.48 / 4" hours. None unless the text's only number is
    the rate's and the result's unit is one side of it."""
    rate = _AT_RATE.search(text)
    if rate is None or len(re.findall(r"(?<![\w.])\d", text)) != 1:
        return None
    found = next((f for m in materials if m.data is None and (f := _from_text(m.as_text())) is not None), None)
    if found is None or not found[1]:
        return None
    value, unit = found
    held, top, bottom = find_unit_or_none(unit), find_unit_or_none(rate["top"]), find_unit_or_none(rate["bottom"])
    if held is None:
        return None
    if bottom is not None and bottom.dimension == held.dimension and not held.offset:
        amount = format_number(value * held.factor / bottom.factor)
        return f"{amount} * {rate['n']}", rate["top"]  # per kilogram of a weight: times
    if top is not None and top.dimension == held.dimension and not held.offset:
        amount = format_number(value * held.factor / top.factor)
        return f"{amount} / {rate['n']}", rate["bottom"]  # km per hour over a distance: the hours it takes
    return None
