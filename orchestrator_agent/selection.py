"""Selection by advertised skill: rank (worker, skill) candidates for a subtask. Pure functions.

Order of evidence: an exact skill id, then shared tags, then a lexical score of the brief against the skill's
name, description and examples. Candidates whose modes cannot carry text are excluded. Among equals, healthy
workers come before ones of unknown health, then less loaded ones (subtasks in flight), then the least recently
used (so equal replicas of a pool take turns instead of every tie going to one), then by URL (deterministic).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Sequence

from .models import Choice, Health, Skill, Worker

_WORD = re.compile(r"[a-z0-9]+|[+*/^%=]")  # operators count: "17 * 3" is evidence of arithmetic
_STOP = frozenset(
    "a an and are as at be by can do for from give how i in into is it its me of on or our please show "
    "some that the their them then these this those to up use using was we what when which with you your".split()
)
TEXT_MODES = ("text/plain", "text/markdown", "text/*", "*/*", "application/json")

EXACT_SCORE = 100.0
TAG_SCORE = 8.0


def stem(word: str) -> str:
    """A crude English stem; a final "e" and a doubled last consonant go too, so "profile" and "profiles",
    "table" and "tables", "cancel" and "cancellation" meet."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s", "ly"):
        if suffix == "ly" and word.endswith("ply"):
            break  # "multiply", "apply", "reply": no adverbs
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] in "bdglmnprt":
        return word[:-1]  # "cancelled" and "cancel", "planned" and "plan"
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


@functools.lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


def terms(text: str) -> list[str]:
    """Stemmed content words of `text` (cached: skill texts are scored again for every subtask)."""
    return list(_terms(text))


def lexical_score(query: str, skill: Skill) -> float:
    """Weighted overlap of the query's terms with the skill's id, name, tags, description and examples."""
    q = frozenset(_terms(query))
    if not q:
        return 0.0
    fields = _fields(skill.id, skill.name, skill.tags, skill.description, skill.examples)
    score = 0.0
    for weight, words in fields:
        score += weight * len(q & words)
    return score / math.sqrt(len(q))


@functools.lru_cache(maxsize=4096)
def _fields(
    skill_id: str, name: str, tags: tuple[str, ...], description: str, examples: tuple[str, ...]
) -> tuple[tuple[float, frozenset[str]], ...]:
    """A skill's weighted term sets, computed once per skill (every subtask and planning step scores every
    skill of the roster against its text)."""
    return (
        (3.0, frozenset(terms(skill_id.replace("_", " ")) + terms(name))),
        (2.0, frozenset(stem(t) for tag in tags for t in terms(tag))),
        (1.0, frozenset(terms(description))),
        (0.5, frozenset(t for e in examples for t in terms(e))),
    )


def modes_fit(skill: Skill) -> bool:
    """Whether the skill takes a plain-text brief and gives back text or data (what every subtask needs)."""
    takes_text = not skill.input_modes or any(m in ("text/plain", "text/*", "*/*") for m in skill.input_modes)
    gives_back = not skill.output_modes or any(m in TEXT_MODES or m.startswith("text/") for m in skill.output_modes)
    return takes_text and gives_back


def _tiebreak(worker: Worker) -> tuple[int, int, int, str]:
    health_rank = {Health.HEALTHY: 0, Health.UNKNOWN: 1, Health.UNHEALTHY: 2}[worker.health]
    return (health_rank, worker.load, worker.last_used, worker.url)


def rank(
    skill_id: str, brief: str, workers: Iterable[Worker], *, tags: Sequence[str] = (), only_exact: bool = False
) -> list[Choice]:
    """Every usable (worker, skill) pair for a subtask, best first, each with the reason for its score;
    with `only_exact`, only the pairs whose skill id is `skill_id` (the same order as filtering the full list)."""
    scored: list[tuple[float, tuple[int, int, int, str], Choice]] = []
    wanted_tags = {t.lower() for t in tags}
    for worker in workers:
        if not worker.available:
            continue
        for skill in worker.skills:
            if (only_exact and skill.id != skill_id) or not modes_fit(skill):
                continue
            reasons = []
            score = 0.0
            if skill.id == skill_id:
                score += EXACT_SCORE
                reasons.append(f"exact skill id {skill_id!r}")
            shared = wanted_tags & {t.lower() for t in skill.tags}
            if shared:
                score += TAG_SCORE * len(shared)
                reasons.append(f"tags {sorted(shared)}")
            lexical = lexical_score(brief, skill)
            if lexical > 0:
                score += lexical
                reasons.append(f"lexical {lexical:.2f}")
            if score <= 0:
                continue
            pool = f", replica of {worker.pool!r} ({worker.replicas})" if worker.replicas > 1 else ""
            reasons.append(f"{worker.health.value}, load {worker.load}{pool}")
            choice = Choice(
                worker_url=worker.url,
                worker_name=worker.name,
                skill_id=skill.id,
                score=round(score, 3),
                reason="; ".join(reasons),
            )
            scored.append((score, _tiebreak(worker), choice))
    scored.sort(key=lambda item: (-round(item[0], 6), item[1]))
    return [choice for _, _, choice in scored]


def candidates_for(skill_id: str, brief: str, workers: Iterable[Worker]) -> list[Choice]:
    """Candidates that offer exactly `skill_id` (how plans are executed: a plan names skills, not workers)."""
    return rank(skill_id, brief, workers, only_exact=True)
