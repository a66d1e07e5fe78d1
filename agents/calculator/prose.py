"""Arithmetic written in words, rewritten into symbols: "half of 90" -> "90 / 2", "divide 1250 by 8" -> "1250 / 8".

`rewrite(text)` is the only entry point. It turns number words into digits ("twenty-five" -> "25"), drops
thousands separators ("1,250" -> "1250", except inside function calls where a comma separates arguments) and
replaces the phrases people use for operations with the operators they mean. It only rewrites; it never
evaluates and never decides whether the text is a calculation (the caller looks for an expression in what
comes back). Phrases that need numbers on both sides are only rewritten when the numbers are there, so
"add a summary" stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .chains import PER_YEAR, Chain, duration, factor_text, occurrences, per_asked, period_ratio, unit_chain
from .units import find_unit_or_none

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_VALUES = {word: i for i, word in enumerate(_SMALL)} | {word: 10 * i for i, word in enumerate(_TENS, 2)}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORD = r"(?:" + "|".join(sorted([*_VALUES, *_SCALES], key=len, reverse=True)) + r")"
_SPELLED = re.compile(rf"\b{_NUMBER_WORD}\b(?:(?:[\s-]+|\s+and\s+){_NUMBER_WORD}\b)*", re.IGNORECASE)

N = r"(-?\d+(?:\.\d+)?)"  # a number once separators are gone
_FRACTIONS = {"half": "2", "third": "3", "quarter": "4", "fourth": "4", "fifth": "5", "tenth": "10"}
_MULTIPLES = {"double": "2", "twice": "2", "triple": "3", "treble": "3", "thrice": "3"}

# "120 tablets of 0.25 mg in total", "24 jars of 340 g each": how many, times how much each holds
_COUNT_OF = (
    rf"\b{N}\s+(?:[A-Za-z]+\s+){{1,2}}?(?:of|containing|weighing|holding)\s+{N}\s*"
    r"(?P<unit>mg|g|kg|mcg|µg|ml|l|litres?|liters?|grams?|kilograms?|milligrams?|oz|lb|lbs)\b"
    r"(?:\s+each\b|(?:\s+each)?(?=[^?]*\b(?:total|altogether|in all|overall|combined)\b))|"
    rf"(?<=\btotal\b)(?P<pre>[^?\d]*?)\b{N}\s+(?:[A-Za-z]+\s+){{1,2}}?(?:of|containing|weighing|holding)\s+{N}\s*"
    r"(?P<unit2>mg|g|kg|mcg|µg|ml|l|litres?|liters?|grams?|kilograms?|milligrams?|oz|lb|lbs)\b(?:\s+each)?"
)
# a price per unit ("14.5 metres of copper pipe at £11.80 a metre", "3 hours labour at £65 an hour", "40 hours at
# $85/hr"): how many, times the price (a rate per hour with a currency is a price, not a speed); read before the
# currency symbols go
_PRICED = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:[A-Za-z][\w-]*,?\s+){0,5}?(?:at|for|@|paying|pay|costing|charged)\s+"
    r"[£$€]\s*(\d+(?:\.\d+)?)\s*"
    r"(?:each\b|(?:a|an|per)\s+(?P<per>[A-Za-z]+)|/\s*(?P<per2>hr|hour|h|day|month|unit|item|m|kg|person|night|week)\b|"
    r"(?=\s*(?:each|apiece|come|comes|came|with|plus|and|,|\.|\?|$)))",  # "3 nights at $129 come to"
    re.IGNORECASE,
)
_PERIOD_ASKED = re.compile(
    r"\b(?:over|in|for|per|across|each|every|a|an)\s+(?:a\s+|an\s+|one\s+|the\s+)?(?:full\s+|whole\s+|entire\s+)?"
    r"(?P<period>year|month|week|quarter|fortnight)\b|\b(?P<adverb>annual(?:ly)?|yearly|monthly|weekly|per annum)\b",
    re.IGNORECASE,
)
_ADVERB_PERIOD = {"annual": "year", "annually": "year", "yearly": "year", "per annum": "year", "monthly": "month"}


def _periods_in(per: str, asked: re.Match[str]) -> str | None:
    """ " * 4" for quarters asked over a year (" * 52 / 12" for weeks over a month); None unless the period asked
    is longer than the one the rate is per."""
    adverb = (asked["adverb"] or "").lower()
    period = (asked["period"] or _ADVERB_PERIOD.get(adverb, adverb.removesuffix("ly"))).lower()
    if per not in PER_YEAR or period not in PER_YEAR or PER_YEAR[period] >= PER_YEAR[per]:
        return None
    return factor_text(*period_ratio(period, per)) or None  # " * 7" days in a week, " * 52 / 12" weeks in a month


_HOURS_MINUTES = re.compile(
    r"(?<![\w.])(?P<h>\d+)\s*(?:h|hrs?|hours?)\s*(?:and\s+)?(?P<m>\d+)\s*(?:m|mins?|minutes?)\b", re.IGNORECASE
)
_TOTAL_TIME = re.compile(r"\b(?:total|in all|altogether|combined|overall|in minutes|in hours|how long)\b", re.I)


def repeated_duration(text: str) -> str | None:
    """ "show runs 2h 35m and we have 8 performances, total running time in minutes?": the length in minutes
    times the one count (in hours when hours are asked)."""
    length = _HOURS_MINUTES.search(text)
    if length is None or not _TOTAL_TIME.search(text):
        return None
    counts = re.findall(r"(?<![\w.:])\d+(?:\.\d+)?", text[: length.start()] + " ; " + text[length.end() :])
    if len(counts) != 1:
        return None
    hours = " / 60" if re.search(r"\bin hours\b|\bhow many hours\b", text, re.IGNORECASE) else ""
    return f"({length['h']} * 60 + {length['m']}) * {counts[0]}{hours}"


_AMOUNT_PER_PERIOD = re.compile(
    rf"(?<![\w.]){N}\s*(?:a|an|per|each|every|/)\s*(?P<per>day|week|fortnight|month|quarter)\b", re.IGNORECASE
)


def period_total(text: str) -> str | None:
    """ "The rent is $1,450 a month, what is that per year?": the one amount times the periods in the one asked."""
    rate = _AMOUNT_PER_PERIOD.search(text)
    if rate is None or re.search(r"(?<![\w.])\d", text[: rate.start()] + " " + text[rate.end() :]):
        return None
    asked = _PERIOD_ASKED.search(text[rate.end() :])
    times = _periods_in(rate["per"].lower(), asked) if asked else None
    return f"{rate[1]}{times}" if times else None


def _over_period(match: re.Match[str]) -> str:
    """ "48 members each paying 12.50 a quarter, how much over a full year?": the price times the count, times
    the quarters in a year; the plain product when no longer period is asked."""
    product = f"{match[1]} * {match[2]}"
    per = (match["per"] or match["per2"] or "").lower().rstrip("s")
    if per not in PER_YEAR:
        return product
    asked = _PERIOD_ASKED.search(match.string[match.end() :])
    times = _periods_in(per, asked) if asked else None
    return f"{product}{times}" if times else product


_LAPS = (
    r"\b(\d+(?:\.\d+)?)\s+(?:laps|lengths|rounds|circuits|loops|trips|times)\s+(?:of|around|round)\s+(?:an?|the)\s+"
    r"(\d+(?:\.\d+)?)\s*(?P<unit>m|km|mi|miles?|yards?|yd|ft|feet|met(?:er|re)s?)?\b"
)
_LENGTH_UNIT = r"(?:m|cm|mm|ft|feet|foot|in|inch|inches|yd|yards?|met(?:er|re)s?)"
_PERSON = (
    r"(?:pupils?|students?|kids?|child|children|persons?|people|guests?|heads?|members?|attendees?|participants?|"
    r"adults?|passengers?|players?|runners?|delegates?|visitors?|diners?|campers?)"
)
# (pattern, replacement), applied in order, case-insensitively; earlier rules see the original wording.
_RULES: tuple[tuple[str, str], ...] = (
    # "340 dozen eggs at $4.25 a dozen": priced by the dozen, counted in dozens
    (rf"\b{N}\s+dozen\b[^?]*?\b(?:at|for|@)\s+[$€£]?\s*{N}\s+(?:a|per|the|each)\s+dozen\b", r"\1 * \2"),
    (rf"\b{N}\s+dozen\b", r"\1 * 12"),  # first: "3 dozen eggs at 0.35 each" counts 36 eggs
    (
        r"\(\s*(?:and\s+)?round(?:ed)?\s+(?:it\s+|that\s+|the result\s+)?to\s+(\d+)\s+"
        r"(?:decimals?|decimal places?|dp|digits)\s*\)",
        r" and round to \1 decimals",
    ),
    (
        rf"\b{N}(?:\s+|-)(?:[A-Za-z][\w-]*,?\s+){{0,7}}?(?:at|for|@)\s+[$€£]?{N}\s*(?:[A-Za-z]+\s+)?(?:each|apiece|"
        r"a piece|an? (?:head|person|guest|plate|cover|seat|ticket)\b|"
        r"per (?!hours?\b|h\b|hr\b|minutes?\b|min\b|seconds?\b|sec\b|s\b)[A-Za-z]+)",
        r"\1 * \2",
    ),  # "86 tables at 1,250 each", "a 2,350-word job at 0.12 euros per word" (a rate per hour is a speed)
    (  # "3 boxes at 4.99 each plus 2 at 12.50": the next item of the bill, its "each" left out
        rf"(?:(?<=\bplus )|(?<=\band )|(?<=, ))\s*{N}\s+(?:[A-Za-z]+\s+){{0,2}}?(?:at|@)\s+[$€£]?\s*{N}\b"
        r"(?!\s*(?:%|percent|mph|km|miles|an? hour|per hour))",
        r"\1 * \2",
    ),
    (rf"\b{N}\s+(?:[A-Za-z]+\s+){{1,2}}(?:x|×)\s+[$€£]?\s*{N}", r"\1 * \2"),  # "38 members x 15 pounds"
    (_LAPS, r"\1 * \2 "),  # "64 lengths of a 25 m pool": how many times the one length
    (_COUNT_OF, "COUNT_OF"),
    # a comparison: "which is bigger, 3/7 or 0.43?" is the larger of the two (the answer names its value)
    (
        r"\bwhich\s+(?:(?:one|1)\s+)?(?:is|'s)\s+(?:bigger|larger|greater|higher|more)\b[,:]?\s*"
        r"(?P<a>[-+(\d][^?]*?)\s+or\s+(?P<b>[-+(\d][^?]*?)\s*(?:\?|$)",
        r"max(\g<a>, \g<b>)",
    ),
    (
        r"\bwhich\s+(?:(?:one|1)\s+)?(?:is|'s)\s+(?:smaller|lower|less)\b[,:]?\s*"
        r"(?P<a>[-+(\d][^?]*?)\s+or\s+(?P<b>[-+(\d][^?]*?)\s*(?:\?|$)",
        r"min(\g<a>, \g<b>)",
    ),
    # a change told in percent: "went from 1,200 to 1,380 ... by what percent did it go up?"
    (
        rf"\bfrom\s+{N}\s+to\s+{N}\b[^?]*?\b(?:by\s+)?(?:what(?:'s|\s+is|\s+was)?|how much|how many)\s+(?:the\s+)?"
        r"(?:percent|percentage|%)[^?]*",
        r"(\2 - \1) / \1 * 100",
    ),
    (
        rf"\b(?:percent(?:age)?|%)\s+(?:change|increase|decrease|growth|rise|drop|difference)\s+(?:\w+\s+){{0,3}}?"
        rf"from\s+{N}\s+to\s+{N}",
        r"(\2 - \1) / \1 * 100",
    ),
    (rf"\bwhat\s+(?:percent|percentage|%)\s+of\s+{N}\s+is\s+{N}", r"\2 / \1 * 100"),
    # "percentage of 45 out of 60", "45 out of 60 as a percentage", "what percent is 45 out of 60"
    (rf"\b(?:percent(?:age)?|%)\s+(?:of\s+|is\s+)?{N}\s+(?:out\s+of|of)\s+{N}", r"\1 / \2 * 100"),
    (rf"\b{N}\s+out\s+of\s+{N}\s+(?:as\s+a\s+|in\s+)?(?:percent(?:age)?|%)", r"\1 / \2 * 100"),
    (rf"\b{N}\s+is\s+what\s+(?:percent|percentage|%)\s+of\s+{N}", r"\1 / \2 * 100"),
    (rf"\b{N}\s+as\s+an?\s+(?:percent|percentage)\s+of\s+{N}", r"\1 / \2 * 100"),
    (r"\bsquare root of\b", "sqrt"),
    (rf"\bcube root of\s+{N}", r"(\1) ** (1/3)"),
    (rf"\b(?:the\s+)?square of\s+{N}", r"\1 ** 2"),
    (rf"\b(?:the\s+)?cube of\s+{N}", r"\1 ** 3"),
    (rf"\bsquare\s+{N}(?!\s*(?:m|km|cm|mm|ft|feet|foot|in|inch|inches|yards?|miles?|meters?|metres?)\b)", r"\1 ** 2"),
    (rf"\bcube\s+{N}(?!\s*(?:m|cm|ft|feet|inch|inches|meters?|metres?)\b)", r"\1 ** 3"),
    (rf"\bhalve\s+{N}", r"\1 / 2"),
    (rf"{N}\s*(?:%|percent|per cent)\s+off\s+(?:of\s+)?{N}", r"\2 * (1 - \1 / 100)"),
    # "1,200 minus 15%", "80 plus 20%": a percentage of the number itself
    (rf"{N}\s*(?:minus|less|-)\s*{N}\s*(?:%|percent|per cent)(?!\s*(?:of|off)\b)", r"\1 * (1 - \2 / 100)"),
    (rf"{N}\s*(?:plus|\+)\s*{N}\s*(?:%|percent|per cent)(?!\s*(?:of|off)\b)", r"\1 * (1 + \2 / 100)"),
    (rf"\bincrease\s+{N}\s+by\s+{N}\s*(?:%|percent|per cent)", r"\1 * (1 + \2 / 100)"),
    (rf"\b(?:decrease|reduce)\s+{N}\s+by\s+{N}\s*(?:%|percent|per cent)", r"\1 * (1 - \2 / 100)"),
    (  # "the total with a 15% tip on an $86 bill": the amount and the tip
        rf"\b(?:total|altogether|in all|all in|overall)\b[^.?]*?\b(?:with|including|plus|after|and)\s+"
        rf"(?:an?\s+|the\s+)?{N}\s*(?:%|percent|per cent)\s+(?:tip|tax|vat|gratuity|service charge|fee)\s+"
        rf"(?:on|of|for)\s+(?:an?\s+|the\s+|my\s+|our\s+)?[$€£]?\s*{N}",
        r"\2 * (1 + \1 / 100)",
    ),
    (
        rf"{N}\s*(?:%|percent|per cent)\s+(?:sales\s+tax|service\s+charge|service\s+fee|tip|tax|vat|discount|"
        rf"commission|interest|fee|gratuity|deposit)\s+(?:on|of|for)\s+(?:an?\s+|the\s+|my\s+|our\s+)?[$€£]?\s*{N}",
        r"\1 / 100 * \2",
    ),
    # "put the croissants up 15% from 2.40", "down 10% on last year's 80"
    (
        rf"\b(?:up|higher|more)\s+(?:by\s+)?{N}\s*(?:%|percent|per cent)\s+(?:from|on)\s+[$€£]?\s*{N}",
        r"\2 * (1 + \1 / 100)",
    ),
    (
        rf"\b(?:down|lower|less|cheaper)\s+(?:by\s+)?{N}\s*(?:%|percent|per cent)\s+(?:from|on)\s+[$€£]?\s*{N}",
        r"\2 * (1 - \1 / 100)",
    ),
    # "102.92 ... how many degrees above 98.6 F is it": the difference from the mark
    (
        rf"\b{N}\b[^?]*?\bhow (?:many|much)\s+(?:[A-Za-z°]+\s+){{0,2}}?(?:above|over|higher than|more than|warmer than)"
        rf"\s+[$€£]?\s*{N}",
        r"\1 - \2",
    ),
    (
        rf"\b{N}\b[^?]*?\bhow (?:many|much)\s+(?:[A-Za-z°]+\s+){{0,2}}?(?:below|under|lower than|less than|colder than)"
        rf"\s+[$€£]?\s*{N}",
        r"\2 - \1",
    ),
    # "a buyer's premium of 12% on a hammer price of 8,400"
    (
        rf"{N}\s*(?:%|percent|per cent)\s+on\s+(?!top\b)(?:an?\s+|the\s+|my\s+|our\s+|their\s+)?"
        rf"(?:[A-Za-z'-]+\s+){{0,3}}?(?:of\s+)?[$€£]?\s*{N}",
        r"\1 / 100 * \2",
    ),
    (rf"{N}\s*(?:%|percent|per cent)\s+of\s+(?:an?|the|my|our|their|his|her|your)\s+(?=\d)", r"\1 / 100 * "),
    (rf"{N}\s*(?:%|percent|per cent)\s+of\b", r"\1 / 100 *"),
    (rf"\b{N}\s*(?:°|degrees?)\s+(?:in|to|into)\s+radians?\b", r"\1 * pi / 180"),
    (rf"\b{N}\s*radians?\s+(?:in|to|into)\s+degrees?\b", r"\1 * 180 / pi"),
    (rf"\b(sin|cos|tan)\s*\(?\s*(?:of\s+)?{N}\s*(?:°|degrees?)\s*\)?", r"\1(\2 * pi / 180)"),
    (rf"\b(?:one\s+|a\s+)?({'|'.join(_FRACTIONS)})\s+of\s+{N}", "FRACTION"),
    (rf"\b({'|'.join(_MULTIPLES)})\s+(?:of\s+)?{N}", "MULTIPLE"),
    # calculations told as stories
    (rf"{N}\s+(?:[A-Za-z]+\s+){{0,3}}?split\s+{N}\s+ways", r"\1 / \2"),
    # "split 2500 into 8 equal portions", "divide 90 between 4 people", "share 12 among 3"
    (
        rf"\b(?:split|divide|share)\s+{N}\s*(?:[A-Za-z]+\s+){{0,2}}?(?:into|between|among|amongst)\s+{N}\b"
        r"(?:\s+(?:equal\s+)?[A-Za-z]+)?",
        r"\1 / \2",
    ),
    (rf"{N}\s+([A-Za-z]+)\s+each\s+(?:get|gets|have|has|need|needs|eat|eats|take|takes)\s+{N}", r"\1 * \3"),
    # "3 teachers free", "kids under 5 go free": people who pay nothing add nothing
    (
        rf",?\s*(?:plus|and|with|\+)\s+{N}\s+[A-Za-z]+\s+(?:(?:go|come|travel|get in|are|eat|ride)\s+)?"
        r"(?:for\s+)?(?:free|free of charge|at no cost|gratis)\b",
        "",
    ),
    # "8 hours at 15.75 an hour", "3 nights at 120 a night": a rate per period times the periods
    (
        rf"\b{N}\s*(hours?|hrs?|days?|nights?|shifts?|weeks?|months?|sessions?|lessons?)\b(?:\s+[A-Za-z-]+){{0,3}}?\s+"
        rf"at\s+[$€£]?\s*{N}\s*(?:an?|per|/|each)\s*(?:hour|hr|h|day|night|shift|week|month|session|lesson)\b",
        r"\1 * \3",
    ),
    # "3 m at 12.40 a metre", "2.5 kg at 3.20 per kg": a measure times its price per unit
    (
        rf"\b{N}\s*(m|metres?|meters?|kg|kilos?|g|grams?|lb|lbs|ft|feet|yards?|yd|litres?|liters?|l)\b"
        rf"(?:\s+[A-Za-z-]+){{0,3}}?\s+at\s+[$€£]?\s*{N}\s*(?:an?|per|/|each)\s*"
        r"(?:m|metre|meter|kg|kilo|g|gram|lb|ft|foot|yard|yd|litre|liter|l)\b",
        r"\1 * \3",
    ),
    # "4 tubes at 6.99": a count at a price in cents
    (rf"\b{N}\s+([A-Za-z]+)\s+(?:at|@)\s+[$€£]?\s*(\d+\.\d\d)\b(?!\s*(?:%|km|mph|mi|kg|m\b))", r"\1 * \3"),
    # "£38 each for 3 kids": a price each times the people it is for
    (rf"[$€£]?\s*{N}\s+(?:each|a head|per head|apiece)\s+for\s+{N}\s+{_PERSON}", r"\1 * \2"),
    # "£18.50 per pupil and 27 kids are going": a price per person times the people counted
    (
        rf"[$€£]?\s*{N}\s+(?:a|an|per|each)\s+{_PERSON}\b[^?]*?\b{N}\s+{_PERSON}",
        r" \1 * \2 ",
    ),
    # "gas is $3.45 a gallon, what do 14 gallons cost?": the price of one times how many
    (rf"[$€£]?\s*{N}\s+(?:a|an|per|each)\s+([A-Za-z]+)\b[^?]*?\b{N}\s+\2(?:e?s)?\b\)?", r" \1 * \3 "),
    # "Each shift is 12.5 hours and I have 14 shifts": how much one is, times how many
    (
        rf"\b(?:each|one|an?|every)\s+([A-Za-z]+)\s+(?:is|takes|lasts|costs|weighs|holds|has|was|runs)\s+"
        rf"(?:about\s+|around\s+)?[$€£]?\s*{N}\b[^?]*?\b{N}\s+\1(?:e?s)?\b",
        r" \2 * \3 ",
    ),
    (
        rf"\b(?:an?|one|each|per)\s+[A-Za-z]+\s+(?:is|costs?|was)\s+[$€£]?\s*{N}\b[^?]*?\bhow much\s+"
        rf"(?:do|does|would|will|did)\s+{N}\s+[A-Za-z]+",
        r"\2 * \1",
    ),
    (
        rf"{N}\s+(?:[A-Za-z]+\s+){{0,2}}?and\s+{N}\s+(?:have|has|had|are|were)\s+(?:already\s+)?"
        r"(?:gone by|passed|been used|been spent|been sold|elapsed|gone|used|spent|sold|done)\b",
        r"\1 - \2",
    ),
    (rf"\bdivide\s+{N}\s+(?:[A-Za-z]+\s+)?by\s+{N}", r"\1 / \2"),  # "divide 26.1 miles by 3"
    (rf"\bmultiply\s+{N}\s+(?:by|and|with)\s+{N}", r"\1 * \2"),
    (rf"\badd\s+{N}\s+(?:and|to|plus)\s+{N}", r"\1 + \2"),
    (rf"\bsubtract\s+{N}\s+from\s+{N}", r"\2 - \1"),
    (rf"\btake\s+{N}\s+(?:away\s+)?from\s+{N}", r"\2 - \1"),
    (rf"\b(?:the\s+)?product\s+of\s+{N}\s+and\s+{N}", r"\1 * \2"),
    (rf"\b(?:the\s+)?quotient\s+of\s+{N}\s+and\s+{N}", r"\1 / \2"),
    (rf"\b(?:the\s+)?difference\s+between\s+{N}\s+and\s+{N}", r"\1 - \2"),
    (rf"\bto\s+the\s+{N}(?:st|nd|rd|th)?\s+power\b", r"** \1"),
    (rf"\bto\s+the\s+{N}(?:st|nd|rd|th)\b", r"** \1"),
    (rf"\bround(?:ed)?\s+(?:off\s+)?{N}\s+to\s+(\d+)\s+(?:decimal(?:s| places?)|dp|digits)", r"round(\1, \2)"),
    (rf"\bround(?:ed)?\s+(?:off\s+)?{N}\s+to\s+the\s+nearest\s+(?:whole number|integer|unit|one)", r"round(\1)"),
    (r"\b(?:to the power of|to the power|raised to(?: the power(?: of)?)?)\b", "**"),
    (r"\bsquared\b", "** 2"),
    (r"\bcubed\b", "** 3"),
    (r"\bplus\b", "+"),
    (r"\bminus\b", "-"),
    (r"\b(?:times|multiplied by)\b", "*"),
    (r"\b(?:divided by|over)\b(?=\s*\d)", "/"),
    (r"\bmod(?:ulo)?\b", "%"),
    (r"(?<=\d)\s*[x×]\s*(?=[\d(])", " * "),
    # "a room 4.2 m by 2.6 m": its area
    # "We've got 14 kids coming ... and each goody bag costs 3.75 pounds": how many, times what each costs
    (
        rf"(?<![\w.]){N}\s+(?:[A-Za-z'-]+\s+){{1,8}}?(?:and\s+)?each\s+(?:[A-Za-z-]+\s+){{0,3}}?"
        rf"(?:costs?|is|will cost|comes? to|weighs|takes)\s+(?:about\s+|around\s+)?[$€£]?\s*{N}"
        r"(?!\s*(?:%|percent|per cent))",
        r"\1 * \2",
    ),
    # "342 signups out of 9,500 visitors ... the conversion rate as a percentage": a share, in percent
    (
        rf"\b{N}\s+(?:[A-Za-z-]+\s+){{0,2}}?out of\s+(?:a\s+total\s+of\s+)?{N}\b"
        r"(?=[^?]*\b(?:percent|percentage|per cent|%|rate|share|proportion)\b)",
        r"\1 / \2 * 100",
    ),
    # "The three meeting rooms ... each measure 4.2 m by 5.5 m": how many, times the area of each
    (
        rf"\b{N}\s+(?:[A-Za-z-]+\s+){{1,8}}?each\s+(?:measure|measures|is|are|of)\s+{N}\s*{_LENGTH_UNIT}\s+"
        rf"(?:by|x|×)\s+{N}\s*{_LENGTH_UNIT}?\b",
        r"\1 * \2 * \3",
    ),
    (rf"(?<![\w.]){N}\s*{_LENGTH_UNIT}\s+(?:by|x|×)\s+{N}\s*{_LENGTH_UNIT}?\b", r"\1 * \2"),
    (r"(?<![\d.])(\d+)!", r"factorial(\1)"),  # but "at $6.50 each today!!" is excitement
    (r"\b(\d+)\s+factorial\b", r"factorial(\1)"),
    (rf"\b(sqrt|ln|log|exp|abs|factorial|sin|cos|tan|floor|ceil|round)\s+(?:of\s+)?{N}", r"\1(\2)"),
)
# A further step on the result so far: "(2+3)*4 and then divide by 5", "take 100, add 20, then divide by 4".
_STEP = re.compile(
    r"(?P<expr>(?:\d|\()[\d.()+\-*/%^ ]*?)\s*(?:,|\band\b|\bthen\b|\s)+\s*(?P<verb>add|plus|subtract|minus|"
    r"take away|multiply(?: (?:it|that|this|the result))? by|times|divide(?: (?:it|that|this|the result))? by)\s+"
    rf"{N}",
    re.IGNORECASE,
)
# "85 divided by 120, times 100" once its words are operators: "85 / 120, * 100", a step on all before it
_COMMA_STEP = re.compile(rf"(?P<expr>(?:\d|\()[\d.()+\-*/%^ ]*?)\s*,\s*(?P<op>[*/])\s*{N}")
_STEP_OPERATOR = {"add": "+", "plu": "+", "sub": "-", "min": "-", "tak": "-", "mul": "*", "tim": "*", "div": "/"}


_FUNCTION = r"(?:sqrt|ln|log|exp|abs|factorial|sin|cos|tan|floor|ceil|pi)\b"
_ROUND_STEP = re.compile(
    rf"(?P<expr>(?:\d|\(|{_FUNCTION})(?:[\d.()+\-*/%^ ,]|{_FUNCTION})*?)\s*(?:,|\band\b|\bthen\b|\s)+\s*(?:round(?:ed)?"
    r"(?: (?:it|that|this|the result))?(?: off)? to (?:the nearest (?:whole number|integer)|"
    r"(?P<digits>\d+) (?:decimals?|decimal places?|dp|digits))|"
    r"(?:correct )?to (?P<places>\d+) (?:decimals?|decimal places?|dp|significant decimals))",  # "sqrt(7) to 3 dp"
    re.IGNORECASE,
)


def _chained(text: str) -> str:
    """Steps applied to the result so far, bracketed so each applies to all that came before it."""
    while True:
        rounding = _ROUND_STEP.search(text)
        if rounding is not None:
            places = rounding["digits"] or rounding["places"]
            digits = f", {places}" if places else ""
            text = f"{text[: rounding.start()]}round({rounding['expr'].strip()}{digits}){text[rounding.end() :]}"
            continue
        comma = _COMMA_STEP.search(text)
        if comma is not None:
            expr = comma["expr"].strip()
            left = f"({expr})" if re.search(r"[-+*/%^]", expr.lstrip("-")) else expr
            text = f"{text[: comma.start()]}{left} {comma['op']} {comma[3]}{text[comma.end() :]}"
            continue
        match = _STEP.search(text)
        if match is None:
            return text
        expr, operator = match["expr"].strip(), _STEP_OPERATOR[match["verb"].lower()[:3]]
        left = f"({expr})" if re.search(r"[-+*/%^]", expr.lstrip("-")) else expr
        text = f"{text[: match.start()]}{left} {operator} {match[3]}{text[match.end() :]}"


def _kind(word: str) -> str:
    return "scale" if word in _SCALES else "tens" if word in _TENS else "small"


def _continues(previous: str | None, word: str) -> bool:
    """Whether `word` extends the number before it ("twenty" + "five") or starts another ("five" + "five")."""
    kind = _kind(word)
    return previous is not None and (
        kind == "scale" or previous == "scale" or (previous == "tens" and kind == "small" and _VALUES[word] < 10)
    )


def _spelled(run: str) -> str:
    """The digits of a run of number words: "two thousand five hundred" -> "2500", "five and three" -> "5 and 3"."""
    pieces: list[str] = []
    total = current = 0
    previous: str | None = None
    for word in re.split(r"[\s-]+", run.lower()):
        if word == "and" and previous == "scale":
            continue  # "one hundred and five"
        if word == "and" or (previous is not None and not _continues(previous, word)):
            pieces.append(str(total + current))
            total = current = 0
            previous = None
            if word == "and":
                pieces.append("and")
                continue
        if word in _VALUES:
            current += _VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _SCALES[word]
            current = 0
        previous = _kind(word)
    pieces.append(str(total + current))
    return " ".join(pieces)


def _count_of(match: re.Match[str]) -> str:
    count, each = (match[1], match[2]) if match[1] is not None else (match[5], match[6])
    unit = match["unit"] or match["unit2"]
    return f"{match['pre'] or ''}{count} * {each} {unit}"


def _replace(pattern: str, replacement: str, text: str) -> str:
    if replacement == "COUNT_OF":
        return re.sub(pattern, _count_of, text, flags=re.IGNORECASE)
    if replacement == "FRACTION":
        return re.sub(pattern, lambda m: f"{m[2]} / {_FRACTIONS[m[1].lower()]}", text, flags=re.IGNORECASE)
    if replacement == "MULTIPLE":
        return re.sub(pattern, lambda m: f"{_MULTIPLES[m[1].lower()]} * {m[2]}", text, flags=re.IGNORECASE)
    return re.sub(pattern, replacement, text, flags=re.IGNORECASE)


# A percentage added to (or taken off) an amount named elsewhere: "1249.99 before VAT. With 20% VAT added on top".
_ON_TOP = re.compile(
    rf"(?:\b(?:with|plus|add(?:ing)?|including|incl\.?|after|and)\s+(?:an?\s+|the\s+)?)?{N}\s*(?:%|percent|per cent)\s*"
    r"(?:(?:early|late|early-payment|late-payment|prompt-payment|loyalty|staff|student|bulk|member|senior|cash|"
    r"trade|annual|yearly|service|sibling|family|multi-buy|friends|seasonal|holiday|summer|winter|spring)\s+)?"
    r"(?P<kind>vat|sales tax|tax|tip|service charge|service|markup|surcharge|fee|interest|gratuity|commission|"
    r"deposit|off|discount)\b"
    r"(?:\s+(?:added|on top|extra|included))*",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"\(?[-+]?\d[\d.]*\)?(?:\s*(?:\*\*|[-+*/^])\s*\(?[-+]?\d[\d.]*\)?)*")


_DOWNTIME = re.compile(
    rf"{N}\s*(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?)\s+(?:of\s+)?(?:down ?time|outage|downtime)\b.*?"
    r"\b(?:in|over|during|per|a|one)\s+(?:an?\s+|one\s+|the\s+)?(?:(?P<days>\d+)[- ]day\s+)?"
    r"(?P<period>day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0}  # minutes in one unit of the downtime
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


def _availability(text: str) -> str:
    """ "43 minutes of downtime in a 30-day month ... availability as a percentage": the share of the period up."""
    match = _DOWNTIME.search(text)
    if match is None or not re.search(r"\b(?:availability|uptime|available|up)\b", text, re.IGNORECASE):
        return text
    minutes = _MINUTES[match["unit"].lower()[0]]
    days = int(match["days"]) if match["days"] else _PERIOD_DAYS[match["period"].lower()]
    per_minute = {1.0: "", 60.0: " * 60"}.get(minutes, " / 60")  # the downtime in minutes
    return f"(1 - {match.group(1)}{per_minute} / ({days} * 24 * 60)) * 100"


_ALLOWED = re.compile(rf"{N}\s*(?:%|percent)\s*(?:uptime|availability|sla|available)\b", re.IGNORECASE)
_PERIOD = re.compile(
    r"\b(?:in|over|during|per|a|one|each|every)\s+(?:an?\s+|one\s+|the\s+)?(?:(?P<days>\d+)[- ]day\s+)?"
    r"(?P<period>day|week|month|quarter|year)\b",
    re.IGNORECASE,
)
_ASKED_UNIT = re.compile(r"\bhow many\s+(?P<unit>seconds?|minutes?|hours?)\b", re.IGNORECASE)


def _allowed_downtime(text: str) -> str:
    """ "How many minutes of downtime does 99.95% uptime allow in a 30-day month?": the share of the period
    down, in the unit asked for (minutes unless seconds or hours are)."""
    match, period = _ALLOWED.search(text), _PERIOD.search(text)
    if match is None or period is None or not re.search(r"\b(?:downtime|down|outage)\b", text, re.IGNORECASE):
        return text
    days = int(period["days"]) if period["days"] else _PERIOD_DAYS[period["period"].lower()]
    asked = _ASKED_UNIT.search(text)
    per_day = {"s": "24 * 60 * 60", "h": "24"}.get(asked["unit"][0].lower() if asked else "m", "24 * 60")
    return f"(100 - {match.group(1)}) / 100 * {days} * {per_day}"


# "If I raise the rent by 3.5%" of an amount named elsewhere ("My tenant pays $1,450 a month.")
_BY_PERCENT = re.compile(
    r"\b(?P<kind>rais|increas|put(?:ting)? up|bump|hik|grow|boost|cut|reduc|lower|decreas|drop|discount|mark(?:ed)? "
    r"down)\w*\s+(?:(?:the|my|our|his|her|their|its|it|that|this)\s+)?(?:[A-Za-z]+\s+){0,2}?by\s+"
    rf"{N}\s*(?:%|percent|per cent)",
    re.IGNORECASE,
)
_DOWN = ("cut", "reduc", "lower", "decreas", "drop", "discount", "mark")


_SET_ASIDE = re.compile(
    rf"\b(?:put(?:ting)?|set(?:ting)?|keep(?:ing)?|take|taking|hold(?:ing)?)\s+(?:aside|away|back|off)\s+{N}\s*"
    r"(?:%|percent|per cent)|\bafter\s+(?:paying|deducting|taking off|taking out|removing)\s+(?:the\s+)?"
    rf"{N}\s*(?:%|percent|per cent)",
    re.IGNORECASE,
)


# a share of an amount the text names elsewhere: "set aside 18% of what I made ... made 1240.50"
_SHARE_OF_NAMED = re.compile(
    rf"{N}\s*(?:%|percent|per cent)\s+of\s+(?!(?:an?|the|my|our|their|his|her|your)?\s*[$€£]?\s*\d)", re.I
)
_REMAINDER = re.compile(r"\b(?:left|remain\w*|take[- ]home|keep|after)\b", re.IGNORECASE)


def _share_of_named(text: str) -> str:
    """ "I should set aside 18% of what I made for taxes. Made 1240.50, how much is that?": the share of the one
    amount named elsewhere (1240.50 * 18 / 100), or what remains of it when that is asked ("how much is left");
    `text` unchanged unless exactly one amount is named."""
    share = _SHARE_OF_NAMED.search(text)
    if share is None:
        return text
    rest = text[: share.start()] + " ; " + text[share.end() :]
    amounts = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?!\s*(?:%|percent|per cent)|[\d.])", rest)
    if len(amounts) != 1:
        return text
    left = _REMAINDER.search(text)
    return f"{amounts[0]} * (1 - {share.group(1)} / 100)" if left else f"{amounts[0]} * {share.group(1)} / 100"


def _on_top(text: str) -> str:
    """ "With 20% VAT added on top" of the one amount the text names: that amount * (1 + 20 / 100); "raise the
    rent by 3.5%" likewise."""
    aside = _SET_ASIDE.search(text)  # "how much is left after I put aside 20% for taxes"
    if aside is not None:
        amounts = [
            a.group().strip().rstrip(".") for a in _AMOUNT.finditer(text[: aside.start()] + " ; " + text[aside.end() :])
        ]
        if len(amounts) == 1:
            amount = f"({amounts[0]})" if re.search(r"[-+*/^]", amounts[0].lstrip("-")) else amounts[0]
            share = aside.group(1) or aside.group(2)
            if aside.group(1) and not _REMAINDER.search(text):
                return f"{amount} * {share} / 100"  # "I should set aside 18% for taxes, how much is that?"
            return f"{amount} * (1 - {share} / 100)"  # "how much is left after I put aside 20%"
    match = _ON_TOP.search(text)
    if match is None:
        by = _BY_PERCENT.search(text)
        if by is None:
            return text
        amounts = [
            a.group().strip().rstrip(".") for a in _AMOUNT.finditer(text[: by.start()] + " ; " + text[by.end() :])
        ]
        if len(amounts) != 1:
            return text
        sign = "-" if by["kind"].lower().startswith(_DOWN) else "+"
        return f"{amounts[0]} * (1 {sign} {by.group(2)} / 100)"
    amounts = [
        a.group().strip().rstrip(".") for a in _AMOUNT.finditer(text[: match.start()] + " ; " + text[match.end() :])
    ]
    if len(amounts) != 1:
        return text  # no amount, or several: which one the percentage applies to is not clear
    sign = "-" if match["kind"].lower() in ("off", "discount") else "+"
    amount = f"({amounts[0]})" if re.search(r"[-+*/^]", amounts[0].lstrip("-")) else amounts[0]
    kind = re.escape(match["kind"])
    asks_kind = re.search(
        rf"\b(?:what|how much)\b(?:(?!\b(?:with|including|plus|after)\b)[^.?]){{0,40}}?\b{kind}", text, re.I
    ) or re.search(  # "work out 20% VAT on top": the VAT is what is worked out
        rf"\b(?:work out|calculate|compute|figure out|find)\s+(?:the\s+)?{re.escape(match.group(1))}\s*(?:%|percent)",
        text,
        re.I,
    )
    if sign == "+" and (asks_kind or (re.search(r"\b(?:what|how much)\b", text, re.I) and not _WITH_IT.search(text))):
        return f"{amount} * {match.group(1)} / 100"  # "what would an 18% tip on that be?": the tip alone
    return f"{amount} * (1 {sign} {match.group(1)} / 100)"


