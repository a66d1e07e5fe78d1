"""The column a question is about when it names none, and the label it asks for.

"Which region sold the most?" names a label column (region) but no measure: `measure(text, table, exclude)`
picks the numeric column a word of it names ("the most units" -> units_sold), else the one the wording points
at ("sold" -> sales, revenue, units ...), else the only numeric
column, else the last numeric one that is not an identifier or a year. `label_column` is the column the
question asks for ("which region", "what product", "who" -> the first text column). `complete` fills in what
a question leaves out: for a superlative, the sort key, its direction and a limit of one (and when the question
adds things up, "sold the most", "scored the most points", while its label repeats across rows, a grouped sum
per label); for "total sales by region", the measure to total; for "older than 35", the column compared; for
"employees in Sales", the condition on the column holding that value; "how many unique cities" and "which
city appears most often" become row counts per city.
Every function is pure and returns None (or the arguments unchanged) when it cannot tell.
"""

from __future__ import annotations

import itertools
import re

from pydantic import JsonValue

from .conditions import ABBREVIATIONS, value_conditions
from .table import Table, normalise

_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\b(sold|sells?|sales|selling)\b", ("sales", "revenue", "units", "quantity", "qty", "amount", "total")),
    (r"\b(earn(ed|s)?|made|makes|income|turnover|brought in|generated)\b", ("revenue", "income", "sales", "profit")),
    (r"\b(paid|pays|salar(y|ies)|wages?|earn(ed|s)?|earnings)\b", ("salary", "pay", "wage", "amount")),
    (r"\b(scor(?:e|ed|er|ers|ing)|points?)\b", ("points", "score", "goals")),  # "the top 3 scorers"
    (r"\b(costs?|costly|expensive|cheap(est)?|pric(e|ed|iest))\b", ("price", "cost", "amount")),
    (r"\b(spent|spend(s|ing)?)\b", ("spend", "spent", "cost", "amount", "expenses")),
    (r"\b(old(est)?|young(est)?|ages?)\b", ("age",)),
    (  # "which route was the longest": a distance before a time; "the longest call": its duration
        r"\b(long(est|er)?|short(est|er)?)\b",
        ("distance", "length", "km", "miles", "mi", "duration", "time", "hours", "minutes", "min", "seconds", "sec"),
    ),
    (
        r"\b(slow(est|er)?|fast(est|er)?|quick(est|er)?|took|takes?)\b",
        ("time", "duration", "minutes", "min", "seconds", "sec", "hours", "length"),
    ),
    (r"\b(populous|population)\b", ("population",)),
    (r"\bquantit(y|ies)\b", ("qty", "quantity", "units", "count")),
    (r"\b(bill(ed|s|ing)?|invoic(ed|ing)|charged?)\b", ("amount", "total", "value", "price")),
    (r"\b(down ?time|outages?|(?:minutes|hours) down)\b", ("down", "downtime", "outage", "minutes")),
    (r"\bamounts?\b", ("amount", "amt", "total", "value")),
)
_FREQUENT = re.compile(
    r"\b(?:most|least)\s+(?:often|common(?:ly)?|frequent(?:ly)?|popular)\b|\bmost occurrences\b", re.I
)
_DISTINCT = re.compile(r"\b(?:unique|distinct|different)\s+(\w+)", re.I)
_ACCUMULATES = re.compile(
    r"\b(sold|sells|earned|made|spent|scored|won|generated|total|in total|overall|combined|altogether)\b", re.I
)
SUPERLATIVE = re.compile(
    r"\b(most|least|highest|lowest|largest|smallest|biggest|greatest|fewest|best|top|bottom|maximum|minimum|"
    r"cheapest|priciest|oldest|youngest|slowest|fastest|quickest|longest|shortest)\b",
    re.I,
)
# "fastest" and "shortest" of a time are its lowest values
ASCENDING = re.compile(
    r"\b(least|lowest|smallest|fewest|bottom|minimum|cheapest|youngest|fastest|quickest|shortest)\b", re.I
)
_AGGREGATE_WORD = re.compile(r"\b(total|sum|average|avg|mean|median)\b", re.I)
_AGGREGATE_FUNC = {"tot": "sum", "sum": "sum", "ave": "mean", "avg": "mean", "mea": "mean", "med": "median"}
_COUNTING = re.compile(r"\b(count|how many|number of)\b", re.I)
_IMPLIED = re.compile(
    r"\b(older|younger|cheaper|more expensive|pricier|costlier|earn(?:s|ing)? more|earn(?:s|ing)? less|"
    r"cost(?:s|ing)? more|cost(?:s|ing)? less)\s+than\s+\$?([-+]?\d+(?:\.\d+)?)",
    re.I,
)
_IMPLIED_COLUMN = {
    "older": ("age",),
    "younger": ("age",),
    "cheaper": ("price", "cost"),
    "expensive": ("price", "cost"),
    "pricier": ("price",),
    "costlier": ("cost", "price"),
    "more": ("salary", "pay", "wage", "price", "cost"),
    "less": ("salary", "pay", "wage", "price", "cost"),
}
_BELOW = {"younger", "cheaper"} | {f"{verb} less" for verb in ("earn", "earns", "earning", "cost", "costs", "costing")}
_RANGE = re.compile(
    r"\bfrom\s+(?:the\s+)?(most|least|highest|lowest|largest|smallest|biggest|cheapest|priciest|oldest|youngest)"
    r"\s+to\s+(?:the\s+)?\w+",
    re.I,
)
_ORDERING = re.compile(
    r"\b(?:lowest|highest|smallest|largest|biggest|cheapest|most|least|newest|oldest)\s+first\b", re.I
)
_ASKS_ONE = re.compile(r"^\s*(which|what|who|whose)\b", re.I)
_IDENTIFIER = re.compile(r"(^|\s)(id|code|zip|year|no|number)$")


