"""Reading calculation requests written in prose: expressions, unit conversions and lists of numbers.

These helpers serve the offline policy the way reading comprehension serves a language model: they turn
"What is 15% of 240?" into `15/100*240` and "convert 10 km to miles" into (10, "km", "miles"). They never
evaluate anything; the tools do that, safely.
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass

from .describe import numbers_in_text
from .expression import CONSTANTS, FUNCTIONS
from .formatting import format_number
from .prose import rewrite
from .units import convert, find_unit_or_none

_ASKED = re.compile(r"^You asked: .*$", re.MULTILINE)
_REPLY = re.compile(r"^The caller (?:replied|added): ", re.MULTILINE)

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|//|[-+*/%^(),]))"
)
_OPERATORS = {"+", "-", "*", "/", "//", "%", "**", "^"}
_BAD_START = {"*", "/", "//", "%", "**", "^", ")", ","}
_BAD_END = {"+", "-", "*", "/", "//", "%", "**", "^", "(", ","}

_CONNECTOR = r"\s+(?:to|in|into|as)\s+"
_VALUE = r"(?P<value>[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+]?\.\d+)"
_CONVERSION = re.compile(_VALUE + r"\s*(?P<src>[^\d\s][^\d]*?)" + _CONNECTOR + r"(?P<dst>[^\d]+)", re.IGNORECASE)
_NUMBER = r"[-+]?\d+(?:\.\d+)?"
_ASKED_AFTER = re.compile(
    r"(?P<value>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<src>[^\W\d_]+(?:\s+[^\W\d_]+)?)\b[^?]*?\bhow (?:many|much)\s+"
    r"(?P<dst>[^\W\d_]+(?:\s+[^\W\d_]+)?)(?:\s+(?:is|are|was|would|does|do)\s+(?:that|it|this|those|they)\b|\s*\?\s*$)",
    re.IGNORECASE,
)
_COMPOUND = re.compile(
    rf"(?P<v1>{_NUMBER})\s*(?P<u1>[A-Za-z]+)\s*,?\s+(?:and\s+)?(?P<v2>{_NUMBER})\s*(?P<u2>[A-Za-z]+)", re.IGNORECASE
)
_HOW_MANY_BEFORE = re.compile(
    r"(?:how (?:many|much)|number of)\s+(?P<dst>[^\d]+?)\s+(?:(?:are|is|make|makes|equals?)\s+)?(?:there\s+)?"
    r"(?:in\s+)?$",
    re.IGNORECASE,
)
CURRENCIES = frozenset(
    "usd eur gbp jpy chf cny rmb inr aud cad nzd sek nok dkk btc $ € £ ¥ dollar dollars euro euros yen yuan "
    "rupee rupees franc francs bitcoin bitcoins sterling".split()
)
_ONE_UNIT = re.compile(r"\b(?:an?|one)\s+(?P<src>[^\d\s][^\d]*?)" + _CONNECTOR + r"(?P<dst>[^\d]+)", re.IGNORECASE)
_HOW_MANY_HEAD = (
    r"(?:how (?:many|much)|(?:the\s+)?number of)\s+(?P<dst>[^\d]+?)\s+"
    r"(?:(?:are|is|make|makes|equals?|do|does)\s+)?(?:there\s+)?(?:(?:in|to)\s+)?"
)
# "how many cm in 5 ft", "how many pounds is 68 kg", "the number of centimeters in 6 feet"; then without a
# value: "how many seconds are in a day"
_HOW_MANY = (
    re.compile(_HOW_MANY_HEAD + _VALUE + r"\s*(?P<src>[^\d]+)", re.IGNORECASE),
    # "how long in minutes is 2.25 hours", "how far in km is 26.2 miles"
    re.compile(
        r"\bhow (?:long|far|heavy|much|big|fast|tall|hot|cold)\s+in\s+(?P<dst>[^\d]+?)\s+(?:is|are|was)\s+"
        + _VALUE
        + r"\s*(?P<src>[^\d]+)",
        re.IGNORECASE,
    ),
    re.compile(_HOW_MANY_HEAD + r"(?:an?\s+|one\s+)?(?P<value>)(?P<src>[^\d]+)", re.IGNORECASE),
)


@dataclass(frozen=True)
class Conversion:
    value: float
    source: str
    target: str
    known: bool  # both units are in the table


def relevant_text(instruction: str) -> str:
    """The instruction without the questions this agent asked, with the caller's replies kept; a request typed
    in capitals ("HOW MANY SECONDS ARE THERE IN 3.5 HOURS") is read in small letters (its units are words)."""
    text = scaled(_REPLY.sub("", _ASKED.sub("", instruction)).strip())
    return text.lower() if re.search(r"[A-Z]{2,}(?:\s+[A-Z]{2,}){3,}", text) and not re.search(r"[a-z]", text) else text


_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_LETTERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}
_SCALED_WORD = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s+(thousand|million|billion|trillion)\b", re.I)
_SCALED_MONEY = re.compile(r"(?<=[$€£¥])\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|mn|mm|bn|b)\b", re.I)


def scaled(text: str) -> str:
    """ "93 million miles" -> "93000000 miles", "$1.26M" -> "$1260000": the number a scale word (or a money
    amount's k/M/bn) stands for; a bare "1.2m" stays as written (it may be metres)."""

    def times(value: str, factor: float) -> str:
        return format_number(float(value.replace(",", "")) * factor)

    text = _SCALED_WORD.sub(lambda m: times(m[1], _SCALE_WORDS[m[2].lower()]), text)
    text = _SCALED_COUNT.sub(lambda m: times(m[1], _SCALE_LETTERS[m[2].lower()]) + " ", text)
    return _SCALED_MONEY.sub(lambda m: times(m[1], _SCALE_LETTERS[m[2].lower()]), text)


# "2.3M downloads", "45k followers": a count of things (a plural that is no unit), not metres or kelvins
_SCALED_COUNT = re.compile(
    r"(?<![\w.$€£¥])(\d[\d,]*(?:\.\d+)?)\s?(K|M|B|bn|mn|k)\s+(?=(?!(?:runs?|races?|km|kms|miles|meters|metres)\b)"
    r"[a-z]{2,}s\b)"
)


def request_head(text: str) -> str:
    """What the request asks, without the material it quotes: the text before its first colon, line break,
    opening quote or code fence."""
    cut = re.search(r"[:\n\"\u201c\u2018`]|(?:^|(?<=\s))'", text)
    return text[: cut.start()] if cut else text


def looks_tabular(text: str) -> bool:
    """Whether `text` carries a table (a JSON list of objects, a Markdown pipe table, or a CSV header line of
    short named cells followed by a row with as many cells): work for a data analyst, not a calculator."""
    if re.search(r"\[\s*\{\s*\"", text):
        return True
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if sum(1 for line in lines if line.startswith("|") and line.count("|") >= 3) >= 2:
        return True
    for header, row in itertools.pairwise(lines):
        for delimiter in (",", ";", "\t"):
            cells = header.split(delimiter)
            named = all(re.search(r"[^\W\d]", c) and len(c.split()) <= 3 for c in cells)
            if len(cells) >= 2 and named and row.count(delimiter) == len(cells) - 1:
                return True
    return False


def latest_reply(instruction: str) -> str:
    """The caller's last reply on a follow-up turn, or "" on a first turn."""
    parts = _REPLY.split(instruction)
    return parts[-1].strip() if len(parts) > 1 else ""


def _runs(text: str) -> list[list[tuple[str, str]]]:
    """Maximal runs of consecutive math tokens (kind, text); any other word or symbol ends a run."""
    runs: list[list[tuple[str, str]]] = [[]]
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        kind = match.lastgroup if match else None
        token = match.group(kind) if match and kind else ""
        if match and kind and (kind != "name" or token.lower() in FUNCTIONS or token.lower() in CONSTANTS):
            runs[-1].append((kind, token.lower() if kind == "name" else token))
            position = match.end()
        else:
            runs.append([])
            position = match.end() if match else position + 1
    return [r for r in runs if r]


def _trimmed(run: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while run and run[0][1] in _BAD_START:
        run = run[1:]
    while run and run[-1][1] in _BAD_END:
        run = run[:-1]
    return run


def _valid(run: list[tuple[str, str]]) -> bool:
    has_value = any(k == "num" or (k == "name" and t in CONSTANTS) for k, t in run)
    has_operation = any(t in _OPERATORS for _, t in run[1:]) or any(t in FUNCTIONS for _, t in run)
    if not (has_value and has_operation):
        return False
    try:
        ast.parse(_join(run).replace("^", "**"), mode="eval")
    except SyntaxError:
        return False
    return True


def _join(run: list[tuple[str, str]]) -> str:
    """The tokens as one expression: binary operators spaced, signs and calls attached ("-5 + sqrt(4)").

    Signs stay attached so the expression can lead a Markdown line without reading as a list item.
    """
    text = run[0][1] if run else ""
    for index in range(1, len(run)):
        (kind, before), token = run[index - 1], run[index][1]
        glued = before == "(" or token in (")", ",") or (token == "(" and kind == "name") or _is_sign(run, index - 1)
        text += token if glued else " " + token
    return text


def _is_sign(run: list[tuple[str, str]], index: int) -> bool:
    """Whether the token at `index` is a unary + or - (first, or after an operator, "(" or ",")."""
    if index < 0 or run[index][1] not in ("+", "-"):
        return False
    return index == 0 or run[index - 1][1] in _OPERATORS | {"(", ","}


def find_expression(text: str) -> str | None:
    """The longest arithmetic expression written in `text`, normalised, or None."""
    candidates = [_trimmed(run) for run in _runs(rewrite(text))]
    valid = [run for run in candidates if run and _valid(run)]
    if not valid:
        return None
    return _join(max(valid, key=len))


def _resolve_words(words: list[str], from_end: bool) -> str | None:
    """The longest leading (or trailing) group of words that names a unit."""
    for size in range(min(len(words), 4), 0, -1):
        chunk = " ".join(words[-size:] if from_end else words[:size]).rstrip(".?!,;:")
        if find_unit_or_none(chunk) is not None:
            return chunk
    return None


_VALUE_UNIT = re.compile(
    r"(?<![\w.])(?P<value>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>(?:°\s?[^\W\d_]+|[^\W\d_]+|°)(?:\s+[^\W\d_]+){0,2})"
)
_WORD = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)?")


# what says the other unit is the one wanted: a device or a habit that only knows it, or a reading asked for
_ELSEWHERE_CUE = re.compile(
    r"\bonly\s+(?:shows?|does|reads?|has|uses?|measures?|knows?|displays?|works?|goes?|takes?|understands?)\b|"
    r"\bwhat\s+(?:setting|temperature|reading|number)\b|\b(?:used to|think in|in my head)\b",
    re.IGNORECASE,
)


def _named_elsewhere(text: str) -> Conversion | None:
    """ "My oven dial only shows Fahrenheit and the recipe says 180 degrees Celsius. What setting should I use?":
    one measured value, and one other unit of the same kind named in the text, is a conversion between them."""
    measured = [
        (m, unit)
        for m in _VALUE_UNIT.finditer(text)
        if (words := _resolve_words(m["unit"].split(), from_end=False)) and (unit := find_unit_or_none(words))
    ]
    if len(measured) != 1 or not _ELSEWHERE_CUE.search(text):
        return None
    match, source = measured[0]
    rest = text[: match.start()] + " ; " + text[match.end() :]
    others = {
        unit.symbol: word
        for word in re.findall(r"[^\W\d_]+", rest)
        if len(word) > 2
        and (unit := find_unit_or_none(word)) is not None
        and unit.dimension == source.dimension
        and unit.symbol != source.symbol
    }
    if len(others) != 1:
        return None
    words = _resolve_words(match["unit"].split(), from_end=False) or ""
    return Conversion(float(match["value"].replace(",", "")), words, next(iter(others.values())), True)


def _compound(text: str) -> Conversion | None:
    """ "5 feet 10 inches in cm", "how many seconds are in 3 hours and 20 minutes": both parts in the smaller
    unit (70 in, 200 min), when they measure the same thing."""
    for match in _COMPOUND.finditer(text):
        first, second = find_unit_or_none(match["u1"]), find_unit_or_none(match["u2"])
        if first is None or second is None or first.dimension != second.dimension or first.offset:
            continue
        named = re.match(_CONNECTOR + r"(?P<dst>[^\d]+)", text[match.end() :], re.IGNORECASE)
        named = named or _HOW_MANY_BEFORE.search(text[: match.start()])
        target = _resolve_words(named["dst"].split(), from_end=False) if named else None
        if target is not None:
            value = convert(float(match["v1"]), first, second) + float(match["v2"])
            return Conversion(round(value, 12), match["u2"], target, True)
    return None


def is_currency(word: str) -> bool:
    """Whether `word` names money ("USD", "euros", "$"): no exchange rates here."""
    return word.strip(" .?!").lower() in CURRENCIES


_FRAMED = re.compile(
    r"(?P<value>-?\d[\d,]*(?:\.\d+)?)\s+as\s+(?:an?\s+)?(?P<unit>[^\W\d_]+)\b.*?\b(?:convert|change|turn)\s+"
    r"(?:it|that|them|this)\s+(?:to|into|in)\s+",
    re.I | re.S,
)


def find_conversion(text: str) -> Conversion | None:
    """A "<value> <unit> to <unit>" (or "how many <unit> in <value> <unit>") request in `text`, or None;
    "take 4000 as kilometers and convert it to miles" reads as "4000 kilometers to miles". A unit "converted"
    to itself is no conversion ("each shift is 12.5 hours ... how many hours is that in total?")."""
    text = re.sub(
        r"(?<=\d)-(?=(?:hour|minute|second|day|week|month|year|mile|km|kilometre|metre|foot|inch)\b)", " ", text
    )
    # "How many US gallons": the table's gallon, pint, quart, cup and fluid ounce are the US ones ("us" alone is µs)
    text = re.sub(r"\b(?:US|U\.S\.)\s+(?=gallons?|gal\b|pints?|quarts?|cups?|fl\.? oz|fluid ounces?)", "", text)
    text = _POWER_UNIT.sub(lambda m: f"{'sq' if m['power'] in '2²' else 'cubic'} {m['unit']}", text)  # "in m2"
    found = _find_conversion(_FRACTION.sub(_decimal, text))
    if found is not None and found.known and found.source == found.target:
        return None
    return found


# "500 sq ft in m2", "2 m3 to litres": a length unit with its power glued on, which a unit word cannot hold
_POWER_UNIT = re.compile(r"(?<![\w.])(?P<unit>mm|cm|m|km|ft|in|yd|mi)(?P<power>[23²³])(?![\w])")
# "3/4 inch", "2 1/2 cups": a fraction of a unit, read as its decimal (not as the denominator alone)
_FRACTION = re.compile(r"(?<![\w./])(?:(?P<whole>\d+)\s+)?(?P<num>\d+)\s*/\s*(?P<den>[1-9]\d?)(?=\s*[^\W\d_])")


def _decimal(match: re.Match[str]) -> str:
    value = int(match["whole"] or 0) + int(match["num"]) / int(match["den"])
    return f"{value:g}"


# "5k in miles", "how many miles is a 5k": a race's kilometres, not kelvin
_RACE_K = re.compile(
    r"\b(?P<value>\d+(?:\.\d+)?)\s?k\b(?=(?:\s+(?:run|race|route|loop|walk))?\s+(?:in|to|into|as)\s+"
    r"(?:miles?|mi|yards?|feet|ft|met(?:er|re)s?|m)\b)|"
    r"\b(?P<race>(?:a|an|the|my|our|his|her|their|this|that)\s+)(?P<raced>\d+(?:\.\d+)?)\s?k\b"
    r"(?=\s*(?:(?:fun\s+)?runs?|races?|walks?|swims?|rides?)?\s*(?:[?!.,;]|$))",
    re.IGNORECASE,
)
# "How many km is a marathon (26.2 miles)?": the value in brackets after the thing it measures
_NAMED_THEN_VALUE = re.compile(
    _HOW_MANY_HEAD + r"(?:[A-Za-z'-]+\s+){1,4}?\(\s*" + _VALUE + r"\s*(?P<src>[^\d)]+)\)", re.I
)


def _same_kind(source: str, target: str) -> bool:
    a, b = find_unit_or_none(source), find_unit_or_none(target)
    return a is None or b is None or a.dimension == b.dimension


def _of_kind(text: str, target: str) -> Conversion | None:
    """The one value of `text` whose unit measures what `target` does, converted to it, or None."""
    wanted = find_unit_or_none(target)
    found = [
        (m["value"], unit)
        for m in _VALUE_UNIT.finditer(text)
        if (unit := _resolve_words(m["unit"].split(), from_end=False))
        and wanted
        and (known := find_unit_or_none(unit)) is not None
        and known.dimension == wanted.dimension
    ]
    if len(found) != 1:
        return None
    return Conversion(float(found[0][0].replace(",", "")), found[0][1], target, True)


def _find_conversion(text: str) -> Conversion | None:
    text = _FRAMED.sub(lambda m: f"{m['value']} {m['unit']} to ", text)
    text = _RACE_K.sub(lambda m: f"{m['value']} km" if m["value"] else f"{m['race']}{m['raced']} km", text)
    bracketed = _NAMED_THEN_VALUE.search(text)
    if bracketed is not None:
        source = _resolve_words(bracketed["src"].split(), from_end=False)
        target = _resolve_words(bracketed["dst"].split(), from_end=False)
        if source and target:
            return Conversion(float(bracketed["value"].replace(",", "")), source, target, True)
    compound = _compound(text)
    if compound is not None:
        return compound
    mismatched: Conversion | None = None
    for match in _CONVERSION.finditer(text):
        src_words, dst_words = match["src"].split(), match["dst"].split()
        # the unit next to "to/in" ("72 degrees Fahrenheit to"), else the one after the number ("10 km this
        # morning. How far is that in miles?")
        source = _resolve_words(src_words, from_end=True) or _resolve_words(src_words, from_end=False)
        target = _resolve_words(dst_words, from_end=False)
        if source and target:
            found = Conversion(float(match["value"].replace(",", "")), source, target, True)
            if _same_kind(source, target):
                return found
            mismatched = mismatched or found
    if mismatched is not None:
        # "1,200 km in total over 8 days. Convert the distance to miles": the value of the target's kind
        measured = _of_kind(text, mismatched.target)
        return measured or mismatched
    for match in _ONE_UNIT.finditer(text):  # "what is a mile in feet"
        source = _resolve_words(match["src"].split(), from_end=True)
        target = _resolve_words(match["dst"].split(), from_end=False)
        if source and target:
            return Conversion(1.0, source, target, True)
    for pattern in _HOW_MANY:
        how_many = pattern.search(text)
        source = _resolve_words(how_many["src"].split(), from_end=False) if how_many else None
        target = _resolve_words(how_many["dst"].split(), from_end=False) if how_many else None
        if how_many and source and target:
            value = float(how_many["value"].replace(",", "")) if how_many["value"] else 1.0
            return Conversion(value, source, target, True)
    asked = _ASKED_AFTER.search(text)  # "I ran 10 kilometers this morning. How many miles is that?"
    if asked:
        source = _resolve_words(asked["src"].split(), from_end=False)
        target = _resolve_words(asked["dst"].split(), from_end=False)
        if source and target:
            return Conversion(float(asked["value"].replace(",", "")), source, target, True)
    named = _named_elsewhere(text)
    if named is not None:
        return named
    shape = _CONVERSION.search(text)
    if shape:  # the shape of a conversion with a unit we do not know: let the tool say which
        source = shape["src"].split()[-1]
        target = shape["dst"].strip().rstrip("?.!").split()[0]
        return Conversion(float(shape["value"].replace(",", "")), source, target, False)
    return None


# a number that names something rather than counts it: "my Year 9 quiz scores", "week 2", "room 101"
_LABEL = re.compile(
    r"\b(?:year|grade|class|form|room|ward|bed|bay|table|seat|row|flat|floor|week|day|version|team|unit|level|chapter|page|section|step|phase|"
    r"round|lap|season|part|group|zone|apartment|apt|building|block|route|line|gate|platform|module|no\.?|number)"
    r"\s+\d+\b(?!\s*(?:,\s*\d|%))|#\d+\b|\bq[1-4]\b",
    re.I,
)


_COUNT = re.compile(r"(?<![\w.,])(?P<n>\d{1,2})\s+(?:[a-z]+\s+)?(?P<noun>[a-z]{3,}s)\b", re.I)


def _without_count(text: str) -> str:
    """ "our last 5 hikes gained 820 m, 1,150 m, ...": the text after a count of the numbers that follow it."""
    count = _COUNT.search(text)
    if count is not None and find_unit_or_none(count["noun"]) is None:
        rest = numbers_in_text(text[count.end() :])
        if len(rest) == int(count["n"]) and not numbers_in_text(text[: count.start()]):
            return text[count.end() :]
    return text


def find_numbers(text: str) -> list[float]:
    """The numbers listed in a request: after its last colon or its first " of " when two or more are there.
    Numbers that name something ("Year 9", "week 2", "Q3") are left out when a list remains without them;
    measures in several units of one kind ("120 ms, 135 ms and 3 s") are put in the most used one first."""
    unlabelled = _LABEL.sub(" ", text)
    if len(numbers_in_text(unlabelled)) >= 2:
        text = unlabelled
    text = _without_count(text)
    for marker in (":", " of "):
        if marker in text:
            tail = text.rsplit(marker, 1)[1] if marker == ":" else text.split(marker, 1)[1]
            numbers = numbers_in_text(tail)
            if len(numbers) >= 2:
                return _in_one_unit(tail, numbers)
    return _in_one_unit(text, numbers_in_text(text))


_MEASURE = re.compile(r"(?<![\w.])(?P<value>-?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[^\W\d_]+)?")


# "1.2m, 1.5m and 1.1m" in a sentence about money or counts: millions (thousands, billions), not metres
_SCALE_SUFFIX = re.compile(r"\d(?:m|k|bn|b|mn)\b", re.I)
_BUSINESS = re.compile(
    r"\b(?:revenue|sales|quarter\w*|profit|budget|users|customers|subscribers|downloads|views|visitors|"
    r"turnover|income|spend|costs?|numbers|figures|valuation|funding)\b|[$€£¥]",
    re.I,
)


def common_unit(text: str) -> str:
    """The unit a list of measures in `text` is in, or put in: the most used of its units when every number
    carries a unit of one kind ("4.5, 3.8 and 4.2 km" -> "km", "120 ms, 135 ms and 3 s" -> "ms"); "" otherwise."""
    if _SCALE_SUFFIX.search(text) and _BUSINESS.search(text):
        return ""
    text = _without_count(text)
    pairs = [(m["value"], m["unit"]) for m in _MEASURE.finditer(text)]
    units = [find_unit_or_none(u) if u else None for _, u in pairs]
    if len(pairs) < 2 or units[-1] is None:
        return ""
    words = [u for (_, u), unit in zip(pairs, units, strict=True) if u and unit is not None]
    if any(u is None for u in units):  # "4.5, 3.8 and 4.2 km": the last unit is the list's
        return words[-1] if len(words) == 1 else ""
    if len({u.dimension for u in units if u is not None}) != 1:
        return ""
    return max(words, key=lambda w: (words.count(w), -words.index(w)))


def _in_one_unit(text: str, numbers: list[float]) -> list[float]:
    target_word = common_unit(text)
    target = find_unit_or_none(target_word) if target_word else None
    pairs = [(m["value"], m["unit"]) for m in _MEASURE.finditer(text)]
    if target is None or len(pairs) != len(numbers) or not all(find_unit_or_none(u or "") for _, u in pairs):
        return numbers  # not every number is a measure: the list is as written
    out = []
    for value, unit in pairs:
        source = find_unit_or_none(unit or "")
        if source is None or source.dimension != target.dimension:
            return numbers
        out.append(round(convert(float(value.replace(",", "")), source, target), 10))
    return out
