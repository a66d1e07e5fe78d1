"""English text basics: sentences, paragraphs, words, stopwords and a syllable heuristic.

Pure functions over strings; no models, no downloads. Good enough for extractive summaries, keyword
extraction and readability formulas, not for linguistics.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all almost also although always am among an and another any anyone
    anything are around as at be because been before being below between both but by can cannot could did do
    does doing done down during each either else enough etc even ever every few for from further get gets got
    had has have having he her here hers herself him himself his how however i if in into is it its itself
    just least less let like made make makes many may me might more most much must my myself neither no nor
    not now of off often on once one only onto or other others otherwise our ours ourselves out over own per
    perhaps quite rather really said same say says see seem seems several shall she should since so some
    something still such than that the their theirs them themselves then there therefore these they this
    those though through thus to too toward towards under until up upon us use used uses using very via was
    we well were what whatever when where whether which while who whom whose why will with within without
    would yet you your yours yourself yourselves s t d ll m re ve don doesn didn isn wasn aren weren won
    wouldn shouldn couldn""".split()
)

_ABBREVIATIONS = (
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sr",
    "jr",
    "st",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "inc",
    "ltd",
    "co",
    "corp",
    "fig",
    "no",
    "approx",
    "dept",
    "u.s",
    "a.m",
    "p.m",
)
_NEXT_START = r"(?=[\"'“‘(\[]?[A-Z0-9])"
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…][\"'”’)\]])|(?<=[.!?…]))\s+" + _NEXT_START)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*(?:-[A-Za-z0-9]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")


def split_paragraphs(text: str) -> list[str]:
    """Blocks of text separated by blank lines, stripped, empty ones dropped."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _units(paragraph: str) -> list[str]:
    """The paragraph's list items (markers dropped) and the text around them; wrapped lines are joined."""
    units: list[str] = []
    for line in paragraph.splitlines():
        if _ITEM.match(line) or not units:
            units.append(_ITEM.sub("", line))
        else:
            units[-1] += " " + line
    return units


def split_sentences(text: str) -> list[str]:
    """Sentences in order. A paragraph break or a list item ("- ", "1. ") also starts a new sentence."""
    sentences: list[str] = []
    for unit in (u for paragraph in split_paragraphs(text) for u in _units(paragraph)):
        pieces = _SENTENCE_END.split(" ".join(unit.split()))
        merged: list[str] = []
        for piece in pieces:
            if merged and _ends_with_abbreviation(merged[-1]):
                merged[-1] += " " + piece
            else:
                merged.append(piece)
        sentences.extend(s.strip() for s in merged if s.strip())
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(" ", 1)[-1].lower().rstrip(".")
    return sentence.endswith(".") and (last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()))


def words(text: str) -> list[str]:
    """Word tokens as written (letters, digits, inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def normalized_words(text: str) -> list[str]:
    """Lower-cased word tokens with curly apostrophes straightened."""
    return [w.lower().replace("’", "'") for w in words(text)]


def is_content_word(word: str) -> bool:
    """True for lower-cased words that carry meaning: not a stopword, not a number, at least 3 letters."""
    base = word.split("'", 1)[0]
    return len(base) >= 3 and base not in STOPWORDS and not base.replace("-", "").isdigit()


def syllables(word: str) -> int:
    """Estimated syllables of an English word (vowel groups, silent final e, '-le' endings); at least 1."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 1
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges", "xes")) and count > 1:
        count -= 1
    return max(1, count)