# what says a percentage is added to its amount ("with a 15% tip", "what do I pay"), not asked for on its own
_WITH_IT = re.compile(
    r"\b(?:total|altogether|in all|all in|overall|grand|final|comes? to|with|including|incl|plus|add(?:ed|ing)?|"
    r"on top|after|pay|paying|owe|cost|costs|charge me|end up|bring)\b",
    re.I,
)


_KM = r"(?P<d_unit>km|kms|kilomet(?:er|re)s?|mi|miles?)"
_SPEED = r"(?P<v_unit>km/h|kmh|kph|km per hour|kilomet(?:er|re)s? (?:per|an|a) hour|mph|miles? (?:per|an|a) hour)"
_PACE = r"(?:an?\s+)?(?:(?:average|steady|constant|even|comfortable|easy)\s+|speed of\s+)*"
_TRAVEL_TIME = (
    re.compile(  # "how long to walk 24 km at 5 km/h?"
        rf"\b(?P<ask>how (?:many )?(?:long|hours?|minutes?|mins?)|time)\b.*?\b(?P<distance>\d+(?:\.\d+)?)\s*{_KM}\b"
        rf".*?\bat\s+{_PACE}(?P<speed>\d+(?:\.\d+)?)\s*{_SPEED}",
        re.IGNORECASE | re.S,
    ),
    re.compile(  # "turn 42.16 km into hours if I run at a steady 12 km/h"
        rf"\b(?P<distance>\d+(?:\.\d+)?)\s*{_KM}\b[^?]*?\b(?:into|in|to)\s+(?P<ask>hours?|minutes?|mins?)\b"
        rf"[^?]*?\bat\s+{_PACE}(?P<speed>\d+(?:\.\d+)?)\s*{_SPEED}",
        re.IGNORECASE | re.S,
    ),
)
# "turn that into hours if I run at 12 km/h": a trip whose distance an earlier step gives
_TRAVEL_ASKED = re.compile(
    rf"\b(?:into|in|to)\s+(?P<ask>hours?|minutes?|mins?)\b[^?]*?\bat\s+{_PACE}\d+(?:\.\d+)?\s*{_SPEED}", re.IGNORECASE
)
_MILE = 1.609344


