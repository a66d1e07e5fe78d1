"""What the librarian is not for: requests it declines so the orchestrator can try another agent.

Contract of `out_of_scope(text, materials)`: a decline reason for a request that is clearly other work, else
None. Other work is arithmetic ("What is 17 * 23?", "half of 90"), unit conversions ("How many pounds is
68 kg?"), analysing a table (inline CSV, an attached one, or words about rows and columns with an analysis
verb), and doing something to a given text rather than asking the library about it: summarising,
translating, writing or judging the sentiment or keywords of quoted or pasted text. A question *about*
those subjects ("how do I send a CSV file in a message part?", "what is a summary artifact?") is the
library's, and stays in scope.
"""

from __future__ import annotations

import re

from agents.runtime.messages import Material

_ARITHMETIC = re.compile(r"^[\s\d.,+\-*/^()=x×÷%?]*\d[\s\d.,]*[+\-*/^×÷%][\s\d.,+\-*/^()=x×÷%?]*$")
_MATH_WORDS = re.compile(
    r"\b(calculate|compute|evaluate|solve|sum of|total of|average of|mean of|median of|standard deviation"
    r"|variance|multiply|divide|square root|plus|minus|times|divided by|percent(age)? of|to the power|power of"
    r"|squared|cubed|factorial)\b",
    re.I,
)
_ONE_NUMBER_MATH = re.compile(
    r"\b(?:half|a third|a quarter|double|twice|triple|square root)\s+of\s+\d|\b\d+\s*%\s+of\s+\d", re.I
)
_OPERATOR_BETWEEN_NUMBERS = re.compile(r"\d\s*(?:\*\*|[*/×÷^])\s*\(?\d|\d\s+[-+]\s+\d")
_CONVERSION = re.compile(
    r"\d\s*(?:[a-z°]+\.?\s+){1,2}(?:to|in|into)\s+(?:[a-z°]+)\b.*|\bhow (?:many|much)\s+[a-z°]+(?:\s+[a-z]+)?\s+"
    r"(?:is|are|in|make)\s+(?:an?\s+)?\d",
    re.I,
)
_UNIT_WORDS = re.compile(
    r"\b(?:kg|kilo\w*|pounds?|lbs?|grams?|ounces?|miles?|km|kilomet\w+|met(?:er|re)s?|feet|foot|inch\w*|cm|mm|"
    r"yards?|litres?|liters?|gallons?|celsius|fahrenheit|kelvin|°[cf]|mph|km/h|hours?|minutes?|seconds?|days?|weeks?|"
    r"bytes?|[kmgt]b|acres?|hectares?)\b",
    re.I,
)
_TABLE_WORDS = re.compile(r"\b(csv|tsv|spreadsheet|table|columns?|rows?|dataset)\b", re.I)
_ANALYSIS_WORDS = re.compile(
    r"\b(analy[sz]e|group(ed)? by|aggregate|sum|average|mean|filter|sort|describe the columns|statistics"
    r"|count the rows|pivot|top \d+ rows|sold the most|per \w+)\b",
    re.I,
)
_CSV_ROWS = re.compile(r"^[^\n,]+(?:,[^\n,]+)+\n(?:[^\n,]+(?:,[^\n,]*)+\n?)+", re.M)
_DO_TO_TEXT = re.compile(
    # "summarise what a push notification is" asks about a topic: the library's work
    r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:(?:summari[sz]e|sum up)(?!\s+(?:for me\s+)?(?:what|how|why|when|"
    r"where|who|which)\b(?![^:\"\u201c]*[:\"\u201c]))|translate|rewrite|paraphrase|proofread|write|draft|compose|"
    r"outline)\b|\b(?:sentiment|tone|key ?words?|word count|readability)\s+(?:of|in|for)\b.*"
    r"(?::|[\"'\u201c\u2018])",
    re.I,
)


def _is_arithmetic(text: str) -> bool:
    bare = re.sub(r"^\s*(what\s+is|what's|how\s+much\s+is)\s+", "", text, flags=re.I)
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    math = bool(_MATH_WORDS.search(text)) and len(numbers) >= 2
    symbols = bool(_OPERATOR_BETWEEN_NUMBERS.search(text))  # "Wie viel ist 17 * 23?" in any language
    return bool(_ARITHMETIC.fullmatch(bare)) or math or symbols or bool(_ONE_NUMBER_MATH.search(text))


def _about_tables(text: str, materials: tuple[Material, ...]) -> bool:
    tabular = any(m.media_type in ("text/csv", "text/tab-separated-values") or m.data is not None for m in materials)
    if _CSV_ROWS.search(text) or "\n|" in text:
        return True
    return bool(_ANALYSIS_WORDS.search(text)) and (tabular or bool(_TABLE_WORDS.search(text)))


def out_of_scope(text: str, materials: tuple[Material, ...]) -> str | None:
    """Why the request is another agent's work, or None (see the module docstring)."""
    if _is_arithmetic(text):
        return "librarian searches documents; arithmetic belongs to a calculator."
    if _CONVERSION.search(text) and _UNIT_WORDS.search(text):
        return "librarian searches documents; unit conversions belong to a calculator."
    if _about_tables(text, materials):
        return "librarian searches documents; analysing a CSV or table belongs to a data analyst."
    if _DO_TO_TEXT.search(text):
        return "librarian searches documents; summarising, writing or analysing a given text belongs to other agents."
    return None
