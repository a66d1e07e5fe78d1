"""Finding a table written inline in a free-text instruction, for the offline policy.

`split_inline_table` separates an instruction such as "Describe the columns of this CSV:\\nname,age\\nAda,36"
into the request ("Describe the columns of this CSV:") and the table text ("name,age\\nAda,36"). It looks
for JSON first (a list or object starting a line or following a colon), then for a CSV block: a header line
of at least two short fields followed by lines that use its delimiter. Nothing is parsed for meaning
here; `table.parse_text` validates the table later and reports what is wrong with it.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass

from .table import detect_delimiter

_JSON_START = re.compile(r"(?:^|(?<=:)|(?<=\n))[ \t]*([\[{])")
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
    return _json_split(text) or _csv_split(text) or Split(request=text, table=None)


def _json_split(text: str) -> Split | None:
    decoder = json.JSONDecoder()
    for match in _JSON_START.finditer(text):
        start = match.start(1)
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            if text[:start].rstrip().endswith(":"):
                return Split(request=text[:start].strip(), table=text[start:].strip())  # malformed: tool says why
            continue
        if isinstance(value, list | dict) and value:
            return Split(request=(text[:start] + text[end:]).strip(), table=text[start:end])
    return None


def _fields(line: str, delimiter: str) -> list[str]:
    if delimiter not in line:
        return [line]
    return next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])


def _header(line: str) -> tuple[str, str] | None:
    """(prefix, header text) when `line` could start a CSV table, else None."""
    prefix, rest = "", line
    if ": " in line:
        prefix, rest = line.split(": ", 1)
        prefix += ":"
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