_RATE = re.compile(
    rf"{N}\s*(?:[A-Za-z]+\s+){{0,2}}?per\s+{N}\s*(?P<unit>[A-Za-z]+)\b.*?\b{N}\s*(?P=unit)\b",
    re.IGNORECASE | re.S,
)


_FUEL = re.compile(
    rf"{N}\s*(?:km|kilomet(?:er|re)s?|mi|miles?)\b[^?]*?\b{N}\s*(?:l|litres?|liters?|gal|gallons?)\b[^?]*?"
    r"\bper\s+100\s*(?:km|kilomet(?:er|re)s?|mi|miles?)\b",
    re.IGNORECASE | re.S,
)


_FUEL_FIRST = re.compile(  # "I used 9 gallons for 300 miles"
    rf"{N}\s*(?:l|litres?|liters?|gal|gallons?)\b[^?]*?\b{N}\s*(?:km|kilomet(?:er|re)s?|mi|miles?)\b[^?]*?"
    r"\bper\s+100\s*(?:km|kilomet(?:er|re)s?|mi|miles?)\b",
    re.IGNORECASE | re.S,
)


# "A tank holds 60 litres and my car does 6.5 litres per 100 km. How far can I go?": the range of an amount of fuel
_RANGE = re.compile(
    rf"(?P<fuel>{N[1:-1]})\s*(?:l|litres?|liters?|gal|gallons?)\b[^?]*?\b(?P<use>{N[1:-1]})\s*"
    r"(?:l|litres?|liters?|gal|gallons?)\s*(?:per|/|every|a|for)\s*(?P<per>\d+(?:\.\d+)?)\s*(?P<unit>km|kilomet(?:er|re)s?|mi|miles?)\b"
    r"[^?]*\bhow (?:far|many (?:km|kilomet\w*|miles?))\b",
    re.IGNORECASE | re.S,
)


