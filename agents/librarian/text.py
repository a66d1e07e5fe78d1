"""Text processing for the librarian: tokenising with stopwords and light stemming, and sentence splitting.

The stemmer is deliberately light: it folds plurals, -ed/-ing, -ly, -ment/-ness and -ation/-ization endings
and a final "e", so "retries", "retried" and "retrying" all become "retry" and "messages" matches
"message". It is deterministic and needs no data files.
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can could did do does doing don't down during each either else few for from further
    had has have having he her here hers herself him himself his how i if in into is isn't it it's its itself
    just let's me more most my myself no nor not now of off on once only or other ought our ours ourselves out
    over own please same shall she should so some such tell than that that's the their theirs them themselves
    then there these they this those through to too under until up upon us very was we were what what's when
    where which while who whom why will with would you your yours yourself yourselves explain describe give show
    find list search look mean means meaning meant deal stuff thing things happen happens ok okay whats hows
    difference""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_VOWEL = re.compile(r"[aeiouy]")
_ITEM = re.compile(r"^(?:[-*+>]|\d+[.)])\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(`*\[])")


def stem(word: str) -> str:
    """A light suffix-stripping stem of a lowercase word (see the module docstring)."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ency", "ence", "ent"):  # "idempotency", "idempotence", "idempotent" share one stem
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)]
    for suffix, replacement in (("ization", "ize"), ("ation", "ate"), ("ment", ""), ("ness", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + replacement
            break
    for suffix in ("ing", "ied", "ed", "ly"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and _VOWEL.search(base):
            word = base + ("y" if suffix == "ied" else "")
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Stemmed tokens of `text`: lowercased words and numbers, stopwords dropped, apostrophes removed."""
    words = _WORD.findall(text.lower())
    return [stem(w.replace("'", "")) for w in words if w not in STOPWORDS and len(w) > 1]


def sentences(text: str) -> list[str]:
    """`text` split into sentences; wrapped lines are joined, and each list item starts a new sentence."""
    logical: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if _ITEM.match(stripped) or not logical:
            logical.append(_ITEM.sub("", stripped))
        else:
            logical[-1] += " " + stripped
    return [s.strip() for item in logical for s in _SENTENCE.split(item) if s.strip()]
