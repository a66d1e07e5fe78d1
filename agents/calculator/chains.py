"""Rates that multiply out to the unit asked for.

"Bus 14 does 4 trips a day at 23.5 km per trip, and there's 180 school days. What's the total km for the year?"
is trip/day * km/trip * day = km: 4 * 23.5 * 180. `unit_chain(text)` reads each rate ("4 trips a day",
"23.5 km per trip", "12 kg/week") and each count of a unit some rate is per ("180 school days"), and returns
their product when the units cancel to one unit, which is the one the question asks about when it names one.
It returns None when any number of the text is left out (but an identifier such as "Bus 14", or a year): a
number nobody used is a part of the question not understood.

A price has no unit of its own ("7.25 a session", "$30 a month": an amount per session), how often is a rate of
times ("twice a week", "3 times a week"), and a time is as good as the thing that happens in it: "7.25 a session,
twice a week, over 6 weeks" is 7.25 * 2 * 6. Periods convert ("twice a week for 3 months": 52 / 12 weeks a month),
and a rate asked in other units is rescaled ("18 g per cup, 140 cups a day, how many kg a week": * 7 / 1000).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .units import find_unit_or_none

_NUMBER = r"(?<![\w.])(\d+(?:\.\d+)?)"
_RATE = re.compile(
    rf"{_NUMBER}\s*(?P<num>[A-Za-z]+[²³]?(?:\s+[A-Za-z]+)?)(?:\s+of\s+[A-Za-z]+)?\s*"
    r"(?:\s(?:a|an|per|each|every)\s+|/\s*)(?P<den>[A-Za-z]+)\b",
    re.IGNORECASE,
)
_ASKED = re.compile(
    r"\b(?:total|how many|how much|number of|in|into|many)\s+(?:of\s+)?(?P<unit>[A-Za-z]+)\b",
    re.IGNORECASE,
)
_NOT_UNITS = frozenset(
    "a an the of and or at to in on for by with per each every is are was were that this it its my our".split()
)
_IDENTIFIER = re.compile(r"(?:\b[A-Z][a-z]*|#|\bno\.?)\s*$")  # "Bus 14", "Route 9", "#3"
_ASKS_PER = re.compile(
    r"\b(?:how many|how much|in)\s+(?P<of>[A-Za-z]+)\s+(?:per|a|an|each|every)\s+(?P<unit>[A-Za-z]+)\s*\??\s*$|"
    r"\b(?:per|a|an|each|every)\s+(?P<unit2>[A-Za-z]+)\s*\??\s*$",
    re.IGNORECASE,
)
# an amount with no unit before "a"/"per" is a price or a count ("charges 7.25 a session", "$30/month")
_PRICE = re.compile(
    rf"(?P<currency>[$€£]\s*)?{_NUMBER}\s*(?:\s(?:a|an|per|each|every)\s+|/\s*)(?P<den>[A-Za-z]+)\b", re.IGNORECASE
)
_HOW_OFTEN = re.compile(r"\b(?P<n>once|twice|thrice)\s+(?:a|an|per|each|every)\s+(?P<den>[A-Za-z]+)\b", re.I)
_TIMES = {"once": "1", "twice": "2", "thrice": "3"}
# how many go: "there are 3 of us", "for 4 people"; a price is then each one's
_HEADS = re.compile(
    rf"{_NUMBER}\s+(?:of us|of them|people|persons|kids|children|adults|guests|students|members|passengers|"
    r"travell?ers|for (?:dinner|lunch|breakfast|tea))\b|"
    rf"\b(?:we're|we are|we'll be|there are|there's|there will be|there'll be)\s+{_NUMBER}\b",
    re.IGNORECASE,
)
_HEAD = "head"
_AMOUNT, _OCCASION = "\u00a4", "time"  # the unit of a price; the unit of "3 times a week"
PER_YEAR = {"day": 365, "week": 52, "fortnight": 26, "month": 12, "quarter": 4, "year": 1}
_IN_DAYS = {"day": 1, "week": 7, "fortnight": 14}  # exact within a family; across them, by the count in a year
_IN_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_ratio(longer: str, shorter: str) -> tuple[int, int]:
    """How many of `shorter` in one `longer`, as a fraction: (7, 1) days a week, (52, 12) weeks a month."""
    for family in (_IN_DAYS, _IN_MONTHS):
        if longer in family and shorter in family:
            return family[longer], family[shorter]
    return PER_YEAR[shorter], PER_YEAR[longer]


def factor_text(numerator: int, denominator: int) -> str:
    """ " * 7", " / 12", " * 52 / 12": a factor written as the text's arithmetic."""
    if numerator % denominator == 0:
        return f" * {numerator // denominator}" if numerator != denominator else ""
    if denominator % numerator == 0:
        return f" / {denominator // numerator}"
    return f" * {numerator} / {denominator}"


