"""Typos in the words that decide a route ("sqaure root of 2025", "the avergae of", "sumarize this"), corrected
toward the words the roster's cards and the planner's lexicon use.

Short forms typed on a phone are written out first ("hw many kg" -> "how many kg", "4 ppl" -> "4 people",
"tmrw" -> "tomorrow", "avg" -> "average"): only whole words, only the ones listed in `TEXT_SPEAK`.

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


TEXT_SPEAK = {
    "wat": "what",
    "wht": "what",
    "wats": "whats",
    "r": "are",
    "u": "you",
    "ur": "your",
    "ppl": "people",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tmw": "tomorrow",
    "2moro": "tomorrow",
    "tonite": "tonight",
    "avg": "average",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "b4": "before",
    "abt": "about",
    "bc": "because",
    "cuz": "because",
    "w/": "with",
    "w/o": "without",
    "msg": "message",
    "approx": "approximately",
    "mins": "minutes",
    "secs": "seconds",
    "hrs": "hours",
    "yrs": "years",
    "wks": "weeks",
    "mths": "months",
}
_SHORT_FORM = re.compile(
    r"(?<![\w'/-])(?:" + "|".join(sorted(map(re.escape, TEXT_SPEAK), key=len, reverse=True)) + r")(?![\w'/-])", re.I
)


# "hw many", "hw much" ("hw question 4" is homework)
_HW = re.compile(r"(?<![\w'/-])hw(?=\s+(?:many|much|long|far|often|big|do|does|did|is|are|can|would|to)\b)", re.I)


def written_out(text: str) -> str:
    """`text` with the short forms of `TEXT_SPEAK` written out ("hw many ppl" -> "how many people")."""
    text = _HW.sub("how", text)

    def out(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if len(word) == 1 and word.isupper() else TEXT_SPEAK[word.lower()]  # "the R value" stays

    return _SHORT_FORM.sub(out, text)


# everyday words of work the bundled list lacks, which are one edit from a word cards use ("intro" -> "into")
_EVERYDAY_WORDS = (
    "intro outro promo recap blurb lede standup offsite onboarding signup signups checkout webhook webhooks "
    "timesheet payroll newsletter"
).split()


@cache
def _checker() -> SpellChecker:
    checker = SpellChecker(distance=1)
    checker.word_frequency.load_words(_EVERYDAY_WORDS)
    return checker


class Speller:
    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary = frozenset(w.lower() for w in vocabulary)

    def correct(self, text: str) -> str:
        checker = _checker()

        def fixed(match: re.Match[str]) -> str:
            word = match.group(0)
            lowered = word.lower()
            if lowered in self._vocabulary or lowered in checker or match.string.startswith(":", match.end()):
                return word  # right, or a label ("Intro: ..."), which names what follows
            candidates = (checker.candidates(lowered) or set()) & self._vocabulary
            return next(iter(candidates)) if len(candidates) == 1 else word

        return _WORD.sub(fixed, written_out(text))