def fuel_range(text: str) -> str | None:
    """How far an amount of fuel goes at a use per distance: 60 / 6.5 * 100; None otherwise."""
    match = _RANGE.search(text)
    return f"{match['fuel']} / {match['use']} * {match['per']}" if match else None


# "it's 310 km each way and the car uses about 6.8 litres per 100 km. How much fuel will one way take?"
_FUEL_NEEDED = re.compile(
    rf"(?P<distance>{N[1:-1]})\s*(?P<unit>km|kilomet(?:er|re)s?|mi|miles?)\b[^?]*?\b(?P<use>{N[1:-1]})\s*"
    r"(?:l|litres?|liters?|gal|gallons?)\s*(?:per|/|every|a|for)\s*100\s*(?:km|kilomet(?:er|re)s?|mi|miles?)\b"
    r"[^?]*\bhow (?:much|many)\b(?!\s+(?:km|kilomet\w*|miles?)\b)|"
    rf"(?P<use2>{N[1:-1]})\s*(?:l|litres?|liters?)\s*(?:per|/|every|a|for)\s*100\s*(?:km|kilomet(?:er|re)s?)\b[^?]*?"
    rf"\b(?P<distance2>{N[1:-1]})\s*(?:km|kilomet(?:er|re)s?)\b[^?]*\bhow (?:much|many)\b(?!\s+(?:km|kilomet\w*)\b)",
    re.IGNORECASE | re.S,
)