_NOT_ASKED_UNITS = frozenset("total all space room area money cost altogether sum".split())
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot"}


@dataclass(frozen=True)
class _Quantity:
    number: str
    units: Counter[str]
    span: tuple[int, int]


@dataclass(frozen=True)
class Chain:
    expression: str  # "4 * 23.5 * 180"
    unit: str  # as the text writes it: "km"


def _unit(word: str) -> str:
    """A unit word, singular and lower case: "days" -> "day", "batteries" -> "battery", "people" -> "person"."""
    word = word.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for ending, replacement in (("ies", "y"), ("es", "e"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2 and not word.endswith("ss"):
            return word[: -len(ending)] + replacement
    return word


def unit_chain(text: str) -> Chain | None:
    """The product of the rates and counts of `text` and its unit, or None (see the module docstring)."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = _DAILY.sub(" a day", text)  # "I walk 4.5 km every morning": a day
    quantities: list[_Quantity] = []
    written: dict[str, str] = {}
    for match in _RATE.finditer(text):
        numerator, denominator = _unit(match["num"].split()[-1]), _unit(match["den"])
        if {numerator, denominator} & _NOT_UNITS or numerator == denominator:
            continue
        written.setdefault(numerator, match["num"].split()[-1])
        quantities.append(_Quantity(match.group(1), Counter({numerator: 1, denominator: -1}), match.span()))
    taken = [q.span for q in quantities]
    for match in _PRICE.finditer(text):
        denominator = _unit(match["den"])
        if denominator in _NOT_UNITS or any(start <= match.start(2) < end for start, end in taken):
            continue
        written.setdefault(_AMOUNT, "")  # an amount of money, or of whatever is priced: no unit to show
        quantities.append(_Quantity(match.group(2), Counter({_AMOUNT: 1, denominator: -1}), match.span()))
        taken.append(match.span())
    for match in _HOW_OFTEN.finditer(text):
        if _unit(match["den"]) not in _NOT_UNITS:
            times = _TIMES[match["n"].lower()]
            quantities.append(_Quantity(times, Counter({_OCCASION: 1, _unit(match["den"]): -1}), match.span()))
            taken.append(match.span())
    # "I do it 5 days a week": days that happen so often are occasions, like "5 times a week"
    per_day = {u for q in quantities for u, n in q.units.items() if n < 0}  # "8 hours a day, 5 days a week"
    quantities = [
        q if per_day & set(q.units) - {u for u, n in q.units.items() if n < 0} else _as_occasions(q) for q in quantities
    ]
    per = {u for q in quantities for u, n in q.units.items() if n < 0}
    if per & PER_YEAR.keys():
        per |= PER_YEAR.keys()  # "once a week, for 3 months": a count of a period converts
    spelled = per | {plural for plural, one in _IRREGULAR.items() if one in per}  # "per person ... 23 people"
    units = "|".join(sorted((re.escape(u) for u in spelled), key=len, reverse=True)) or "(?!)"
    for match in re.finditer(rf"{_NUMBER}\s*(?:[A-Za-z]+\s+){{0,2}}?(?P<unit>(?:{units})[a-z]*)\b", text, re.I):
        if any(start <= match.start() < end for start, end in taken) or _unit(match["unit"]) not in per:
            continue
        quantities.append(_Quantity(match.group(1), Counter({_unit(match["unit"]): 1}), match.span()))
        taken.append(match.span())
    per_person = any(q.units.get("person") == -1 for q in quantities)  # "450 g per person ... we're 6"
    if per_person or any(_AMOUNT in q.units for q in quantities):
        for match in _HEADS.finditer(text):
            number = match.group(1) or match.group(2)
            if not any(start <= match.start() < end for start, end in taken):
                unit = "person" if per_person else _HEAD
                quantities.append(_Quantity(number, Counter({unit: 1}), match.span()))
                taken.append(match.span())
    if any(q.units.get(_OCCASION) == 1 for q in quantities) and not any(
        q.units.get(_OCCASION, 0) < 0 or (set(q.units) - {_OCCASION}) & {u for u, n in q.units.items() if n < 0}
        for q in quantities
        if _OCCASION not in q.units
    ):
        _add_amount_per_occasion(text, quantities, taken, written)
    asks_per = _ASKS_PER.search(text)
    one_rate_over_a_period = len(quantities) == 1 and len(quantities[0].units) == 2 and _ONE_PERIOD.search(text)
    if not one_rate_over_a_period and (
        len(quantities) < 2 or not (asks_per or any(len(q.units) == 1 for q in quantities))
    ):
        return None  # no count to multiply out (but "4.5 km a day ... over a whole week" is one rate, a week long)
    for number in re.finditer(_NUMBER, text):
        used = any(start <= number.start() < end for start, end in taken)
        named = _IDENTIFIER.search(text[: number.start()]) or re.fullmatch(r"(?:19|20)\d\d", number.group(1))
        if not used and not named:
            return None
    net: Counter[str] = Counter()
    for quantity in quantities:
        net.update(quantity.units)
    left = _occasions_cancelled({u: n for u, n in net.items() if n})
    if left.get(_HEAD) == 1 and left.get(_AMOUNT) == 1:
        del left[_HEAD]  # "18.50 per day for 4 days and there are 3 of us": each one's price, times 3
    priced = any(_AMOUNT in q.units for q in quantities)  # "8 hours at 15.75 an hour": in the order told
    order = (lambda q: q.span) if priced else (lambda q: (len(q.units) == 1, q.span))  # else rates first
    expression = " * ".join(q.number for q in sorted(quantities, key=order))
    if asks_per and (asks_per["unit"] or (len(left) == 2 and not _ONE_PERIOD.search(text))):
        return _rate_asked(expression, left, asks_per, written)  # (but "52 weeks at 37.5 hours a week" is a total)
    left, scale = _periods_cancelled(left)
    left, scale = _over_the_period_asked(text, left, scale)
    if list(left.values()) != [1]:
        return None
    (unit,) = left
    asked = {_unit(m["unit"]) for m in _ASKED.finditer(text)} - _NOT_UNITS
    asked -= _NOT_ASKED_UNITS  # "in total", "how much space": no unit asked
    if asked and unit not in asked and unit != _AMOUNT:
        # "450 g per person, we're 6, how many kg?": the total in the unit asked; but "... how many batteries?"
        # when the rates multiply out to km is not this question
        rescaled = [(a, factor) for a in sorted(asked) if (factor := _scale(unit, a, inverse=False)) is not None]
        if len(rescaled) != 1:
            return None
        wanted, factor = rescaled[0]
        return Chain(expression + scale + factor, wanted if factor else written.get(unit, unit))  # "grams": g
    return Chain(expression + scale, written.get(unit, unit))


def _as_occasions(quantity: _Quantity) -> _Quantity:
    """ "5 days a week" is how often (5 occasions a week), not a length of time per week."""
    over = [u for u, n in quantity.units.items() if n == 1]
    per = [u for u, n in quantity.units.items() if n == -1]
    if len(over) == 1 and len(per) == 1 and over[0] in _IN_DAYS and per[0] in PER_YEAR:
        if PER_YEAR[over[0]] > PER_YEAR[per[0]]:
            return _Quantity(quantity.number, Counter({_OCCASION: 1, per[0]: -1}), quantity.span)
    return quantity


def _add_amount_per_occasion(
    text: str, quantities: list[_Quantity], taken: list[tuple[int, int]], written: dict[str, str]
) -> None:
    """ "Round trip is 84 miles, I do it 5 days a week": the one amount left over is what each occasion
    comes to (84 miles a time)."""
    left = [
        m
        for m in re.finditer(rf"{_NUMBER}\s*(?P<unit>[A-Za-z]+)\b", text)
        if not any(start <= m.start() < end for start, end in taken) and _unit(m["unit"]) not in _NOT_UNITS
    ]
    if len(left) == 1:
        unit = _unit(left[0]["unit"])
        written.setdefault(unit, left[0]["unit"])
        quantities.append(_Quantity(left[0].group(1), Counter({unit: 1, _OCCASION: -1}), left[0].span()))
        taken.append(left[0].span())


def _occasions_cancelled(left: dict[str, int]) -> dict[str, int]:
    """ "7.25 a session" and "twice a week": the times are sessions, so amount/session * time/week is
    amount/week."""
    if left.get(_OCCASION) != 1:
        return left
    per = [u for u, n in left.items() if n == -1 and u not in PER_YEAR]
    if len(per) != 1:
        return left
    return {u: n for u, n in left.items() if u not in (_OCCASION, per[0])}


_DAILY = re.compile(r"\s+(?:every|each)\s+(?:morning|evening|afternoon|lunchtime)\b", re.I)
# "How many grams does she get through in a week?", "How far is that over a whole week?": one period, asked
_ONE_PERIOD = re.compile(
    r"\b(?:in|over|for|across|during)\s+(?:a|an|one|the)\s+(?:whole\s+|full\s+|entire\s+)?"
    r"(?P<p>day|week|fortnight|month|quarter|year)\b(?![^?]*\b(?:a|an|per|each|every)\s+(?P=p)\b)",
    re.I,
)


def _over_the_period_asked(text: str, left: dict[str, int], scale: str) -> tuple[dict[str, int], str]:
    """A rate per day with "in a week" asked: the days in the week (" * 7"), and the period gone."""
    per = [u for u, n in left.items() if n == -1 and u in PER_YEAR]
    asked = _ONE_PERIOD.search(text)
    if len(per) != 1 or asked is None or len(left) != 2:
        return left, scale
    period = asked["p"].lower()
    if PER_YEAR[period] > PER_YEAR[per[0]]:
        return left, scale
    rest = {u: n for u, n in left.items() if u != per[0]}
    return rest, scale + factor_text(*period_ratio(period, per[0]))


def _periods_cancelled(left: dict[str, int]) -> tuple[dict[str, int], str]:
    """A rate per week over a count of months: the weeks in a month (" * 52 / 12"), and the periods gone."""
    over = [u for u, n in left.items() if n == 1 and u in PER_YEAR]
    per = [u for u, n in left.items() if n == -1 and u in PER_YEAR]
    if len(over) != 1 or len(per) != 1:
        return left, ""
    rest = {u: n for u, n in left.items() if u not in (over[0], per[0])}
    return rest, factor_text(*period_ratio(over[0], per[0]))


def _rate_asked(expression: str, left: dict[str, int], asked: re.Match[str], written: dict[str, str]) -> Chain | None:
    """Rates that multiply out to the rate asked ("4 trips a day at 23.5 km per trip, how many km per day?"),
    rescaled when it is asked in other units ("... g a day; how many kg a week?": * 7 / 1000)."""
    over = [u for u, n in left.items() if n == 1]
    per = [u for u, n in left.items() if n == -1]
    if len(left) != 2 or len(over) != 1 or len(per) != 1:
        return None
    wanted_per, wanted_of = _unit(asked["unit"] or asked["unit2"]), _unit(asked["of"] or over[0])
    scale = _scale(per[0], wanted_per, inverse=True)
    factor = _scale(over[0], wanted_of, inverse=False) if wanted_of not in _NOT_UNITS else ""
    if scale is None or factor is None:
        return None
    of = written.get(over[0], over[0]) if factor == "" else asked["of"]
    return Chain(f"{expression}{scale}{factor}", f"{of} per {wanted_per}")


def _scale(unit: str, wanted: str, *, inverse: bool) -> str | None:
    """What turns an amount in `unit` into one in `wanted` (" / 1000" for g to kg; for a rate per day asked per
    week, `inverse`: " * 7"), "" when they are one unit, None when they do not convert."""
    if unit == wanted:
        return ""
    if unit in PER_YEAR and wanted in PER_YEAR:
        numerator, denominator = period_ratio(unit, wanted)  # `wanted` in one `unit`
        return factor_text(denominator, numerator) if inverse else factor_text(numerator, denominator)
    source, target = find_unit_or_none(unit), find_unit_or_none(wanted)
    if source is None or target is None or source.dimension != target.dimension or source.offset or target.offset:
        return None
    ratio = source.factor / target.factor if not inverse else target.factor / source.factor
    if ratio == 1:
        return ""  # "g" and "grams"
    return f" * {ratio:g}" if ratio >= 1 else f" / {1 / ratio:g}"


_SECONDS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "h": 3600}
_SECONDS |= {"day": 86400, "week": 604800}
_TIME = r"(?:seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?)"
# "what's the average per episode?", "how many words per hour is that?": one amount over a count of another thing
_PER_ASKED = re.compile(
    r"\bhow many\s+(?P<x>[A-Za-z]+)\s+(?:per|an?|each|every)\s+(?P<y>[A-Za-z]+)\b|"
    r"\b(?:average|mean)\s+(?:[A-Za-z]+\s+)?(?:per|an?|each|every)\s+(?P<y2>[A-Za-z]+)\b|"
    r"\b(?P<x3>[A-Za-z]+)\s+per\s+(?P<y3>[A-Za-z]+)\s+(?:is that|would that be|does that come to|do i get)\b",
    re.IGNORECASE,
)
# "polls a task every 2.5 seconds for 3 minutes, how many requests is that?"
_EVERY = re.compile(
    rf"\bevery\s+(?P<gap>\d+(?:\.\d+)?)\s*(?P<gap_unit>{_TIME})\b[^?.]*?\b(?:for|over|in|during|across)\s+"
    rf"(?:an?\s+|one\s+)?(?P<span>\d+(?:\.\d+)?)?\s*(?P<span_unit>{_TIME})\b",
    re.IGNORECASE,
)


def per_asked(text: str) -> Chain | None:
    """ "2.3 million downloads across 48 episodes, what's the average per episode?": 2300000 / 48; "8450 words
    ... in 26 hours, how many words per hour?": 8450 / 26. The two counts must be the only numbers of the text."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    asked = _PER_ASKED.search(text)
    if asked is None:
        return None
    per = _unit(asked["y"] or asked["y2"] or asked["y3"])
    of = _unit(asked["x"] or asked["x3"] or "")
    counts = [(m.group(1), _unit(m["unit"])) for m in re.finditer(rf"{_NUMBER}\s*(?P<unit>[A-Za-z]+)\b", text)]
    numbers = re.findall(_NUMBER, text)
    if len(counts) != 2 or len(numbers) != 2:
        return None
    over = [n for n, unit in counts if unit == per]
    amount = [(n, unit) for n, unit in counts if unit != per and (not of or unit == of)]
    if len(over) != 1 or len(amount) != 1:
        return None
    return Chain(f"{amount[0][0]} / {over[0]}", f"{amount[0][1]}s per {per}")


def occurrences(text: str) -> Chain | None:
    """ "every 2.5 seconds for 3 minutes": how many times, 3 * 60 / 2.5."""
    match, asked = _EVERY.search(text), re.search(r"\bhow many\b\s*(?P<what>[a-z]+)?", text, re.IGNORECASE)
    if match is None or asked is None:
        return None
    gap_unit, span_unit = (_SECONDS[_unit(match[k]).rstrip("s") or "s"] for k in ("gap_unit", "span_unit"))
    span = match["span"] or "1"
    factor = span_unit / gap_unit
    scaled = span if factor == 1 else f"{span} * {factor:g}" if factor >= 1 else f"{span} / {1 / factor:g}"
    what = asked["what"] or ""
    return Chain(f"{scaled} / {match['gap']}", what if what.endswith("s") and what not in ("is", "was") else "")


# "if the hose runs 12 litres a minute, how long to empty 190 litres?": an amount over the rate that uses it up
_RATE_IN_TIME = re.compile(
    rf"{_NUMBER}\s*(?P<unit>[A-Za-z]+)\s*(?:\s(?:a|an|per|each|every)\s+|/\s*)(?P<time>{_TIME})\b", re.IGNORECASE
)
_HOW_LONG = re.compile(rf"\bhow long\b|\bhow many\s+(?P<asked>{_TIME})\b(?!\s+(?:a|an|per|each|every)\b)", re.I)


def duration(text: str) -> Chain | None:
    """How long an amount takes at a rate: 190 / 12 (minutes), in the time unit asked when one is ("how many
    hours"). The amount and the rate must be the only numbers of the text."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    asked, rate = _HOW_LONG.search(text), _RATE_IN_TIME.search(text)
    if asked is None or rate is None or len(re.findall(_NUMBER, text)) != 2:
        return None
    unit = _unit(rate["unit"])
    amount = next(
        (
            m.group(1)
            for m in re.finditer(rf"{_NUMBER}\s*(?:[A-Za-z]+\s+){{0,2}}?(?P<unit>[A-Za-z]+)\b", text)
            if m.start() != rate.start() and _unit(m["unit"]) == unit
        ),
        None,
    )
    if amount is None:
        return None
    per = _unit(rate["time"]).rstrip("s") or "s"
    wanted = _unit(asked["asked"]).rstrip("s") if asked["asked"] else per
    factor = _SECONDS[per] / _SECONDS[wanted]
    scaled = "" if factor == 1 else f" * {factor:g}" if factor >= 1 else f" / {1 / factor:g}"
    name = {"min": "minute", "sec": "second", "hr": "hour", "h": "hour", "s": "second"}.get(wanted, wanted)
    return Chain(f"{amount} / {rate.group(1)}{scaled}", f"{name}s")
