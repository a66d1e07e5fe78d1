"""Reading row conditions from a free-text table request: "price > 10", "city is Paris", "name contains an",
"revenue is at least 100", "age between 30 and 40", "email is missing".

`parse_conditions(text, columns)` returns the conditions (as `Condition` arguments) and the spans of text
they cover, so the rest of the request is not read twice. A word operator ("is", "above", "contains") counts
only after a filter word ("where", "with", "whose" ...), so "which region is the largest" is no condition; a
symbolic one ("price > 10") counts anywhere, and so does an amount before the column it counts ("fewer than
10 in stock"). Column mentions match the table's names case- and
separator-insensitively, plurals included. `value_conditions` reads a cell value named after "in"/"for"/"from"
("employees in Sales") as an equality on its column.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from .table import Table, normalise

_FILTER = re.compile(r"\b(?:where|whose|with|if|filter(?:ed)?|having|has|have|that|who)\b", re.I)

_OPS: tuple[tuple[str, str], ...] = (
    (r"==|=", "=="),
    (r"!=|<>", "!="),
    (r">=", ">="),
    (r"<=", "<="),
    (r">", ">"),
    (r"<", "<"),
    (r"(?:is\s+)?(?:greater|more|larger|higher)\s+than\s+or\s+equal\s+to", ">="),
    (r"(?:is\s+)?(?:less|fewer|smaller|lower)\s+than\s+or\s+equal\s+to", "<="),
    (r"(?:is\s+)?(?:greater|more|larger|higher)\s+than|(?:is\s+)?(?:above|over|after)|exceeds", ">"),
    (r"(?:is\s+)?(?:less|fewer|smaller|lower)\s+than|(?:is\s+)?(?:below|under|before)", "<"),
    (r"(?:is\s+)?at\s+least", ">="),
    (r"(?:is\s+)?at\s+most", "<="),
    (r"does\s*n[o']t\s+contain|not\s+containing", "not_contains"),
    (r"contains?|containing|includes?", "contains"),
    (r"starts?\s+with|begins?\s+with", "starts_with"),
    (r"ends?\s+with", "ends_with"),
    (r"is\s+not\s+equal\s+to|not\s+equal\s+to|is\s+not|isn't", "!="),
    (r"(?:is\s+)?equals?(?:\s+to)?|is", "=="),
)
_SYMBOLIC = {"==", "=", "!=", "<>", ">=", "<=", ">", "<"}
_VALUE = (
    r"\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s,;].*?)(?=\s+(?:and|or|then|sort|sorted|order|ordered|group|grouped"
    r"|limit|top|show|desc|descending|asc|ascending)\b|\s*[,;?]|\.(?:\s|$)|\s*$)"
)
_MISSING = re.compile(r"\s+is\s+(?P<neg>not\s+)?(?:missing|empty|blank|null)\b", re.I)
_COMPARATIVE = {">", "<", ">=", "<="}
_SCALAR = re.compile(r"[-+]?\d[\d.]*|\d{4}-\d{2}-\d{2}.*|\".*\"|'.*'")


_COUNT_FIRST_OPS = {
    "fewer than": "<",
    "less than": "<",
    "under": "<",
    "below": "<",
    "more than": ">",
    "over": ">",
    "above": ">",
    "at least": ">=",
    "at most": "<=",
    "no more than": "<=",
    "no fewer than": ">=",
}
# the amount before the column it counts: "fewer than 10 in stock", "more than 3 orders"
_COUNT_FIRST = (
    r"(?P<op>" + "|".join(sorted(_COUNT_FIRST_OPS, key=len, reverse=True)).replace(" ", r"\s+") + r")\s+"
    r"(?P<n>[-+]?\d+(?:\.\d+)?)"
)


# Words people write for columns named by their abbreviation: "per department" is the column "dept".
ABBREVIATIONS = {
    "department": "dept",
    "quantity": "qty",
    "amount": "amt",
    "number": "no",
    "percentage": "pct",
    "percent": "pct",
    "identifier": "id",
    "description": "desc",
    "category": "cat",
    "temperature": "temp",
    "employee": "emp",
    "customer": "cust",
    "product": "prod",
    "reference": "ref",
    "address": "addr",
    "organisation": "org",
    "organization": "org",
    "quarter": "qtr",
    "year": "yr",
    "revenue": "rev",
    "average": "avg",
}
_LONG = {short: [long for long, s in ABBREVIATIONS.items() if s == short] for short in ABBREVIATIONS.values()}


def _word(word: str) -> str:
    forms = [re.escape(word), *(re.escape(long) for long in _LONG.get(word, []))]
    return f"(?:{'|'.join(forms)})" if len(forms) > 1 else forms[0]


def column_pattern(columns: list[str]) -> str:
    words = sorted((normalise(c).split() for c in columns if normalise(c)), key=len, reverse=True)
    return "|".join(r"\b" + r"[\s_\-]+".join(map(_word, w)) + r"(?:e?s)?\b" for w in words)


# what a person is called in a request ("total the hours for each person"), and in a header that names people
_PERSON_WORDS = frozenset("person people persons individual employee staff worker member who everyone".split())
_NAME_COLUMNS = ("name", "employee", "person", "staff", "worker", "member", "who", "employee name", "full name")


def resolve(text: str, columns: list[str]) -> str:
    """The column `text` names (case, plural and abbreviations aside); "person" names the one column of names
    ("name", "employee", ...); `text` itself when none fits, for the tool to report."""
    wanted = normalise(text)
    forms = {wanted, wanted.removesuffix("s"), wanted.removesuffix("es")}
    forms |= {" ".join(ABBREVIATIONS.get(w, w) for w in form.split()) for form in list(forms)}
    for c in columns:
        if normalise(c) in forms:
            return c
    if wanted in _PERSON_WORDS:
        named = [c for c in columns if normalise(c) in _NAME_COLUMNS]
        if len(named) == 1:
            return named[0]
    return text


def parse_conditions(text: str, columns: list[str]) -> tuple[list[dict[str, JsonValue]], list[tuple[int, int]]]:
    """Conditions found in the text, and the spans they cover (word operators only after a filter word)."""
    if not columns:
        return [], []
    cols = column_pattern(columns)
    ops = "|".join(f"(?:{pattern})" for pattern, _ in _OPS)
    found: list[tuple[int, int, dict[str, JsonValue]]] = []
    for m in re.finditer(rf"(?P<col>{cols})(?P<miss>{_MISSING.pattern})", text, re.I):
        op = "not_missing" if m.group("neg") else "is_missing"
        found.append((m.start(), m.end(), {"column": resolve(m.group("col"), columns), "op": op}))
    for m in re.finditer(rf"(?P<col>{cols})\s+(?:is\s+)?between\s+(\S+)\s+and\s+([^\s,;?]+)", text, re.I):
        column = resolve(m.group("col"), columns)
        low, high = m.group(2), m.group(3).rstrip(".")
        found.append((m.start(), m.end(), {"column": column, "op": ">=", "value": low}))
        found.append((m.start() + 1, m.end(), {"column": column, "op": "<=", "value": high}))
    filter_at = min((m.start() for m in _FILTER.finditer(text)), default=len(text))
    # "units that rent for more than 1200": the column used as a verb, "for" before the comparison
    for m in re.finditer(
        rf"(?P<col>{cols})\s*(?:(?:for|at|of)\s+(?=[a-z]))?(?P<op>{ops})(?![\w=]){_VALUE}", text, re.I
    ):
        op_text = " ".join(m.group("op").lower().split())
        op = next(o for pattern, o in _OPS if re.fullmatch(pattern, op_text, re.I))
        value = m.group("value").strip().strip("\"'")
        if op_text not in _SYMBOLIC and (m.start() < filter_at or any(s <= m.start() < e for s, e, _ in found)):
            continue
        if op in _COMPARATIVE and not _SCALAR.fullmatch(m.group("value").strip()):
            continue
        if not any(s <= m.start() < e for s, e, _ in found):
            found.append((m.start(), m.end(), {"column": resolve(m.group("col"), columns), "op": op, "value": value}))
    for m in re.finditer(rf"{_COUNT_FIRST}\s+(?:in\s+|of\s+)?(?P<col>{cols})", text, re.I):
        if not any(s <= m.start() < e for s, e, _ in found):  # "fewer than 10 in stock"
            op = _COUNT_FIRST_OPS[" ".join(m.group("op").lower().split())]
            found.append((m.start(), m.end(), {"column": resolve(m.group("col"), columns), "op": op, "value": m["n"]}))
    found.sort(key=lambda f: f[0])
    return [f[2] for f in found], [(f[0], f[1]) for f in found]


MAX_VALUES = 500  # distinct values of a column looked for in a request
_MONTH_NAMES = "january february march april may june july august september october november december".split()
_MONTHS = {name[:3]: (name, name[:3]) for name in _MONTH_NAMES}  # "Mar" cells answer "from March" and back


def value_conditions(text: str, table: Table, taken: set[str]) -> list[dict[str, JsonValue]]:
    """Conditions from cell values the request names after "in", "for", "from" or "at" ("how many employees
    are in Sales" -> department == Sales), one per text column not in `taken`, longest value first."""
    found: list[dict[str, JsonValue]] = []
    names = {normalise(c) for c in table.columns}
    for column, kind in zip(table.columns, table.types, strict=True):
        if kind != "string" or column in taken:
            continue
        values = {v for v in table.column(column) if isinstance(v, str) and len(v) >= 2 and normalise(v) not in names}
        if len(values) > MAX_VALUES:
            continue
        for value in sorted(values, key=len, reverse=True):
            month = _MONTHS.get(value.lower()[:3], ()) if value.lower() in _MONTHS.get(value.lower()[:3], ()) else ()
            spelled = "|".join(re.escape(v) for v in {value, *month})
            column_name = re.escape(normalise(column))
            if (
                re.search(rf"\b(?:in|for|from|at|within|during)\s+(?:the\s+)?(?:{spelled})(?![\w-])", text, re.I)
                # "how many people ordered the vegetarian meal": the value before its column's name, or chosen
                or re.search(rf"\b(?:{spelled})\s+{column_name}s?\b", text, re.I)
                or re.search(
                    r"\b(?:ordered|chose|chosen|picked|selected|wanted|booked|bought|requested|preferred|with)\s+"
                    rf"(?:the\s+|a\s+|an\s+)?(?:{spelled})(?![\w-])",
                    text,
                    re.I,
                )
            ):
                found.append({"column": column, "op": "==", "value": value})
                break
    return found
