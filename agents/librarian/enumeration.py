"""Questions that ask for a list ("what states can a task be in?", "which kinds of parts are there?", "list
the task states") are answered with the list the library gives, not with one sentence near it.

Contract: `asked_for(question)` is the stemmed plural noun the question asks to enumerate, or None.
`listing(noun, hits)` finds, among passages scoring at least `LIST_SHARE` of the best one, the best passage
whose text before a list of at least `MIN_ITEMS` items (or, with no text before it, its heading) names the
noun, and returns its rank (1-based, into
`hits`) and one answer sentence: the lead-in followed by each item's term (the words before its colon) or, for
items without one, the item's first clause (at most 12 words).
"""

from __future__ import annotations

import re

from .index import Hit
from .text import stem, tokens

LIST_SHARE = 0.3  # a list passage may answer when it scores this share of the best passage
MIN_ITEMS = 3
_ASKED = re.compile(
    r"^\s*(?:(?:what|which)\s+(?:are\s+|were\s+)?(?:all\s+)?(?:the\s+)?(?:different\s+|possible\s+|main\s+|"
    r"available\s+)?(?:kinds?\s+of\s+|types?\s+of\s+|sorts?\s+of\s+)?|(?:list|name|enumerate)\s+(?:all\s+)?(?:of\s+)?"
    r"(?:the\s+)?(?:different\s+|possible\s+)?)(?:[a-z0-9-]+\s+)?(?P<noun>[a-z-]{3,}s)\b",
    re.IGNORECASE,
)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<item>.+)$")
_TERM = re.compile(r"^\W*(?P<term>[^:.;]{1,40}?)\W*\s*:\s")


_FILTER = re.compile(r"^\s*which\b.*?\b(?:is|are|was|were|count|counts)\b\s+\w+", re.IGNORECASE)


def asked_for(question: str) -> str | None:
    found = _ASKED.match(question)
    if found is None or found["noun"].lower() in ("is", "does", "was", "has", "this", "its"):
        return None
    if _FILTER.match(question):
        return None  # "which states are terminal?" asks for some of them, not the list
    return stem(found["noun"].lower())


def _items(text: str) -> tuple[str, list[str]]:
    """The text before the passage's first list, and that list's items (continuation lines joined)."""
    lead: list[str] = []
    items: list[str] = []
    for line in text.splitlines():
        item = _ITEM.match(line)
        if item:
            items.append(item["item"].strip())
        elif items and line.startswith((" ", "\t")) and line.strip():
            items[-1] += " " + line.strip()
        elif items:
            break
        else:
            lead.append(line.strip())
    return " ".join(x for x in lead if x), items


def _term(item: str) -> str:
    found = _TERM.match(item)
    if found:
        return found["term"].strip("`*_ ")
    words = re.split(r"[,:;(]|\.\s", item, maxsplit=1)[0].rstrip(" .").split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def listing(noun: str, hits: list[Hit]) -> tuple[int, str] | None:
    """The list that answers an enumeration question about `noun` (see the module docstring)."""
    if not hits:
        return None
    for rank, hit in enumerate(hits, 1):
        if hit.score < LIST_SHARE * hits[0].score:
            break
        lead, items = _items(hit.passage.text)
        heading = hit.passage.heading.rsplit(" > ", 1)[-1]
        if len(items) < MIN_ITEMS or not (noun in tokens(lead) or (not lead and noun in tokens(heading))):
            continue
        sentence = lead.rstrip(" .:") if lead and len(lead) <= 200 else heading
        return rank, f"{sentence}: {', '.join(_term(i) for i in items)}."
    return None
