"""Finding a table written inline in a free-text instruction, for the offline policy.

`split_inline_table` separates an instruction such as "Describe the columns of this CSV:\\nname,age\\nAda,36"
into the request ("Describe the columns of this CSV:") and the table text ("name,age\\nAda,36"). It looks
for a fenced block (```csv ... ```) holding a table first, then JSON (after a colon or at the start,
anything; elsewhere, only a value that reads as rows, so "[1]" in prose is not a table), then a Markdown
pipe table, then a CSV block: a header line of at least two short fields, alone or after the request on the
same line ("Which region sold the most? region,revenue"), followed by lines that use its delimiter. Nothing
is parsed for meaning here; `table.parse_text` validates the table later and reports what is wrong with it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass

from .markdown_table import is_pipe_table
from .table import detect_delimiter

_JSON_START = re.compile(r"(?:^|(?<=[:\s]))[ \t]*([\[{])")
_FENCE = re.compile(r"(?P<mark>```|~~~)[^\n]*\n(?P<body>.*?)(?:\n[ \t]*(?P=mark)|\Z)", re.DOTALL)
_LEAD_IN = re.compile(r"[:?!.]\s+")
_COMMAND = re.compile(
    r"^\s*(describe|group|show|filter|sort|order|list|find|compute|calculate|count|what|which|how|give|"
    r"return|top|sum|average|please|analy[sz]e|summari[sz]e|get|select|rank)\b",
    re.IGNORECASE,
)
MAX_HEADER_WORDS = 4


@dataclass(frozen=True)
class Split:
    request: str
    table: str | None


def split_inline_table(text: str) -> Split:
    """The request without its inline table, and the table text (None when there is none)."""
    return (
        _fenced_split(text)
        or _json_split(text)
        or _pipe_split(text)
        or _csv_split(text)
        or Split(request=text, table=None)
    )


def _fenced_split(text: str) -> Split | None:
    """A fenced block (```csv ... ```) holding a table: JSON, a pipe table or CSV with a header line."""
    for match in _FENCE.finditer(text):
        body = match["body"].strip()
        inner = _json_split(body) or _pipe_split(body) or _csv_split(body)
        if body and (inner is not None and not inner.request.strip()):
            request = "\n".join(x for x in (text[: match.start()].strip(), text[match.end() :].strip()) if x)
            return Split(request=request, table=body)
    return None


def _table_like(value: object) -> bool:
    """A JSON value that reads as rows: objects, lists, {"columns", "rows"} or one list of them in an object."""
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        return "rows" in value or (len(lists) == 1 and _table_like(lists[0]))
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict | list) for v in value)


def _json_split(text: str) -> Split | None:
    decoder = json.JSONDecoder()
    for match in _JSON_START.finditer(text):
        start = match.start(1)
        after_colon = text[:start].rstrip().endswith(":") or not text[:start].strip()
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            if after_colon:
                return Split(request=text[:start].strip(), table=text[start:].strip())  # malformed: tool says why
            continue
        if (after_colon and isinstance(value, list | dict) and value) or _table_like(value):
            return Split(request=(text[:start] + text[end:]).strip(), table=text[start:end])
    return None


def _pipe_split(text: str) -> Split | None:
    """The first Markdown pipe table: consecutive lines starting with `|` (and its delimiter row)."""
    lines = text.split("\n")
    for start, line in enumerate(lines):
        if line.strip().startswith("|") and is_pipe_table("\n".join(lines[start:])):
            end = start
            while end < len(lines) and lines[end].strip().startswith(("|", ":-", "-")):
                end += 1
            request = "\n".join(x for x in [*lines[:start], *lines[end:]] if x.strip()).strip()
            return Split(request=request, table="\n".join(lines[start:end]).strip())
    return None


def _fields(line: str, delimiter: str) -> list[str]:
    if delimiter not in line:
        return [line]
    return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])


def _header(line: str) -> tuple[str, str] | None:
    """(prefix, header text) when `line` could start a CSV table, else None."""
    prefix, rest = "", line
    lead_in = list(_LEAD_IN.finditer(line))
    if lead_in:  # "Top 3 products by price: product,price", "Which region sold the most? region,revenue"
        prefix, rest = line[: lead_in[-1].end()].strip(), line[lead_in[-1].end() :]
    rest = rest.strip()
    if not rest or rest[-1] in ":.?!" or (not prefix and _COMMAND.match(rest)):
        return None
    delimiter = detect_delimiter(rest)
    cells = _fields(rest, delimiter)
    if len(cells) < 2 or any(len(c.split()) > MAX_HEADER_WORDS for c in cells):
        return None
    return prefix, rest


def _csv_split(text: str) -> Split | None:
    """The first CSV block: a header-like line followed by lines that use its delimiter (ragged or not, so
    the parser can report malformed rows instead of the block going unnoticed)."""
    lines = text.split("\n")
    for start, line in enumerate(lines):
        head = _header(line)
        if head is None:
            continue
        prefix, header = head
        delimiter = detect_delimiter(header)
        end = start + 1
        while end < len(lines) and lines[end].strip() and delimiter in lines[end]:
            end += 1
        if end > start + 1:
            request_lines = [*lines[:start], prefix, *lines[end:]]
            table = "\n".join([header, *lines[start + 1 : end]])
            return Split(request="\n".join(x for x in request_lines if x.strip()).strip(), table=table)
    return None
