"""Typos in the words that decide a route ("sqaure root of 2025", "the avergae of", "sumarize this"), corrected
toward the words the roster's cards and the planner's lexicon use.

`Speller(vocabulary).correct(text)` replaces each word of four letters or more that is not English (by
pyspellchecker's bundled frequency list, loaded once, offline) with the one English word one edit away from it
that `vocabulary` holds; a word with no such candidate, or with several, is left as written. Names, codes and
words the caller spelled right are never touched, and nothing is corrected toward a word the roster does not
use, so a typo can only be read as a capability the network advertises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spellchecker import SpellChecker

_WORD = re.compile(r"(?<![\w'-])[a-z]{4,}(?![\w'-])", re.I)


@cache
def _checker() -> SpellChecker:
    return SpellChecker(distance=1)


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary = frozenset(w.lower() for w in vocabulary)

    def correct(self, text: str) -> str:
        checker = _checker()

        def fixed(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if lowered in self._vocabulary or lowered in checker:
                return word
            candidates = (checker.candidates(lowered) or set()) & self._vocabulary
            return next(iter(candidates)) if len(candidates) == 1 else word

        return _WORD.sub(fixed, text)
