"""Sentence splitting and extractive scoring for the writer, stdlib only.

`split_sentences` turns plain text or light Markdown (headings, bullets, tables, emphasis, links) into clean
sentences: list items and table rows become units of their own, headings and fenced code are not sentences
(each sentence remembers the headings above it), abbreviations, initials and decimals do not end a sentence,
and repeated sentences are kept once. Only markup is removed: operators, underscores, backslashes and code
spans stay as written, so numbers and expressions survive exactly. `key_sentences` ranks them by how
much of the text's vocabulary they carry (plus small bonuses for figures, position and cue words) and returns
the best ones in their original order, so an extract reads in the author's sequence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from .markdown import strip_markup

ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr prof st jr sr inc ltd co corp no fig approx est dept a.m p.m u.s u.k cf al ".split()
)
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours one two per via us let""".split()
)
CUE_WORDS = frozenset(
    """conclusion overall result results therefore key important significant recommend recommends
    recommendation increase increased decrease decreased growth risk because found shows""".split()
)

_BOUNDARY = re.compile(r"([.!?…]+[\"')\]]*)\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^(```+|~~~+)")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HAS_FIGURE = re.compile(r"\d")
MIN_WORDS = 3


Heading = tuple[tuple[int, str], ...]  # the path of (level, title) headings above a sentence, outermost first


@dataclass(frozen=True)
class Scored:
    """One sentence with its position in the text, its score (higher is more informative) and the path of
    the source's own headings above it."""

    index: int
    text: str
    score: float
    heading: Heading = ()


def clean_inline(text: str) -> str:
    """Inline Markdown markup removed (links keep their text, emphasis loses its delimiters), whitespace
    collapsed; operators, underscores, backslashes and code spans are kept (see `markdown.strip_markup`)."""
    return strip_markup(text)


def _ends_with_abbreviation(chunk: str) -> bool:
    last = chunk.rsplit(None, 1)[-1] if chunk.strip() else ""
    token = last.rstrip(".").lower().lstrip("(\"'")
    if token in ABBREVIATIONS:
        return True
    return len(token) == 1 and token.isalpha()  # an initial such as "J." in "J. Smith"