def fuel_needed(text: str) -> str | None:
    """The fuel a distance takes at a use per 100 km: 310 * 6.8 / 100; None otherwise."""
    match = _FUEL_NEEDED.search(text)
    if match is None:
        return None
    return f"{match['distance'] or match['distance2']} * {match['use'] or match['use2']} / 100"


def fuel_use(text: str) -> str | None:
    """ "We drove 412 km on 31 litres - how many litres per 100 km is that?": 31 / 412 * 100; None otherwise."""
    if match := _FUEL.search(text):
        return f"{match.group(2)} / {match.group(1)} * 100"
    if match := _FUEL_FIRST.search(text):
        return f"{match.group(1)} / {match.group(2)} * 100"
    return None


_DURATION = (
    r"(?:(?P<hours>\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b(?:\s*(?:and\s+)?(?P<h_minutes>\d+(?:\.\d+)?)\s*"
    r"(?:m|mins?|minutes?)\b)?|(?P<minutes>\d+(?:\.\d+)?)\s*(?:mins?|minutes?)\b)"
)
_DISTANCE = r"(?P<distance>\d+(?:\.\d+)?)\s*(?:km|kms|kilomet(?:er|re)s?|mi|miles?)"
_AVERAGE_SPEED = (
    re.compile(  # "rode 42 km in 1 hour 45 minutes. What was his average speed?"
        rf"{_DISTANCE}(?:\s+[a-z]+){{0,3}}?\s+(?:in|over|within|taking|took)\s+(?:an?\s+|just\s+|about\s+)?{_DURATION}[^?]*?"
        r"\b(?:speed|pace|km/h|kmh|kph|mph|per hour|an hour|how fast)\b",
        re.IGNORECASE | re.S,
    ),
    re.compile(  # "what was my average speed if I ran 10 km in 50 minutes?"
        rf"\b(?:speed|pace|how fast)\b[^?]*?{_DISTANCE}\s+(?:in|over|within)\s+(?:an?\s+)?{_DURATION}",
        re.IGNORECASE | re.S,
    ),
    re.compile(  # "what pace per mile is a 25 minute 5k?"
        rf"\b(?:speed|pace|how fast)\b[^?]*?\b{_DURATION}\s+{_DISTANCE}", re.IGNORECASE | re.S
    ),
)
# a race named by its distance: "a 5k", "my 10K", "a half marathon"
_RACE = re.compile(r"(?<![\w.])(\d{1,3})\s*[kK]\b(?!\s*(?:m|g|b|ft|feet|followers|views|salary)\b)")
_MARATHON = re.compile(r"\b(half[- ])?marathon\b", re.IGNORECASE)