def numeric_columns(table: Table) -> list[str]:
    return [c for c, kind in zip(table.columns, table.types, strict=True) if kind in ("int", "float")]


def hinted(text: str, table: Table, exclude: set[str]) -> str | None:
    """The numeric column the wording names ("the most units" -> units_sold) or points at ("sold" -> sales,
    "downtime" -> minutes_down), or None."""
    numeric = [c for c in numeric_columns(table) if c not in exclude]
    for word in re.findall(r"[A-Za-z][\w-]*", text):
        named = named_column(word, numeric) if len(word) > 2 else None
        if named is not None:
            return named
    for pattern, names in _HINTS:
        if re.search(pattern, text, re.I):
            for name in names:
                found = next((c for c in numeric if name in normalise(c).split()), None)
                if found is not None:
                    return found
    return None


def measure(text: str, table: Table, exclude: set[str]) -> str | None:
    """The numeric column `text` is about when it names none (see the module docstring)."""
    found = hinted(text, table, exclude)
    if found is not None:
        return found
    numeric = [c for c in numeric_columns(table) if c not in exclude]
    if len(numeric) == 1:
        return numeric[0]
    measures = [c for c in numeric if not _IDENTIFIER.search(normalise(c))]
    return measures[-1] if measures else None


def named_column(word: str, columns: tuple[str, ...] | list[str]) -> str | None:
    """The column `word` names: its name, singular or plural, an abbreviation ("quantity" -> qty), or the
    first word of a longer name ("order" -> order_id)."""
    wanted = normalise(word)
    singular = (
        wanted[:-3] + "y"
        if wanted.endswith("ies")
        else wanted.removesuffix("es")
        if wanted.endswith("ses")
        else wanted.removesuffix("s")
    )
    forms = {wanted, singular, wanted.removesuffix("s"), ABBREVIATIONS.get(singular, "")} - {""}
    for column in columns:
        if normalise(column) in forms:
            return column
    return next((c for c in columns if normalise(c).split()[0] in forms and len(normalise(c).split()) > 1), None)


def label_column(text: str, table: Table) -> str | None:
    """The column whose value answers "which <column>" / "what <column>" (anywhere in the request), or the first
    text column for "who" and for "which" followed by no column name; None otherwise ("what is the maximum")."""
    for match in re.finditer(r"\b(?:which|what|whose)\s+(\w+(?:[\s_-]\w+)?)", text, re.I):
        for candidate in (match.group(1), match.group(1).split()[0]):
            found = named_column(candidate, table.columns)
            if found is not None:
                return found
    if re.search(r"\b(?:who|whom|whose)\b|^\s*which\b", text, re.I):
        return next((c for c, kind in zip(table.columns, table.types, strict=True) if kind == "string"), None)
    return None


