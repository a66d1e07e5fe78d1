"""Markdown safety for material the writer quotes: markup is read, characters are never lost."""

from __future__ import annotations

import re

import pytest

from agents.writer.markdown import cell, demoted, inline, line_start, strip_markup

CODE = re.compile(r"(`+)(.+?)\1")


def renders_as_written(markdown: str, shown: str) -> bool:
    """A conservative stand-in for a CommonMark renderer: outside code spans no `*`, `_` or `~` run can close
    emphasis or strikethrough (every such run follows a space, bar one `_` inside a word), and dropping the
    code-span delimiters gives `shown`."""
    outside = CODE.sub(" ", markdown)
    for run in re.finditer(r"[*_~]+", outside):
        before = outside[run.start() - 1] if run.start() else " "
        after = outside[run.end()] if run.end() < len(outside) else " "
        inside_word = run.group() == "_" and before.isalnum() and after.isalnum()
        if not before.isspace() and not inside_word:
            return False
    return CODE.sub(lambda m: m.group(2).strip(), markdown) == shown


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("**Result:** `17 * 23` = **391**", "Result: `17 * 23` = 391"),
        ("The calculator found that 1234 * 5678 = 7006652.", "The calculator found that 1234 * 5678 = 7006652."),
        ("Growth was 2**10 and 2*3*4.", "Growth was 2**10 and 2*3*4."),
        ("a *b* c and _d_ and file_name_v2", "a b c and d and file_name_v2"),
        ("an **important *nested* point**", "an important nested point"),
        ("C:\\temp\\x and a\\*b", "C:\\temp\\x and a\\*b"),
        ('see [the docs](http://x.test "t") now', "see the docs now"),
        ("~~gone~~ but ~5% kept", "gone but ~5% kept"),
        ("`a *b* c` stays", "`a *b* c` stays"),
    ],
)
def test_strip_markup_removes_markup_only(text: str, stripped: str) -> None:
    assert strip_markup(text) == stripped


@pytest.mark.parametrize(
    ("text", "placed", "shown"),
    [
        ("The result is 1234 * 5678 = 7006652.", "The result is 1234 * 5678 = 7006652.", None),
        ("Growth was 2**10 and 2*3*4.", "Growth was `2**10` and `2*3*4`.", None),
        ("(2*3), x_1 and file_name_v2", "(`2*3`), x_1 and file_name_v2", None),
        ("call __init__ or _private", "call `__init__` or `_private`", None),
        ("a\\*b but C:\\temp", "`a\\*b` but C:\\temp", None),
        ("see <br> and a < b", "see `<br>` and a < b", None),
        ("it`s odd", "``it`s`` odd", None),
        ("keep `x*y` as is", "keep `x*y` as is", "keep x*y as is"),
        ("~5% to ~7%", "~5% to ~7%", None),
        ("a~b~c", "`a~b~c`", None),
    ],
)
def test_inline_protects_what_a_renderer_would_misread(text: str, placed: str, shown: str | None) -> None:
    assert inline(text) == placed
    assert renders_as_written(placed, shown or text)


@pytest.mark.parametrize(
    ("text", "placed"),
    [
        ("# of users rose", "\\# of users rose"),
        ("- 5 degrees", "\\- 5 degrees"),
        ("1986. A good year", "1986\\. A good year"),
        ("> 50 people", "\\> 50 people"),
        ("#1 priority", "#1 priority"),
        ("12 * 3 = 36", "12 * 3 = 36"),
        ("-5 + 3 = -2", "-5 + 3 = -2"),
    ],
)
def test_line_start_escapes_block_markers(text: str, placed: str) -> None:
    assert line_start(text) == placed


def test_cell_escapes_pipes_and_protects_operators() -> None:
    assert cell("a|b 2*3\nnext") == "a\\|b `2*3` next"


@pytest.mark.parametrize(("level", "top", "base", "expected"), [(1, 1, 2, 3), (2, 1, 2, 4), (2, 2, 2, 3), (6, 1, 2, 6)])
def test_demoted(level: int, top: int, base: int, expected: int) -> None:
    assert demoted(level, top, base) == expected