def _split_paragraph(paragraph: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        candidate = paragraph[start : match.end(1)]
        if _ends_with_abbreviation(candidate):
            continue
        pieces.append(candidate.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


def _units(text: str) -> list[tuple[Heading, str]]:
    """Paragraphs, list items and table rows of `text`, each with the heading path above it; headings, table
    rules and fenced code are not units."""
    units: list[tuple[Heading, str]] = []
    paragraph: list[str] = []
    path: list[tuple[int, str]] = []
    fence = ""

    def flush() -> None:
        if paragraph:
            units.append((tuple(path), " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        opened = _FENCE.match(line)
        if fence or opened:
            flush()
            fence = "" if fence and line.startswith(fence) else fence or (opened.group(1) if opened else "")
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level = len(heading.group(1))
            path[:] = [(lv, t) for lv, t in path if lv < level] + [(level, clean_inline(heading.group(2)))]
        elif not line or _TABLE_RULE.match(line) or line.startswith(">"):
            flush()
            if line.startswith(">"):
                paragraph.append(line.lstrip("> "))
        elif line.startswith("|"):
            flush()
            units.append((tuple(path), ", ".join(c.strip() for c in line.strip("|").split("|") if c.strip())))
        elif _BULLET.match(line):
            flush()
            paragraph.append(_BULLET.sub("", line))
        else:
            paragraph.append(line)
    flush()
    return units


def sentences_with_headings(text: str) -> list[tuple[Heading, str]]:
    """The sentences of `text` in order, each with its heading path, markup removed, each kept once."""
    seen: set[str] = set()
    sentences: list[tuple[Heading, str]] = []
    for heading, unit in _units(text):
        for sentence in _split_paragraph(clean_inline(unit)):
            key = sentence.lower()
            if key not in seen:
                seen.add(key)
                sentences.append((heading, sentence))
    return sentences


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` in order, cleaned of Markdown markup (never of its characters), each kept once."""
    return [sentence for _, sentence in sentences_with_headings(text)]


def words(text: str) -> list[str]:
    """Lower-cased word tokens of `text` (numbers included)."""
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that carry meaning: no stopwords, no one-letter tokens."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def score_sentences(sentences: list[str], focus: str = "") -> list[Scored]:
    """Score each sentence by the document frequency of its content words, normalised by length.

    Bonuses: figures (+0.15), cue words (+0.1), the opening sentence (+0.1), overlap with `focus` words
    (e.g. a report title, +0.2 each, at most +0.4). Sentences under `MIN_WORDS` words score 0.
    """
    frequency = Counter(w for s in sentences for w in set(content_words(s)))
    top = max(frequency.values(), default=1)
    focus_words = set(content_words(focus))
    scored: list[Scored] = []
    for i, sentence in enumerate(sentences):
        terms = content_words(sentence)
        if len(words(sentence)) < MIN_WORDS or not terms:
            scored.append(Scored(i, sentence, 0.0))
            continue
        unique = set(terms)
        base = sum(frequency[w] / top for w in unique) / math.sqrt(len(unique))
        base += 0.15 if _HAS_FIGURE.search(sentence) else 0.0
        base += 0.1 if unique & CUE_WORDS else 0.0
        base += 0.1 if i == 0 else 0.0
        base += min(0.4, 0.2 * len(unique & focus_words))
        if len(terms) > 40:  # run-on sentences read badly in an extract
            base *= 0.7
        scored.append(Scored(i, sentence, round(base, 6)))
    return scored


def key_sentences(text: str, limit: int, focus: str = "") -> list[Scored]:
    """The `limit` most informative sentences of `text`, in their original order (ties keep the earlier); every
    sentence when there are no more than `limit`."""
    if limit <= 0:
        return []
    found = sentences_with_headings(text)
    scored = _without_restatements(score_sentences([sentence for _, sentence in found], focus))
    # when all of it fits, every point is kept, also one said once ("Holiday coverage"), but not a pleasantry
    fits = len(scored) <= limit
    scored = [s for s in scored if s.score > 0 or (fits and len(s.text.split()) >= 2 and not _COURTESY.match(s.text))]
    best = sorted(scored, key=lambda s: (-s.score, s.index))[:limit]
    return [replace(s, heading=found[s.index][0]) for s in sorted(best, key=lambda s: s.index)]


def _without_restatements(scored: list[Scored]) -> list[Scored]:
    """Sentences that only say again what an earlier one said ("Result: `18.50 * 27` = 499.5" after
    "18.50 * 27 = 499.5", a worker's details under its direct answer) are dropped."""
    kept: list[Scored] = []
    seen: list[set[str]] = []
    for sentence in scored:
        tokens = set(re.findall(r"[a-z]+|\d+(?:\.\d+)?", sentence.text.lower()))
        label = re.match(r"\W*([a-z ]{1,30}):", sentence.text.lower())
        said = tokens - set(label[1].split()) if label else tokens
        if said and any(said <= earlier for earlier in seen):
            continue
        kept.append(sentence)
        seen.append(tokens)
    return kept


_COURTESY = re.compile(r"\W*(?:thanks|thank you|cheers|regards|best|hi|hello|ok|okay|see you)\b", re.I)
_MATH_WORD = re.compile(r"[-+*/^=×÷%()\d.,]*\d[-+*/^=×÷%()\d.,]*|[-+*/^=×÷%]+")


def shorten(sentence: str, max_words: int) -> str:
    """`sentence` cut to about `max_words` words with an ellipsis when longer, final full stop dropped.

    The cut never falls inside a code span or an arithmetic expression ("1234 * 5678 = 7006652" is kept
    whole), so what is shown of a number or an expression is exactly what the source says.
    """
    parts = sentence.split()
    if len(parts) <= max_words:
        return sentence.rstrip(".")
    end = max_words
    while end < len(parts) and (
        " ".join(parts[:end]).count("`") % 2
        or (_MATH_WORD.fullmatch(parts[end - 1]) and _MATH_WORD.fullmatch(parts[end]))
    ):
        end += 1
    if end >= len(parts):
        return sentence.rstrip(".")
    return " ".join(parts[:end]).rstrip(",;:.") + " …"