def _race_distances(text: str) -> str:
    """ "a 25 minute 5k" -> "a 25 minute 5 km"; "a marathon" -> "a 42.195 km" (only where a pace or speed is
    asked, so "45k followers" stays a count)."""
    if not re.search(r"\b(?:pace|speed|how fast)\b", text, re.IGNORECASE):
        return text
    text = _RACE.sub(r"\1 km", text)
    return _MARATHON.sub(lambda m: "21.0975 km" if m.group(1) else "42.195 km", text)


def _pace_per(text: str, given: str) -> str:
    """The distance a pace is asked per ("pace per mile"), else the one the run was given in: "km" or "mi"."""
    asked = re.search(r"\b(?:per|a|an|/)\s*(km|kilomet\w*|miles?|mi)\b", text, re.IGNORECASE)
    word = (asked.group(1) if asked else given).lower()
    return "km" if word.startswith("k") else "mi"


def _asks_pace(text: str) -> bool:
    """Whether the time per distance is asked ("pace in minutes per km", "min/mile"), not the speed."""
    per_distance = re.search(r"\b(?:minutes?|mins?)\s*(?:per|a|an|/)\s*(?:km|kilomet\w*|miles?|mi)\b", text, re.I)
    speed = re.search(r"km/h|\bkph\b|\bmph\b|per hour|an hour|\bspeed\b|how fast", text, re.IGNORECASE)
    return bool(per_distance or re.search(r"\bpace\b", text, re.IGNORECASE)) and not speed


def average_speed(text: str) -> str | None:
    """ "He rode 42 km in 1 hour 45 minutes. What was his average speed in km/h?": 42 / (1 + 45 / 60); the
    distance over the time, in the distance's unit per hour."""
    text = _race_distances(text)
    match = next((m for pattern in _AVERAGE_SPEED if (m := pattern.search(text))), None)
    if match is None:
        return None
    if _asks_pace(text):  # "I ran 10 km in 52 minutes. What was my pace in minutes per km?": 52 / 10
        if match["hours"] is not None:
            minutes = f"({match['hours']} * 60 + {match['h_minutes'] or 0})"
        else:
            minutes = match["minutes"]
        given = "mi" if re.search(r"\d\s*mi(?:les?)?\b", match.group(0), re.IGNORECASE) else "km"
        distance = match["distance"]
        if _pace_per(text, given) != given:  # "5 km in 25 minutes, my pace per mile?": 25 / (5 / 1.609344)
            distance = f"({distance} / 1.609344)" if given == "km" else f"({distance} * 1.609344)"
        return f"{minutes} / {distance}"
    if match["hours"] is not None:
        time = f"({match['hours']} + {match['h_minutes']} / 60)" if match["h_minutes"] else match["hours"]
    else:
        time = f"({match['minutes']} / 60)"
    return f"{match['distance']} / {time}"


_PER_UNIT = re.compile(
    r"(?<![\w.])(?P<rate>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg|µg|g|ml|units?|iu|calories|kcal|€|\$|dollars?|euros?)\s+"
    r"(?:per|a|an|/)\s*(?P<per>kg|kilograms?|lb|lbs|pounds?|m2|sqm|square met(?:er|re)s?|hours?|person|head)\b",
    re.IGNORECASE,
)


def per_unit_dose(text: str) -> str | None:
    """ "The child weighs 18 kg and the dose is 15 mg per kg": the rate times the amount the text names in the
    unit it is per (15 * 18); None unless exactly one such amount is named."""
    match = _PER_UNIT.search(text)
    if match is None:
        return None
    per = match["per"].lower().rstrip("s")
    rest = text[: match.start()] + " ; " + text[match.end() :]
    amounts = [
        m.group(1)
        for m in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([A-Za-z²]+)\b", rest)
        if m.group(2).lower().rstrip("s") == per or m.group(2).lower().rstrip("s")[:2] == per[:2] == "kg"
    ]
    return f"{match['rate']} * {amounts[0]}" if len(amounts) == 1 else None


_COMPOUND_INTEREST = re.compile(
    r"(?P<rate>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)[^?]*?\bcompound\w*[^?]*?\b(?P<years>\d+(?:\.\d+)?)\s+"
    r"(?:years?|yrs?)\b|"
    r"\bcompound\w*[^?]*?(?P<rate2>\d+(?:\.\d+)?)\s*(?:%|percent|per cent)[^?]*?\b(?P<years2>\d+(?:\.\d+)?)\s+"
    r"(?:years?|yrs?)\b",
    re.IGNORECASE | re.S,
)