def _repeats(table: Table, column: str) -> bool:
    values = table.column(column)
    return len(set(values)) < len(values)


def _asks_for_one(text: str) -> bool:
    """ "Which product has the highest price?" asks for one row; "which items have fewer than 10 in stock?
    Lowest first." (a plural, an ordering) asks for all that qualify."""
    if not _ASKS_ONE.match(text) or _ORDERING.search(text):
        return False
    noun = re.match(r"\s*(?:which|what)\s+(\w+)", text, re.I)
    return not (noun and noun.group(1).lower().endswith("s") and not noun.group(1).lower().endswith("ss"))


def _descending(text: str) -> bool:
    """The direction a superlative asks for; "from most to least expensive" names both ends, the first wins."""
    ends = _RANGE.search(text)
    if ends:
        return not ASCENDING.fullmatch(ends.group(1))
    return not ASCENDING.search(text)


def _summed_group(args: dict[str, JsonValue], label: str, key: str) -> dict[str, JsonValue]:
    kept = {k: v for k, v in args.items() if k in ("where", "match", "descending", "limit")}
    return kept | {"group_by": [label], "aggregates": [{"func": "sum", "column": key}], "sort_by": f"sum_{key}"}


def _superlative(tool: str, args: dict[str, JsonValue], text: str, table: Table) -> tuple[str, dict[str, JsonValue]]:
    label = label_column(text, table)
    sort_by = args.get("sort_by")
    if isinstance(sort_by, str) and sort_by in table.columns and sort_by not in numeric_columns(table):
        label, sort_by = label or sort_by, None  # "the most expensive product": product is the label, not the key
    compared = [str(c.get("column")) for c in _conditions(args) if c.get("column") in numeric_columns(table)]
    if not isinstance(sort_by, str) and compared and hinted(text, table, set()) is None:
        sort_by = compared[0]  # "fewer than 10 in stock? Lowest first": by stock
    key = sort_by if isinstance(sort_by, str) else measure(text, table, exclude={label} if label else set())
    if key is None:
        return tool, args
    descending = bool(args["descending"]) if "descending" in args else _descending(text)
    limit = args.get("limit") or (1 if _asks_for_one(text) else None)
    completed = {**args, "sort_by": key, "descending": descending} | ({"limit": limit} if limit else {})
    if label and label != key and _ACCUMULATES.search(text) and _repeats(table, label):
        return "group_aggregate", _summed_group(completed, label, key)
    return tool, completed


def _conditions(args: dict[str, JsonValue]) -> list[dict[str, JsonValue]]:
    where = args.get("where")
    return [c for c in where if isinstance(c, dict)] if isinstance(where, list) else []


def _group_superlative(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue]:
    """ "Which customer did I bill the most in total?", "per service ... which service cost the most
    downtime?": groups by the column asked for, ranked by the measure the wording points at, top one."""
    label = label_column(text, table)
    keys = args.get("group_by")
    completed = dict(args)
    if label is not None and label not in numeric_columns(table) and keys != [label]:
        completed["group_by"] = [label]
    key = hinted(text, table, exclude={label} if label else set())
    aggregates = [a for a in args.get("aggregates") or [] if isinstance(a, dict)]  # type: ignore[union-attr]
    if key is not None:
        present = next((a for a in aggregates if a.get("column") == key), None)
        aggregate = present or {"func": "sum", "column": key}
        kept: list[JsonValue] = [a for a in aggregates if a != {"func": "count"} or len(aggregates) > 1]
        completed["aggregates"] = kept if present else [*kept, aggregate]
        completed["sort_by"] = f"{aggregate['func']}_{key}"
        completed["descending"] = _descending(text)
    listing = re.search(r"\b(?:per|for each|each|by)\s+\w+", text, re.I)  # "per service: ..." wants every group
    if not listing and (_ASKS_ONE.match(text) or re.search(r"[.?!]\s*(which|what|who)\b", text, re.I)):
        completed["limit"] = 1
    return completed


