"""Markdown pipe tables (GitHub style), read into a header and rows of cell text.

`is_pipe_table(text)` says whether `text` starts with one: a line that begins with `|` followed by a delimiter
row (`|---|:--:|`) or by another `|` line. `pipe_rows(text)` returns its rows, the header first, delimiter
rows dropped, cells stripped and `\\|` read as a literal pipe. Nothing is typed here: `table.build` does that.
"""

from __future__ import annotations

import re

_DELIMITER_ROW = re.compile(r"^\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def is_pipe_table(text: str) -> bool:
    """Whether `text` begins with a Markdown pipe table of a header and at least one more row."""
    lines = _lines(text)
    return len(lines) >= 2 and lines[0].startswith("|") and lines[1].startswith(("|", ":", "-"))


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def pipe_rows(text: str) -> list[list[str]]:
    """The rows of the pipe table at the start of `text` (see the module docstring)."""
    rows: list[list[str]] = []
    for line in _lines(text):
        if not line.startswith("|") and not _DELIMITER_ROW.match(line):
            break
        if not _DELIMITER_ROW.match(line):
            rows.append(_cells(line))
    return rows
