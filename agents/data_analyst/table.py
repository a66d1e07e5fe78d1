"""`Table`: a typed, in-memory table parsed from CSV or JSON text, JSON values or attached materials.

Contract: every constructor returns a table with at least one column and one data row, at most `MAX_ROWS`
rows and `MAX_COLUMNS` columns, unique column names, and every cell converted to its column's inferred type
(`int`, `float`, `bool`, `date` for ISO dates/date-times, `string`) or `None` when missing. Anything else
raises `ToolError` with a message fit for the caller. Parsing never guesses with `csv.Sniffer`: the delimiter
is a comma unless the header line has more semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import JsonValue

from agents.runtime.messages import Material
from agents.runtime.tools import ToolError

from .markdown_table import is_pipe_table, pipe_rows

MAX_ROWS = 100_000
MAX_COLUMNS = 200
RAGGED_TOLERANCE = 0.1  # share of data rows whose field count may differ from the header's

ColumnType = Literal["int", "float", "bool", "date", "string"]
Cell = int | float | bool | date | datetime | str | None

MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})
BOOLS = {"true": True, "false": False, "yes": True, "no": False}
_INT = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
# a number as a spreadsheet exports it: "1,152.00", "$1,980", "€875.50" (thousands grouped, currency in front)
_FORMATTED = re.compile(r"(?P<sign>[+-]?)[$€£¥]?\s?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<=[$€£¥ ])\d+(?:\.\d+)?)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    types: tuple[ColumnType, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()  # repairs made while parsing, e.g. padded short rows

    def index(self, name: str) -> int:
        """The position of column `name` (exact, then case- and separator-insensitive, then singular/plural).

        Raises `ToolError` naming the available columns when nothing matches.
        """
        if name in self.columns:
            return self.columns.index(name)
        wanted = normalise(name)
        keys = [normalise(c) for c in self.columns]
        for candidate in (wanted, wanted.removesuffix("s"), wanted + "s"):
            if candidate in keys:
                return keys.index(candidate)
        raise ToolError(f"unknown column {name!r}; available columns: {', '.join(self.columns)}")

    def column(self, name: str) -> list[Cell]:
        i = self.index(name)
        return [row[i] for row in self.rows]


def normalise(name: str) -> str:
    """A column name folded for matching: lowercase, runs of spaces/underscores/hyphens as one space."""
    return re.sub(r"[\s_\-]+", " ", name.casefold()).strip()


def parse_text(text: str) -> Table:
    """A table from CSV, JSON or Markdown pipe-table text (JSON when it starts with `[` or `{`, a pipe table
    when it starts with a `|` row)."""
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise ToolError("the table is empty: no header and no rows")
    if stripped[0] in "[{":
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ToolError(f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
        return from_json(value)
    if is_pipe_table(stripped):
        header, *body = pipe_rows(stripped)
        return build(header, _even_rows(len(header), body))
    return parse_csv(stripped)


def detect_delimiter(header_line: str) -> str:
    """Comma unless the header line holds more tabs or semicolons than commas."""
    commas, semis, tabs = header_line.count(","), header_line.count(";"), header_line.count("\t")
    if tabs and tabs >= commas:
        return "\t"
    if semis > commas:
        return ";"
    return ","


def parse_csv(text: str) -> Table:
    """A table from CSV text whose first non-blank line is the header."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        raise ToolError("the table is empty: no header and no rows")
    delimiter = detect_delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(records) > MAX_ROWS:
                raise ToolError(f"the table has more than {MAX_ROWS} rows, over this agent's limit")
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        raise ToolError(f"malformed CSV at line {reader.line_num}: {exc}") from None
    if not records:
        raise ToolError("the table is empty: no header and no rows")
    header, *body = records
    return build(header, _even_rows(len(header), body))