def _numbers_rows(table: Table, index: int) -> bool:
    """Whether an int column numbers the rows (ticket 101, 102, 103 ...): every value new and each above the one
    before, an identifier to count, never an amount to add up."""
    values = [cell for cell in (row[index] for row in table.rows) if isinstance(cell, int)]
    return len(values) >= 3 and all(a < b for a, b in itertools.pairwise(values))


def _counts_to_sums(args: dict[str, JsonValue], table: Table) -> dict[str, JsonValue]:
    """ "The total number of parcels per warehouse" counts what a whole-number column holds: its sum, not how
    many rows have a value (an "incident" id column is still counted)."""
    aggregates = args.get("aggregates")
    if not isinstance(aggregates, list):
        return args
    counted = {
        c
        for i, (c, kind) in enumerate(zip(table.columns, table.types, strict=True))
        if kind == "int" and not _numbers_rows(table, i)
    }
    changed: list[JsonValue] = []
    renamed: dict[str, str] = {}
    for aggregate in aggregates:
        if isinstance(aggregate, dict) and aggregate.get("func") == "count" and aggregate.get("column") in counted:
            column = str(aggregate["column"])
            changed.append({"func": "sum", "column": column})
            renamed[f"count_{column}"] = f"sum_{column}"
        else:
            changed.append(aggregate)
    sort_by = args.get("sort_by")
    return {**args, "aggregates": changed} | (
        {"sort_by": renamed.get(sort_by, sort_by)} if isinstance(sort_by, str) else {}
    )


def _aggregate(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue]:
    """A total or average asked for without a column ("total sales by region") gets the implied measure."""
    if _COUNTING.search(text):
        args = _counts_to_sums(args, table)
    wanted = _AGGREGATE_WORD.search(text)
    if args.get("aggregates") != [{"func": "count"}] or wanted is None or _COUNTING.search(text):
        return args
    keys = args.get("group_by")
    key = measure(text, table, exclude={str(k) for k in keys} if isinstance(keys, list) else set())
    if key is None:
        return args
    func = _AGGREGATE_FUNC[wanted.group(1).lower()[:3]]
    aggregate: dict[str, JsonValue] = {"func": func, "column": key}
    completed: dict[str, JsonValue] = {**args, "aggregates": [aggregate]}
    if args.get("sort_by") == "count":
        completed["sort_by"] = f"{func}_{key}"
    return completed


_VERSUS = re.compile(r"\b(?:vs\.?|versus|compared (?:to|with)|against|or)\b", re.I)


def _compared(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue]:
    """ "my average price per kg for veg vs fruit": two values of one column set side by side are its groups."""
    if args.get("group_by") or not _VERSUS.search(text):
        return args
    for column, kind, values in zip(table.columns, table.types, zip(*table.rows, strict=True), strict=True):
        if kind != "string":
            continue
        named = {
            str(v).lower() for v in values if v is not None and re.search(rf"\b{re.escape(str(v))}s?\b", text, re.I)
        }
        if len(named) >= 2:
            return args | {"group_by": [column]}
    return args


def _implied_conditions(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue]:
    """Comparisons that name an attribute by an adjective ("older than 35" -> age > 35)."""
    found: list[JsonValue] = []
    for match in _IMPLIED.finditer(text):
        word, value = match.group(1).lower(), match.group(2)
        column = measure(word, table, exclude=set())
        if column is not None and any(h in normalise(column) for h in _IMPLIED_COLUMN.get(word.split()[-1], ())):
            found.append({"column": column, "op": "<" if word in _BELOW else ">", "value": value})
    where = args.get("where")
    given = [c for c in where if isinstance(c, dict)] if isinstance(where, list) else []
    grouped = args.get("group_by")
    taken = {str(c.get("column")) for c in given} | ({str(c) for c in grouped} if isinstance(grouped, list) else set())
    found += value_conditions(text, table, taken | {str(c["column"]) for c in found if isinstance(c, dict)})
    found = [c for c in found if isinstance(c, dict) and c.get("column") not in taken]
    if not found:
        return args
    return {**args, "where": [*given, *found]}