def compound_interest(text: str) -> str | None:
    """ "12,500 in savings at 4.2% a year, compounded yearly. How much after 3 years?": 12500 * (1 + 4.2 / 100)
    ** 3, the one other amount the text names being the principal."""
    match = _COMPOUND_INTEREST.search(text)
    if match is None:
        return None
    rate, years = match["rate"] or match["rate2"], match["years"] or match["years2"]
    rest = re.sub(r"\d+(?:\.\d+)?\s*(?:%|percent|per cent)|\b\d+(?:\.\d+)?\s+(?:years?|yrs?)\b", " ", text, flags=re.I)
    principal = [n for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", rest)]
    return f"{principal[0]} * (1 + {rate} / 100) ** {years}" if len(principal) == 1 else None


def rate_expression(text: str) -> str | None:
    """ "6.5 litres per 100 km. How many litres for a 420 km trip?": the rate times the amount, 6.5 / 100 * 420;
    None when the text states no rate over an amount it names again."""
    match = _RATE.search(text)
    return f"{match.group(1)} / {match.group(2)} * {match.group(4)}" if match else None


_SPEED_GIVEN = re.compile(rf"(?<![\w.])(?P<speed>\d+(?:\.\d+)?)\s*{_SPEED}", re.IGNORECASE)
_DISTANCE_GIVEN = re.compile(
    rf"(?<![\w.])(?P<distance>\d+(?:\.\d+)?)\s*{_KM}\b(?!\s*(?:/|per\b|an? hour))", re.IGNORECASE
)
_TIME_ASKED = re.compile(r"\bhow (?:many )?(?P<ask>long|hours?|minutes?|mins?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Trip:
    distance: str
    distance_unit: str
    speed: str
    speed_unit: str
    asked: str  # "hours", "minutes", "long"


def _trip(text: str) -> _Trip | None:
    """A trip whose time is asked: "how long to walk 24 km at 5 km/h?", "the run is 380 miles and the driver
    averages 55 mph, how many hours is that?" (one distance, one speed and the question, in any order)."""
    match = next((m for pattern in _TRAVEL_TIME if (m := pattern.search(text))), None)
    if match is not None:
        return _Trip(match["distance"], match["d_unit"], match["speed"], match["v_unit"], match["ask"])
    speeds = list(_SPEED_GIVEN.finditer(text))
    distances = list(_DISTANCE_GIVEN.finditer(text))
    asked = _TIME_ASKED.search(text)
    if asked is None or len(speeds) != 1 or len(distances) != 1:
        return None
    speed, distance = speeds[0], distances[0]
    return _Trip(distance["distance"], distance["d_unit"], speed["speed"], speed["v_unit"], asked["ask"])


def travel_time(text: str) -> str | None:
    """ "How many hours to walk 24.14 km at 5 km/h?": the distance over the speed, in hours (or minutes when
    minutes are asked for), with miles and kilometres reconciled; None when the text asks no such thing."""
    trip = _trip(text)
    if trip is None:
        return None
    in_km = trip.distance_unit.lower().startswith("k")
    speed_km = trip.speed_unit.lower().startswith("k")
    factor = "" if in_km == speed_km else (f" * {_MILE}" if speed_km else f" / {_MILE}")
    minutes = " * 60" if re.search(r"\bmin", trip.asked, re.IGNORECASE) else ""
    return f"{trip.distance}{factor} / {trip.speed}{minutes}"


_PER_MINUTE = re.compile(r"(?<=\d)\s*(bpm|rpm|wpm)\b", re.IGNORECASE)
_PER_MINUTE_WORDS = {"bpm": "beats", "rpm": "revolutions", "wpm": "words"}
_ADD_LIST = re.compile(
    r"\badd\s+((?:[$€£]?\d[\d.]*\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+plus\s+)){2,}[$€£]?\d[\d.]*)", re.I
)
_TOTAL_OF = re.compile(
    r"(?<=\bof\s)\s*the\s+(?:total|sum)\s+of\s+((?:[$€£]?\d[\d.]*\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+plus\s+)){1,}"
    r"[$€£]?\d[\d.]*)",
    re.I,
)
_KIND_AT = re.compile(
    rf"\b(vat|sales tax|tax|tip|service charge|gratuity|commission|markup|surcharge|fee|discount)\s+(?:at|of)\s+{N}\s*"
    r"(?:%|percent|per cent)",
    re.IGNORECASE,
)
# a currency written as its code before the amount: "EUR 0.09", "USD 1,200"
_CURRENCY_CODE = re.compile(r"\b(?:EUR|USD|GBP|CAD|AUD|NZD|CHF|JPY|SEK|NOK|DKK|INR|ZAR|SGD|HKD)\s?(?=\d)", re.I)


def rewrite(text: str) -> str:
    """`text` with number words as digits and operation phrases as operators (see the module docstring)."""
    text = _CURRENCY_CODE.sub("$", _SPELLED.sub(lambda m: _spelled(m.group()), text))
    text = _PER_MINUTE.sub(lambda m: f" {_PER_MINUTE_WORDS[m.group(1).lower()]} per minute", text)  # "128 bpm"
    chain = unit_chain(text)
    if chain is not None:
        return chain.expression  # "4 trips a day at 23.5 km per trip ... 180 school days": 4 * 23.5 * 180
    text = _PRICED.sub(_over_period, re.sub(r"(?<=\d),(?=\d{3}\b)", "", text) if "(" not in text else text)
    text = re.sub(r"(?<![\w$€£])[$€£](?=\s?\d)", "", text)  # "18% of $2,350": the amount, not its currency
    if not re.search(r"\b[a-z]\w*\s*\([^)]*\d,\s*\d", text, re.IGNORECASE):  # "max(1,000)" is two arguments
        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    text = _KIND_AT.sub(r"\2 % \1", text)  # "plus VAT at 20% on top" -> "plus 20 % VAT on top"
    text = _ADD_LIST.sub(lambda m: " + ".join(re.findall(r"\d[\d.]*", m[1])), text)  # "add 19.99 and 4.50 and 12.75"
    # "15% of the total of 1,200 and 850": the sum, bracketed, is the operand
    text = _TOTAL_OF.sub(lambda m: "(" + " + ".join(re.findall(r"\d[\d.]*", m[1])) + ")", text)
    text = _share_of_named(text)
    for pattern, replacement in _RULES:
        text = _replace(pattern, replacement, text)
    # "3 * 14.99 and 2 * 9.50 come to?": the products of a bill added up
    if re.search(r"\b(?:come to|comes to|total|altogether|in all|all together)\b", text, re.IGNORECASE):
        text = re.sub(r"(\d\s*\*\s*[\d.]+)\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+plus\s+)(?=[\d.]+\s*\*)", r"\1 + ", text)
    text = _allowed_downtime(_availability(_on_top(_chained(text))))
    return story(text) or text


_LENGTH = r"(?:m|cm|mm|ft|feet|foot|in|inch|inches|yd|yards?|met(?:er|re)s?)"
_AREA = re.compile(
    rf"(?<![\w.])(?P<a>\d+(?:\.\d+)?)\s*(?P<unit>{_LENGTH})?\s+(?:by|x|×)\s+(?P<b>\d+(?:\.\d+)?)\s*{_LENGTH}?\b",
    re.IGNORECASE,
)
_COVERS = re.compile(
    r"\b(?:one|1|a|each|per)\s+(?P<what>litre|liter|l|gallon|gal|can|tin|tub|bag|roll|pack|box|bucket|tile)s?\s+"
    r"(?:covers?|does|is enough for|will cover|can cover)\s+(?:about\s+|roughly\s+|around\s+|up to\s+)?"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?:square|sq\.?|m2|m²|ft2|ft²)|"
    r"\b(?P<n2>\d+(?:\.\d+)?)\s*(?:square\s+\w+|sq\.?\s*\w+|m2|m²|ft2|ft²)\s+(?:per|a|an|each)\s+"
    r"(?P<what2>litre|liter|l|gallon|gal|can|tin|tub|bag|roll|pack|box|bucket)\b",
    re.IGNORECASE,
)


def coverage(text: str) -> str | None:
    """ "The wall is 4.2 m by 2.6 m and one litre covers 10 square metres": the area over what one unit covers
    (4.2 * 2.6 / 10); None unless the text gives both."""
    area, covers = _AREA.search(text), _COVERS.search(text)
    if area is None or covers is None:
        return None
    return f"{area['a']} * {area['b']} / {covers['n'] or covers['n2']}"


_BMI = re.compile(r"\b(?:bmi|body mass index)\b", re.IGNORECASE)
_WEIGHT = re.compile(r"(?<![\w.])(?P<w>\d+(?:\.\d+)?)\s*(?P<unit>kg|kilos?|kilograms?|lbs?|pounds?)\b", re.IGNORECASE)
_HEIGHT = re.compile(
    r"(?<![\w.])(?P<h>\d+(?:\.\d+)?)\s*(?P<unit>m|cm|met(?:er|re)s?|centimet(?:er|re)s?|in|inches)\b(?!\s*/)",
    re.IGNORECASE,
)


def body_mass_index(text: str) -> str | None:
    """ "I weigh 82 kg and I'm 1.79 m tall, what's my BMI?": 82 / 1.79 ** 2 (a height in cm in metres; pounds
    and inches by the imperial formula, 703 * lb / in ** 2)."""
    weight, height = _WEIGHT.search(text), _HEIGHT.search(text)
    if not _BMI.search(text) or weight is None or height is None:
        return None
    imperial = weight["unit"].lower().startswith(("lb", "pound"))
    h_unit = height["unit"].lower()
    if imperial and h_unit.startswith("in"):
        return f"703 * {weight['w']} / {height['h']} ** 2"
    if imperial or h_unit.startswith("in"):
        return None  # mixed systems: let the caller say which
    metres = f"({height['h']} / 100)" if h_unit.startswith("c") else height["h"]
    return f"{weight['w']} / {metres} ** 2"


_MPG = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?:mpg|miles?\s+(?:per|a|to the)\s+gallon)\b", re.IGNORECASE)
_L100 = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)?\s*(?:l|litres?|liters?)\s*(?:per|/|every|a)\s*100\s*(?:km|kilomet(?:er|re)s?)\b",
    re.IGNORECASE,
)
_US_GALLON_L100 = "235.214583"  # 100 km in miles / litres in a US gallon, inverted: L/100 km = 235.214583 / mpg


