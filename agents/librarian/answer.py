"""Extractive answers: the sentences of the best passages that answer a question, best first, each cited.

Contract of `compose_answer(question, hits, weight)`: a list of `(rank, sentence)` picks, the answer sentence
first (for "what is X", a sentence defining X from a passage scoring at least `DEFINITION_SHARE` of the best;
else the sentence of the best passage, when it has one sharing a word with the question, that carries the
most of the question's weight, `weight` being a term's inverse document
frequency, scaled by its passage's score relative to the best passage), then up to `SUPPORTING` sentences that
carry at least half as much, in rank and reading order.
Sentences come verbatim from passages scoring at least `RELATIVE_CUTOFF` of the best one; code, headings and
table rows are never picked. The caller's own words weigh twice what `phrasing.expand` added for them, and
for "what is X" questions a sentence that opens by defining X ("Prompt injection is an attack ...",
"`input-required`: the agent paused ...") is preferred.
With no sentence sharing a word with the question, the best passage's first sentence answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .index import Hit
from .phrasing import expand
from .text import sentences, tokens

RELATIVE_CUTOFF = 0.35  # passages scoring below this share of the best one do not feed the answer
SUPPORTING = 2  # sentences after the answer sentence
DEFINITION_BONUS = 0.5  # share of a sentence's weight added when it opens with the subject asked about
DEFINITION_SHARE = 0.6  # a defining sentence may answer from a passage scoring this share of the best one
_SUBJECT = re.compile(
    r"^\s*(?:what|who)(?:'s|\s+is|\s+are|\s+does|\s+do)\s+(?:an?\s+|the\s+)?(?P<x>.+?)"
    r"(?:\s+(?:mean|stand for|for|do|used for))?\s*\??\s*$",
    re.IGNORECASE,
)


def _weights(question: str, weight: Callable[[str], float]) -> dict[str, float]:
    own = set(tokens(question))
    return {t: weight(t) * (2.0 if t in own else 1.0) for t in set(tokens(expand(question)))}


def definition_pattern(subject: str) -> re.Pattern[str] | None:
    """A sentence that defines `subject` or the head of it: "Prompt injection is ...", "`rejected`: the agent
    ...", "An agent card is ..." (each shorter prefix of the subject's words is tried too)."""
    words = re.findall(r"[\w-]+", subject)
    words = [w for w in words if w.lower() not in ("a", "an", "the")]
    if not words:
        return None
    heads = [r"[\W_]+".join(map(re.escape, words[:n])) for n in range(len(words), 0, -1)]
    return re.compile(
        r"^\W*(?:(?:an?|the)\s+)?(?:" + "|".join(heads) + r")(?:s|es)?\W*(?:is|are|was|means|refers to|describes|:)",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class _Candidate:
    score: float  # the question's weight it carries, scaled by its passage's share of the best score
    rank: int
    position: int
    text: str
    defines: bool  # opens by defining the subject of a "what is X" question
    share: float  # its passage's score relative to the best passage


def _candidates(question: str, hits: list[Hit], weight: Callable[[str], float]) -> list[_Candidate]:
    terms = _weights(question, weight)
    subject = _SUBJECT.match(question)
    defining = definition_pattern(subject["x"]) if subject else None
    found: list[_Candidate] = []
    for rank, hit in enumerate(hits, 1):
        share = hit.score / hits[0].score
        if share < RELATIVE_CUTOFF:
            break
        for position, sentence in enumerate(sentences(hit.passage.text)):
            if len(sentence.split()) < 3 or sentence.startswith(("```", "#", "|")):
                continue
            score = sum(terms.get(t, 0.0) for t in set(tokens(sentence))) * share
            defines = bool(defining and defining.match(sentence))
            if score:
                found.append(
                    _Candidate(score * (1 + DEFINITION_BONUS * defines), rank, position, sentence, defines, share)
                )
    return found


def compose_answer(question: str, hits: list[Hit], weight: Callable[[str], float]) -> list[tuple[int, str]]:
    """The cited answer sentences for `question` (see the module docstring)."""
    found = _candidates(question, hits, weight)
    if not found:
        return [(1, (sentences(hits[0].passage.text) or [hits[0].passage.text])[0])]
    defining = [c for c in found if c.defines and c.share >= DEFINITION_SHARE]
    pool = defining or [c for c in found if c.rank == 1] or found
    first = max(pool, key=lambda c: (c.score, -c.rank, -c.position))
    others = sorted(
        (c for c in found if c is not first and c.score >= first.score / 2 and c.text != first.text),
        key=lambda c: (-c.score, c.rank, c.position),
    )[:SUPPORTING]
    return [(c.rank, c.text) for c in [first, *sorted(others, key=lambda c: (c.rank, c.position))]]