def _counted(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue] | None:
    """ "How many unique cities": a row count per city; "which city appears most often": its top group."""
    distinct = _DISTINCT.search(text)
    if distinct is not None:
        column = named_column(distinct.group(1), table.columns)
        if column is not None:
            return _grouped_count(args, column)
    label = label_column(text, table)
    if _FREQUENT.search(text) and label is not None:
        descending = not re.search(r"\bleast\b", text, re.I)
        return _grouped_count(args, label) | {"sort_by": "count", "descending": descending, "limit": 1}
    return None


def _grouped_count(args: dict[str, JsonValue], column: str) -> dict[str, JsonValue]:
    kept = {k: v for k, v in args.items() if k in ("where", "match")}
    return kept | {"group_by": [column], "aggregates": [{"func": "count"}]}


# "how long each of my guys spends per job on average": the people of the table, whatever its header calls them
_EACH_PERSON = re.compile(
    r"\b(?:each|every|per|by)\s+(?:one\s+)?(?:of\s+(?:my|our|the|his|her|their)\s+)?(?:\w+\s+)?"
    r"(?P<noun>guys|gals|folks|people|persons?|staff|staffers|employees?|workers?|members?|team ?mates?|"
    r"colleagues?|drivers?|mechanics?|techs?|technicians?|reps?|agents?|kids?|children|students?|pupils?|"
    r"tenants?|players?|volunteers?|nurses?|teachers?|cleaners?|couriers?|freelancers?|contractors?|"
    r"engineers?|developers?|devs?|sellers?|salespe(?:ople|rson)|person)\b",
    re.I,
)
_PERSON_HEADERS = re.compile(
    r"^(?:name|full_?name|first_?name|person|who|employee|staff|worker|member|driver|mechanic|tech|technician|"
    r"rep|agent|owner|assignee|student|pupil|tenant|player|volunteer|nurse|teacher|cleaner|courier|engineer|"
    r"developer|dev|seller|salesperson|customer|client|kid|child)s?$",
    re.I,
)


def _per_person(args: dict[str, JsonValue], text: str, table: Table) -> dict[str, JsonValue]:
    """ "each of my guys" groups by the column of people (a header that names a person or a role, else the text
    column of capitalised names); "per job on average" then is the average over their rows, not a second key."""
    match = _EACH_PERSON.search(text)
    if match is None or any(normalise(match["noun"]).rstrip("s") == normalise(c).rstrip("s") for c in table.columns):
        return args  # "per driver" with a driver column is already that column
    people = [c for c in table.columns if _PERSON_HEADERS.match(normalise(c))]
    if not people:
        people = [
            c for c, kind in zip(table.columns, table.types, strict=True) if kind == "string" and _names(table, c)
        ]
    if len(people) != 1:
        return args
    given = args.get("group_by")
    keys = [k for k in given if isinstance(k, str)] if isinstance(given, list) else []
    averaged = [
        k
        for k in keys
        if re.search(rf"\bper\s+{re.escape(k)}\s+(?:on\s+)?average|\baverage\s+per\s+{re.escape(k)}\b", text, re.I)
    ]
    kept = [k for k in keys if k not in averaged and k != people[0]]
    return args | {"group_by": [people[0], *kept]}


def _names(table: Table, column: str) -> bool:
    """Whether a text column holds people's names: capitalised words of one or two, repeating (a person has
    several rows)."""
    values = [str(v) for v in table.column(column) if v not in (None, "")]
    shaped = [v for v in values if re.fullmatch(r"[A-Z][a-z'’-]+(?: [A-Z][a-z'’.-]*)?", v)]
    return bool(values) and len(shaped) == len(values) and len(set(values)) < len(values)


def complete(tool: str, args: dict[str, JsonValue], text: str, table: Table | None) -> tuple[str, dict[str, JsonValue]]:
    """`(tool, args)` with what the question leaves out filled in (see the module docstring)."""
    if table is None or tool == "describe_table":
        return tool, args
    args = _compared(args, text, table) if tool == "group_aggregate" else args
    args = _implied_conditions(args, text, table)
    counted = _counted(args, text, table)
    if counted is not None:
        return "group_aggregate", counted
    if tool == "query_table" and SUPERLATIVE.search(text):
        return _superlative(tool, args, text, table)
    if tool == "group_aggregate":
        args = _per_person(args, text, table)
        args = _aggregate(args, text, table)
        return tool, _group_superlative(args, text, table) if SUPERLATIVE.search(text) else args
    return tool, args
