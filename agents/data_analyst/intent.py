"""Reading a free-text table request, for the offline policy: which tool, and with which arguments.

`choose_tool` picks describe / query / group from keywords (or the caller's skill hint). `plan_arguments`
turns the request into tool arguments, knowing the table's column names: conditions ("price > 10",
"city is Paris", "name contains an"), group keys ("group by region", "per city"), aggregates ("sum revenue",
"average price", "count"), sorting ("sort by price descending", "top 3 by revenue") and limits. A column the
request names after "group by" or "sort by" that the table lacks is passed through as written, so the tool
reports it with the list of available columns.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pydantic import JsonValue

from .conditions import column_pattern, parse_conditions, resolve

SKILLS = ("describe_table", "query_table", "group_aggregate")
NUMBERS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten".split(), 1)}
_NUM = r"(\d+|" + "|".join(NUMBERS) + r")"

_DESCRIBE = re.compile(
    r"\b(describe|description|statistics|stats|profile|overview|schema|column types|data types|summari[sz]e)",
    re.I,
)
_EVERY_COLUMN = re.compile(r"\b(?:each|every|all(?: the)?)\s+columns?\b|\boverview\b|\bprofile\b", re.I)
_GROUPING = re.compile(
    r"\b(group(ed)?\b|per\b|for each\b|each\b|broken down by|split by|aggregate|sum\b|total|add up|added up"
    r"|average|avg\b|mean\b|median|minimum|maximum|min\b|max\b|count|number of|how many)",
    re.I,
)
_QUERY = re.compile(
    r"\b(filter|where|whose|sort|sorted|order|top|bottom|first|highest|lowest|largest|smallest|cheapest|rows?"
    r"|show|list|find|select|which|who|whom|most|least)\b|[<>]=?|==|!=",
    re.I,
)
_TABLE_WORDS = re.compile(r"\b(table|csv|json|columns?|rows?|data ?set|spreadsheet|records?|tsv)\b", re.I)
_EVENTS = re.compile(
    r"(?P<group>\bgroup(?:ed)?\s+(?:\w+\s+){0,2}?by\b|\bbroken\s+down\s+by\b|\bsplit\s+by\b|\bfor\s+each\b"
    r"|\bper\b|\beach\b)"
    r"|(?P<sort>\b(?:sort|sorted|order|ordered|rank|ranked)\s+(?:\w+\s+){0,2}?by\b)"
    r"|(?P<postagg>\b(?:added|totall?ed|summed|averaged|tallied)(?:\s+(?:up|together))?\b)"
    r"|(?P<agg>\bnumber\s+of\b|\bhow\s+many\b|\badd(?:ing)?\s+(?:up|together)\b|\bsum(?:ming)?\s+up\b"
    r"|\b(?:sum|total|average|avg|mean|median|minimum|min|maximum|max|count)s?\b)"
    r"|(?P<desc>\b(?:highest|largest|biggest|most|greatest|top|slowest|longest)\b)"
    r"|(?P<asc>\b(?:lowest|smallest|least|bottom|cheapest|fastest|quickest|shortest)\b)"
    r"|(?P<filter>\b(?:where|whose|with|if|filter(?:ed)?|having|has|have)\b)"
    r"|(?P<by>\bby\b)",
    re.I,
)
_AGG = {
    "add": "sum",
    "sum": "sum",
    "tot": "sum",
    "ave": "mean",
    "avg": "mean",
    "mea": "mean",
    "med": "median",
    "min": "min",
    "max": "max",
    "cou": "count",
    "num": "count",
    "how": "count",
}
_DESC_WORDS = re.compile(
    r"\b(desc|descending|decreasing|highest first|largest first|biggest first|high to low"
    r"|largest to smallest|reverse)\b",
    re.I,
)
_ASC_WORDS = re.compile(r"\b(asc|ascending|increasing|lowest first|smallest first|low to high)\b", re.I)
_LIMITS = (
    re.compile(rf"\b(?:top|first|bottom|limit(?: to)?|only)\s+{_NUM}\b", re.I),
    re.compile(rf"^\s*(?:which|what|who are the|list the|show the|name the)\s+{_NUM}\b", re.I),  # "which 3 products"
    re.compile(
        rf"\b{_NUM}\s+(?:highest|lowest|largest|smallest|biggest|most|least|rows|records|entries|results"
        r"|items|cheapest)\b",
        re.I,
    ),
)


def choose_tool(text: str, skill_hint: str | None) -> str | None:
    """The tool the request calls for, or None when it names no table operation."""
    if skill_hint in SKILLS:
        return skill_hint
    grouping, describing = _GROUPING.search(text), _DESCRIBE.search(text)
    if describing and (not grouping or _EVERY_COLUMN.search(text)):
        return "describe_table"  # "an overview of each column, with the averages": a profile of the table
    if grouping:
        return "group_aggregate"
    if _QUERY.search(text):
        return "query_table"
    return "describe_table" if describing else None


def mentions_table(text: str) -> bool:
    return bool(_TABLE_WORDS.search(text))


def _limit(text: str) -> int | None:
    for pattern in _LIMITS:
        m = pattern.search(text)
        if m:
            word = m.group(1).lower()
            return NUMBERS[word] if word in NUMBERS else int(word)
    return None


@dataclass
class _Walk:
    """What the keyword walk collects: group keys, aggregates, a sort key, and loose column mentions."""

    group_by: list[str] = field(default_factory=list)
    aggregates: list[dict[str, JsonValue]] = field(default_factory=list)
    sort_by: str | None = None
    loose: list[str] = field(default_factory=list)
    superlative: str | None = None  # "desc" or "asc" from top/highest or bottom/lowest
    sorted_explicitly: bool = False
    sort_named: bool = False  # the sort key came from "by <column>"


def _walk(text: str, columns: list[str], spans: list[tuple[int, int]], grouping: bool) -> _Walk:
    """Assign each column mention to the keyword before it (group by / sum / sort by / top ...)."""
    events: list[tuple[int, str, str]] = [(m.start(), m.lastgroup or "", m.group()) for m in _EVENTS.finditer(text)]
    mentions = list(re.finditer(column_pattern(columns), text, re.I)) if columns else []
    events += [(m.start(), "column", m.group()) for m in mentions]
    # a key named after "group by", "sort by", "per", "for each" that is no column goes through as written, for
    # the tool to report with the columns there are (not an overall figure that ignores "per department")
    raw = (
        r"(?:(?:group(?:ed)?|sort(?:ed)?|order(?:ed)?)\s+(?:\w+\s+){0,2}?by|\bper|\bfor\s+each|\bbroken\s+down\s+by)"
        r"\s+(?:the\s+)?(\w+)"
    )
    events += [
        (m.start(1), "raw", m.group(1)) for m in re.finditer(raw, text, re.I) if not _EVENTS.fullmatch(m.group(1))
    ]
    # the "per" inside a column's name ("price per kg" of price_per_kg) groups nothing
    events = [e for e in events if e[1] == "column" or not any(m.start() <= e[0] < m.end() for m in mentions)]
    # "the average deal value" of columns deal and value: the first names the second, which is the one meant
    compound = {a.start() for a, b in itertools.pairwise(mentions) if re.fullmatch(r"\s+", text[a.end() : b.start()])}
    events = [e for e in events if not (e[1] == "column" and e[0] in compound)]
    column_at = {e[0] for e in events if e[1] == "column"}
    walk, mode, pending, named = _Walk(), "", "", False
    for pos, kind, word in sorted(e for e in events if not any(s <= e[0] < end for s, end in spans)):
        if kind in ("desc", "asc"):
            walk.superlative = walk.superlative or kind
            mode = mode if grouping else "sort"
        elif kind in ("group", "sort", "filter", "by"):
            walk.sorted_explicitly |= kind == "sort"
            mode = ("group" if grouping else "sort") if kind == "by" else kind
            named = mode == "sort"  # "top 3 products by price": the column after "by" is the sort key
        elif kind == "postagg" and walk.loose:  # "the hours per project added up": of the column named before
            func = "mean" if word.lower().startswith("av") else "sum"
            walk.aggregates.append({"func": func, "column": walk.loose.pop(0)})
        elif kind == "postagg":  # "I need them totalled by department": the column comes after, as for "total"
            pending = "mean" if word.lower().startswith("av") else "sum"
            mode = "sortagg" if mode == "sort" else "agg"
        elif kind == "agg" and pending not in ("", "count") and word.lower().startswith("number"):
            continue  # "the average number of orders per day": the mean of the orders column
        elif kind == "agg":
            if pending == "count":
                walk.aggregates.append({"func": "count"})
            pending = _AGG[word.lower()[:3]]
            mode = "sortagg" if mode == "sort" else "agg"
        elif kind in ("column", "raw"):
            if kind == "raw" and pos in column_at:
                continue  # the word is a known column, already handled
            if mode == "sort" and named and not walk.sort_named:
                walk.sort_by, walk.sort_named = None, True  # a key named after "by" beats one after "top"
            named = False
            _assign(walk, mode, pending, resolve(word, columns))
            pending = "" if mode in ("agg", "sortagg") else pending
    if pending == "count":
        walk.aggregates.append({"func": "count"})
    return walk


def _assign(walk: _Walk, mode: str, func: str, column: str) -> None:
    if mode == "group" and column not in walk.group_by:
        walk.group_by.append(column)
    elif mode == "agg" and func:
        walk.aggregates.append({"func": func, "column": column})
    elif mode == "sortagg" and func:
        walk.sort_by = walk.sort_by or f"{func}_{column}"
        if {"func": func, "column": column} not in walk.aggregates:
            walk.aggregates.append({"func": func, "column": column})
    elif mode == "sort":
        walk.sort_by = walk.sort_by or column
    else:
        walk.loose.append(column)


def plan_arguments(tool: str, text: str, columns: list[str]) -> dict[str, JsonValue]:
    """Arguments for `tool` (without the table itself) read from the request text."""
    if tool == "describe_table":
        return {}
    conditions, spans = parse_conditions(text, columns)
    grouping = tool == "group_aggregate"
    walk = _walk(text, columns, spans, grouping)
    args: dict[str, JsonValue] = {}
    if conditions:
        args["where"] = list(conditions)
        if re.search(r"\bor\b", text[spans[0][0] : spans[-1][1]], re.I):
            args["match"] = "any"
    limit = _limit(text)
    # "Which genre sold most? Total copies per genre please": the top one, and every group's total as well
    every_group = grouping and re.search(r"[.?!]\s+[^.?!]*\b(?:per|each|every|for all)\b", text, re.I)
    asks_for_one = not grouping or (re.match(r"\s*(which|what)\b", text, re.I) and not every_group)
    sorting = walk.sorted_explicitly or re.search(
        r"\b(sort|sorted|order|ordered|rank|ranked|arrange)\b|\b(?:lowest|highest|smallest|largest|biggest|cheapest"
        r"|most|least|newest|oldest|latest|earliest)(?:\s+[\w-]+){0,2}?\s+first\b",  # "highest rent first"
        text,
        re.I,
    )
    if walk.superlative and limit is None and not sorting and asks_for_one:
        limit = 1  # "which product has the highest price": one row; "sort them from most expensive": all
    sort_by = walk.sort_by
    if grouping:
        group_by = walk.group_by or ([walk.loose[0]] if walk.superlative and walk.loose else [])
        aggregates = [a for i, a in enumerate(walk.aggregates) if a not in walk.aggregates[:i]]
        args |= {"group_by": list(group_by), "aggregates": list(aggregates or [{"func": "count"}])}
        if sort_by is None and (walk.superlative or limit):
            first = (aggregates or [{"func": "count"}])[0]
            sort_by = f"{first['func']}_{first['column']}" if "column" in first else str(first["func"])
    if sort_by:
        args["sort_by"] = sort_by
        asc = _ASC_WORDS.search(text) or (walk.superlative == "asc" and not _DESC_WORDS.search(text))
        args["descending"] = bool(_DESC_WORDS.search(text) or (walk.superlative == "desc" and not asc))
    if limit:
        args["limit"] = limit
    return args