def fuel_economy(text: str) -> str | None:
    """ "My car did 38 miles per gallon. How many litres per 100 km is that?": 235.214583 / 38 (US gallons),
    and back; None unless one figure is given and the other unit asked for."""
    mpg, l100 = _MPG.search(text), _L100.search(text)
    if mpg is not None and l100 is not None and l100["n"] is None:
        return f"{_US_GALLON_L100} / {mpg['n']}"
    if (
        l100 is not None
        and l100["n"] is not None
        and mpg is None
        and re.search(r"\bmpg\b|\bmiles? per gallon\b", text, re.I)
    ):
        return f"{_US_GALLON_L100} / {l100['n']}"
    return None


_RUNWAY = re.compile(
    r"\bhow (?:many|long)\s+(?:more\s+)?(?P<period>months?|weeks?|days?|years?)\b|\brunway\b|\blast (?:me|us)\b",
    re.IGNORECASE,
)
_SPEND_RATE = re.compile(
    r"[$€£]\s?(?P<rate>\d+(?:\.\d+)?)\s*(?:a|per|each|every|/)\s*(?P<per>month|mo|week|wk|day|year|yr)\b", re.IGNORECASE
)


def runway(text: str) -> str | None:
    """ "Our burn is $84,000 a month and we have $1,260,000 in the bank, how many months of runway is that?":
    the money over what goes out per period (1260000 / 84000); None unless exactly one other amount is named."""
    rate = _SPEND_RATE.search(text)
    if rate is None or not _RUNWAY.search(text):
        return None
    rest = text[: rate.start()] + " ; " + text[rate.end() :]
    amounts = re.findall(r"[$€£]\s?(\d+(?:\.\d+)?)", rest)
    return f"{amounts[0]} / {rate['rate']}" if len(amounts) == 1 else None


_ENERGY = re.compile(
    r"(?<![\w.])(?P<power>\d+(?:\.\d+)?)\s*(?P<unit>kw|w|watts?|kilowatts?)\b[^?]*?\b(?P<hours>\d+(?:\.\d+)?)\s*"
    r"(?:hours?|hrs?|h)\s+(?:a|per|each)\s+day\b(?:[^?]*?\b(?:for|over)\s+(?P<days>\d+)\s+days?\b)?",
    re.IGNORECASE,
)


def energy(text: str) -> str | None:
    """ "A 2,400 W heater runs 6 hours a day for 30 days. How many kWh is that?": 2400 * 6 * 30 / 1000."""
    match = _ENERGY.search(text)
    if match is None or not re.search(r"\bkwh\b|kilowatt[- ]hours?", text, re.IGNORECASE):
        return None
    days = f" * {match['days']}" if match["days"] else ""
    watts = match["unit"].lower().startswith("w")
    return f"{match['power']} * {match['hours']}{days}" + (" / 1000" if watts else "")


def _chain(text: str) -> Chain | None:
    """Rates and counts that multiply out, an amount over a count, how many times, or how long an amount lasts
    at a rate (a trip at a speed is `travel_time`'s)."""
    found = unit_chain(text) or per_asked(text) or occurrences(text)
    return found or (duration(text) if travel_time(text) is None else None)


def story_unit(text: str) -> str:
    """The unit a calculation told as a story comes out in ("15 mg per kg" of 18 kg: mg; 42 km in 1 h 45 min:
    km/h; 24 km at 5 km/h: h), so the answer says it and a later step can convert it; "" when none is known."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    chain = _chain(text)
    if chain is not None:
        return chain.unit
    trip = _trip(text)
    asked = trip.asked if trip is not None else (m["ask"] if (m := _TRAVEL_ASKED.search(text)) else None)
    if asked is not None:
        return "min" if re.search(r"\bmin", asked, re.IGNORECASE) else "h"
    raced = _race_distances(text)
    speed = next((m for pattern in _AVERAGE_SPEED if (m := pattern.search(raced))), None)
    if speed is not None:
        miles = re.search(r"\d\s*mi(?:les?)?\b", speed.group(0), re.IGNORECASE)
        if _asks_pace(text):
            return f"min/{_pace_per(raced, 'mi' if miles else 'km')}"
        return "mph" if miles else "km/h"
    if fuel_range(text) is not None:
        return _RANGE.search(text)["unit"]  # type: ignore[index]
    if fuel_needed(text) is not None:
        return "L"
    if fuel_economy(text) is not None:
        given = _L100.search(text)
        return "mpg" if given is not None and given["n"] else "L/100 km"
    if energy(text) is not None:
        return "kWh"
    repeated = repeated_duration(text)
    if repeated is not None:
        return "h" if repeated.endswith("/ 60") else "min"
    laps = re.search(_LAPS, text, re.IGNORECASE)
    if laps is not None and laps["unit"]:
        return laps["unit"]
    if runway(text) is not None:
        asked = _RUNWAY.search(text)
        period = asked["period"] if asked and asked["period"] else _SPEND_RATE.search(text)["per"]  # type: ignore[index]
        return {"mo": "months", "wk": "weeks", "yr": "years"}.get(period.lower(), period.lower().rstrip("s") + "s")
    if coverage(text) is not None:
        covers = _COVERS.search(text)
        what = (covers["what"] or covers["what2"]).lower() if covers else ""
        return "L" if what in ("l", "litre", "liter") else f"{what}s" if what else ""
    dose = _PER_UNIT.search(text)
    if dose is not None and per_unit_dose(text) is not None and dose["unit"].lower() in _MASS_OR_VOLUME:
        return dose["unit"]
    count = re.search(_COUNT_OF, text, re.IGNORECASE)
    if count:
        return count["unit"] or count["unit2"]
    each = _AT_EACH.search(text)  # "38 boxes at 12.4 kg each": kg
    if each:
        return each["unit"]
    area = _AREA.search(text)  # "4.2 m by 5.5 m ... the floor area": m²
    if area and area["unit"] and re.search(r"\barea\b|\bsquare\b|\bhow big\b", text, re.IGNORECASE):
        unit = find_unit_or_none(area["unit"])
        return f"{unit.symbol}²" if unit is not None and unit.dimension == "length" else ""
    share = _SHARE_OF_MEASURE.search(text)  # "99.9% of 30 days": days
    return share["unit"] if share and find_unit_or_none(share["unit"]) is not None else ""


_AT_EACH = re.compile(
    rf"\b{N}\s+(?:[A-Za-z-]+\s+){{1,3}}?(?:at|of|weighing)\s+{N}\s*(?P<unit>kg|g|lb|lbs|t|tonnes?|l|litres?|ml|m|km|cm)\s+"
    r"(?:each|apiece|a piece)\b",
    re.IGNORECASE,
)
_SHARE_OF_MEASURE = re.compile(rf"{N}\s*(?:%|percent|per cent)\s+of\s+{N}\s*(?P<unit>[A-Za-z]+)\b", re.IGNORECASE)


_MASS_OR_VOLUME = frozenset("mg mcg µg g ml".split())


def story(text: str) -> str | None:
    """The expression of a calculation told as a story (a trip, a speed, a dose per kilogram, compound
    interest, fuel use), or None."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    chain = _chain(text)
    return (
        (chain.expression if chain else None)
        or travel_time(text)
        or average_speed(text)
        or body_mass_index(text)
        or fuel_economy(text)
        or fuel_range(text)
        or fuel_needed(text)
        or energy(text)
        or runway(text)
        or coverage(text)
        or compound_interest(text)
        or period_total(text)
        or repeated_duration(text)
        or fuel_use(text)
        or per_unit_dose(text)
        or rate_expression(text)
    )
