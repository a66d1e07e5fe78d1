"""Typos in the words a calculation is read by ("sqaure root of 2025", "avergae", "kilomters"), corrected before
the request is read: a word of four letters or more that is not English (pyspellchecker's bundled list, loaded
once, offline) becomes the one word one edit away that names an operation, a statistic or a unit. Anything
else is left as written, so names and the caller's own words are never changed.
"""

from __future__ import annotations

import re
from functools import cache

from spellchecker import SpellChecker

from .units import find_unit_or_none

OPERATION_WORDS = frozenset(
    """square root cube cubed squared average mean median mode range minimum maximum percent percentage divide
    divided multiply multiplied minus plus times power total product difference deviation standard variance
    convert conversion calculate compute evaluate subtract double triple half quarter dozen round nearest""".split()
)
_WORD = re.compile(r"(?<![\w'-])[a-z]{4,}(?![\w'-])", re.I)


@cache
def _checker() -> SpellChecker:
    return SpellChecker(distance=1)


def _ours(word: str) -> bool:
    return word in OPERATION_WORDS or find_unit_or_none(word) is not None


def corrected(text: str) -> str:
    """`text` with its typos of operation, statistic and unit words corrected (see the module docstring)."""
    checker = _checker()

    def fixed(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in checker or _ours(lowered):
            return word
        candidates = {c for c in checker.candidates(lowered) or () if _ours(c)}
        return candidates.pop() if len(candidates) == 1 else word

    return _WORD.sub(fixed, text)
