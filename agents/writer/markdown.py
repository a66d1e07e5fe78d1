"""Markdown safety for text the writer did not write: reading it without losing characters, and placing it
in a Markdown document so that it renders as written.

Contracts:
- `strip_markup(text)` removes the markup of inline Markdown that really is markup (links keep their text;
  `**bold**`, `*em*`, `__bold__`, `_em_` and `~~struck~~` lose their delimiters) and nothing else: an operator
  in `1234 * 5678` or `2**10`, an underscore inside `file_name_v2`, a backslash in `C:\\temp` and every code
  span stay exactly as they were.
- `inline(text)` returns `text` so that a CommonMark/GFM renderer shows the original characters: a word that a
  renderer would read as emphasis, an escape, strikethrough, HTML or a code-span boundary (`2*3*4`, `__init__`,
  `a\\*b`, `<br>`) is put in a code span, whose raw text is the word itself, so the characters survive both for
  a reader of the raw text and for one of the rendered page. Existing code spans are kept. Other text is
  returned unchanged.
- `line_start(text)` additionally escapes what would turn a line into a heading, list item, quote or rule.
- `cell(text)` is `inline` for a table cell: pipes escaped, line breaks removed.
- `demoted(level, top, base)` is the heading level for a source heading of `level`, when the source's
  highest heading is `top` and the document's section it sits in is at `base`: never above `base + 1`,
  never beyond 6.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CODE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
# Emphasis that is markup: the opening delimiter is followed by a non-space and preceded by start, space or
# punctuation; the closing one is preceded by a non-space and followed by end, space or punctuation.
_EMPHASIS = re.compile(
    r"(?<![\w*~])(?P<d>\*\*|__|\*|_|~~)(?=[^\s*_~])(?P<body>.+?)(?<=[^\s*_~])(?P=d)(?![\w*~])",
)
_RISKY = re.compile(r"[*_\\~<`]")
_EDGE = ".,;:!?)]}\"'"
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|>|\d{1,9}[.)](?:\s|$)|={3,}\s*$|-{3,}\s*$)")


def _outside_code(text: str, transform: Callable[[str], str]) -> str:
    """Apply `transform` to the parts of `text` outside code spans."""
    pieces: list[str] = []
    position = 0
    for match in _CODE.finditer(text):
        pieces.append(transform(text[position : match.start()]))
        pieces.append(match.group())
        position = match.end()
    pieces.append(transform(text[position:]))
    return "".join(pieces)


def _unemphasize(text: str) -> str:
    previous = None
    while previous != text:  # nested emphasis ("**an *important* point**") loses one layer per pass
        previous, text = text, _EMPHASIS.sub(lambda m: m["body"], text)
    return text


def strip_markup(text: str) -> str:
    """`text` without link syntax and emphasis delimiters, whitespace collapsed (see the module docstring)."""
    text = _LINK.sub(r"\1", text)
    return " ".join(_outside_code(text, _unemphasize).split())


def _risky(word: str) -> bool:
    """Whether a renderer could read `word` other than as written."""
    if not _RISKY.search(word):
        return False
    if "*" in word and word.strip("*"):
        return True  # "2*3", "**x": emphasis delimiters; a lone "*" between spaces is literal
    if "_" in word and re.search(r"(?:^|[^\w])_|_(?:$|[^\w])|__", word):
        return True  # "_x", "x_", "__init__"; "file_name_v2" is literal
    if "~" in word and not re.fullmatch(r"~[\d.,]+%?", word):
        return True  # strikethrough; "~5%" cannot close one, and any word that could is protected
    return bool(re.search(r"\\[!-/:-@\[-`{-~]|<[A-Za-z/!?]|`", word))


def _code_span(word: str) -> str:
    ticks = max((len(run) for run in re.findall(r"`+", word)), default=0)
    fence = "`" * (ticks + 1)
    padded = f" {word} " if word.startswith("`") or word.endswith("`") else word
    return f"{fence}{padded}{fence}"


def _protect_words(text: str) -> str:
    def protect(match: re.Match[str]) -> str:
        word = match.group()
        core = word.rstrip(_EDGE)
        lead = len(core) - len(core.lstrip("(["))
        core, tail = core[lead:], word[len(core) :]
        return word[:lead] + _code_span(core) + tail if core and _risky(core) else word

    return re.sub(r"\S+", protect, text)


def inline(text: str) -> str:
    """`text` placed safely inside a Markdown paragraph (see the module docstring)."""
    return _outside_code(text, _protect_words)


def line_start(text: str) -> str:
    """`inline(text)` for the start of a line: a leading `#`, list marker, `>` or rule is escaped."""
    text = inline(text)
    if _BLOCK_START.match(text):
        return "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def cell(text: str) -> str:
    """`text` for a Markdown table cell: `inline`, on one line, pipes escaped."""
    return inline(" ".join(text.split())).replace("|", "\\|")


def demoted(level: int, top: int, base: int) -> int:
    """The level of a source heading nested under a section at `base` (see the module docstring)."""
    return min(6, base + 1 + max(0, level - top))