def _even_rows(width: int, body: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Rows padded or trimmed to `width`; raises `ToolError` when too many rows are ragged."""
    ragged: list[int] = []
    rows: list[list[str]] = []
    for number, row in enumerate(body, 2):
        while len(row) > width and not row[-1]:
            row = row[:-1]  # trailing empty fields are a common export artefact, not a ragged row
        if len(row) != width:
            ragged.append(number)
        rows.append((row + [""] * width)[:width])
    if len(ragged) > RAGGED_TOLERANCE * len(body):
        raise ToolError(
            f"malformed CSV: {len(ragged)} of {len(body)} data rows do not have the header's {width} fields"
            f" (first at line {ragged[0]}); check the delimiter and quoting"
        )
    notes = [f"{len(ragged)} ragged row(s) padded or cut to {width} fields (rows {_rows(ragged)})"] if ragged else []
    return rows, notes


def _rows(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    return shown + (", ..." if len(numbers) > 5 else "")


def from_json(value: JsonValue) -> Table:
    """A table from a JSON value: a list of objects, a list of lists (first is the header), `{columns, rows}`,
    or an object with a single list value (e.g. `{"items": [...]}`)."""
    if isinstance(value, dict):
        if isinstance(value.get("rows"), list):
            columns = value.get("columns")
            rows = value["rows"]
            assert isinstance(rows, list)  # checked above; narrows the type for mypy
            if isinstance(columns, list) and rows and all(isinstance(r, list) for r in rows):
                return from_json([columns, *rows])
            return from_json(rows)
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return from_json(lists[0])
        raise ToolError("JSON table must be a list of objects, a list of lists or {columns, rows}")
    if not isinstance(value, list) or not value:
        raise ToolError("the table is empty: the JSON holds no rows")
    if all(isinstance(item, dict) for item in value):
        objects = [item for item in value if isinstance(item, dict)]
        header = list(dict.fromkeys(key for item in objects for key in item))
        return build(header, ([[_cell_text(item.get(k)) for k in header] for item in objects], []))
    if all(isinstance(item, list) for item in value):
        head, *body = [[_cell_text(c) for c in item] for item in value if isinstance(item, list)]
        return build(head, _even_rows(len(head), body))
    raise ToolError("JSON table rows must all be objects or all be lists")


def _cell_text(value: JsonValue) -> str:
    """A JSON cell as text, so JSON and CSV share one type inference (integral floats read as ints)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def from_material(material: Material) -> Table:
    """A table from one attached material (data part, file bytes or text)."""
    if material.data is not None:
        return from_json(material.data)
    if material.content is not None:
        try:
            text = material.content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ToolError(f"{material.source}: the file is not UTF-8 text") from None
        if "json" in material.media_type or material.filename.lower().endswith(".json"):
            return parse_text(text if text.strip()[:1] in ("[", "{") else "[" + text + "]")
        return parse_text(text) if is_pipe_table(text) else parse_csv(text)
    return parse_text(material.text or "")


def build(header: list[str], body: tuple[list[list[str]], list[str]]) -> Table:
    """Typed table from a header and text rows; enforces the size caps and names every column uniquely."""
    rows, notes = body
    if len(header) > MAX_COLUMNS:
        raise ToolError(f"the table has {len(header)} columns, over this agent's limit of {MAX_COLUMNS}")
    if len(rows) > MAX_ROWS:
        raise ToolError(f"the table has {len(rows)} rows, over this agent's limit of {MAX_ROWS}")
    if not rows:
        raise ToolError("the table is empty: it has a header but no data rows")
    columns = _unique_names(header)
    types: list[ColumnType] = []
    cells: list[list[Cell]] = []
    for i in range(len(columns)):
        kind, values = infer([row[i] for row in rows])
        types.append(kind)
        cells.append(values)
    typed_rows = tuple(tuple(col[r] for col in cells) for r in range(len(rows)))
    return Table(tuple(columns), tuple(types), typed_rows, tuple(notes))


def _unique_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, raw in enumerate(header, 1):
        name = raw.strip() or f"column_{i}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def infer(texts: list[str]) -> tuple[ColumnType, list[Cell]]:
    """The narrowest type that fits every non-missing value, and the values converted to it."""
    present = [t for t in texts if t.casefold() not in MISSING]
    kind: ColumnType = "string"
    if present and all(t.casefold() in BOOLS for t in present):
        kind = "bool"
    elif present and all(_INT.fullmatch(t) for t in present):
        kind = "int"
    elif present and all(_FLOAT.fullmatch(t) and math.isfinite(float(t)) for t in present):
        kind = "float"
    elif present and all(_FLOAT.fullmatch(t) or _FORMATTED.fullmatch(t.strip()) for t in present):
        kind = "float"  # "1,152.00" and "875.00" in one column of money
    elif present and all(_DATE.fullmatch(t) or _DATETIME.fullmatch(t) for t in present):
        dates = _dates(present)
        if dates is not None:
            lookup = dict(zip(present, dates, strict=True))
            return "date", [lookup.get(t) for t in texts]
    return kind, [None if t.casefold() in MISSING else convert(t, kind) for t in texts]


def _dates(texts: list[str]) -> list[date] | list[datetime] | None:
    """ISO dates, or date-times when any value has a time (all naive or all aware); None if they don't mix."""
    try:
        if all(_DATE.fullmatch(t) for t in texts):
            return [date.fromisoformat(t) for t in texts]
        stamps = [datetime.fromisoformat(t) for t in texts]
    except ValueError:
        return None
    if len({s.tzinfo is None for s in stamps}) > 1:
        return None
    return stamps


def convert(text: str, kind: ColumnType) -> Cell:
    """One text value as `kind`; raises `ToolError` when it does not fit (used for filter values too)."""
    try:
        if kind == "bool":
            return BOOLS[text.strip().casefold()]
        if kind == "int":
            return int(text)
        if kind == "float":
            formatted = _FORMATTED.fullmatch(text.strip())
            return float(formatted["sign"] + formatted["digits"].replace(",", "")) if formatted else float(text)
        if kind == "date":
            stripped = text.strip()
            return date.fromisoformat(stripped) if _DATE.fullmatch(stripped) else datetime.fromisoformat(stripped)
    except (KeyError, ValueError):
        raise ToolError(f"{text!r} is not a valid {kind} value") from None
    return text
