"""Scoring one goal's outcome against what a right answer needs (pure functions; see evals/README.md).

A goal is *fully right* when its final state is the expected one, its plan has a subtask of an acceptable skill
for every servable part (and no extra ones) with the dependencies the part needs, the result text contains
every expected fact, and every unservable part is named as not served. A *silent drop* is a goal that ended
`completed` while some part of it is neither a subtask nor named as unserved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?", re.I)


def _numbers(text: str) -> list[float]:
    found = []
    for raw in _NUMBER.findall(text):
        cleaned = raw.replace(",", "") if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw) else raw
        for piece in cleaned.split(","):
            try:
                found.append(float(piece))
            except ValueError:
                continue
    return found


def has_fact(text: str, fact: str) -> bool:
    """Numbers compare numerically (rounding tolerated), other facts case-insensitively as substrings."""
    if re.fullmatch(r"[-+]?\d[\d,]*(?:\.\d+)?", fact.strip()):
        want = float(fact.replace(",", ""))
        tolerance = max(0.011, abs(want) * 0.005)
        return any(abs(n - want) <= tolerance for n in _numbers(text))
    return " ".join(fact.lower().split()) in " ".join(text.lower().split())


@dataclass
class Outcome:
    """What the network did with one goal, as read from its final task."""

    state: str
    text: str
    subtasks: list[dict[str, Any]] = field(default_factory=list)
    unserved: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Score:
    state_ok: bool
    plan_ok: bool
    routed: int  # expected servable parts given a subtask of an acceptable skill
    parts: int
    facts_ok: bool
    unserved_named: int
    unserved_expected: int
    silent_drop: bool
    wrong_refusals: int  # servable parts reported as not served
    problems: list[str]

    @property
    def right(self) -> bool:
        return (
            self.state_ok
            and self.plan_ok
            and self.facts_ok
            and self.unserved_named == self.unserved_expected
            and not self.silent_drop
        )


def _named(unserved: list[dict[str, Any]], words: list[str]) -> bool:
    blob = " ".join(f"{u.get('text', '')} {u.get('reason', '')}" for u in unserved).lower()
    return any(w.lower() in blob for w in words)


def score(expect: dict[str, Any], outcome: Outcome) -> Score:
    problems: list[str] = []
    want_state = expect["state"].replace("-", "_")
    parts_: list[dict[str, Any]] = expect.get("parts", [])
    honest_refusal = (  # every servable part may honestly be reported as not understood, and all were
        outcome.state == "rejected" and bool(parts_) and all(p.get("ok_unserved") for p in parts_)
    )
    state_ok = outcome.state == want_state or honest_refusal
    if not state_ok:
        problems.append(f"state {outcome.state}, expected {want_state}")
    parts: list[dict[str, Any]] = expect.get("parts", [])
    taken: set[int] = set()
    assigned: dict[int, int] = {}
    wrong_refusals = 0
    for index, part in enumerate(parts):
        for k, sub in enumerate(outcome.subtasks):
            if k not in taken and sub.get("skill") in part["skills"]:
                taken.add(k)
                assigned[index] = k
                break
        else:
            if part.get("ok_unserved") and outcome.unserved:
                assigned[index] = -1
                continue
            problems.append(f"part {index} ({'/'.join(part['skills'])}) has no subtask")
            if outcome.unserved:
                wrong_refusals += 1
    routed = len([i for i, k in assigned.items() if k >= 0])
    honest = len([i for i, k in assigned.items() if k < 0])  # reported as not understood, which may be right
    plan_ok = len(assigned) == len(parts)
    extra = len(outcome.subtasks) - len(taken)
    if want_state == "input_required" and not parts:
        extra = 0  # the question may come from whichever worker the plan chose
    if extra > 0 and want_state != "rejected":
        plan_ok = False
        problems.append(
            f"{extra} extra subtask(s): {[s.get('skill') for i, s in enumerate(outcome.subtasks) if i not in taken]}"
        )
    elif extra > 0:
        plan_ok = False
        problems.append(f"served {extra} subtask(s) of a goal that nothing can serve")
    for index, part in enumerate(parts):
        k = assigned.get(index, -1)
        if k < 0:
            continue
        needs = {outcome.subtasks[assigned[a]]["id"] for a in part.get("after", []) if assigned.get(a, -1) >= 0}
        has = set(outcome.subtasks[k].get("depends_on", []))
        if not needs <= has:
            plan_ok = False
            problems.append(f"part {index} lacks dependencies {sorted(needs - has)}")
    facts_ok = True
    if want_state == "completed":
        for index, part in enumerate(parts):
            if assigned.get(index, -1) < 0:
                continue
            missing = [f for f in part.get("facts", []) if not has_fact(outcome.text, f)]
            if missing:
                facts_ok = False
                problems.append(f"part {index} facts missing: {missing}")
    wanted_unserved = expect.get("unserved", [])
    named = sum(1 for u in wanted_unserved if _named(outcome.unserved, u["words"]))
    if named < len(wanted_unserved):
        problems.append(f"{len(wanted_unserved) - named} unservable part(s) not named")
    lost = [
        i
        for i, part in enumerate(parts)
        if i not in assigned and not (part.get("facts") and all(has_fact(outcome.text, f) for f in part["facts"]))
    ]
    silent = outcome.state == "completed" and (named < len(wanted_unserved) or (bool(lost) and not outcome.unserved))
    if silent:
        problems.append("SILENT DROP: completed with a part neither served nor named")
    return Score(
        state_ok,
        plan_ok,
        routed,
        len(parts) - honest,
        facts_ok,
        named,
        len(wanted_unserved),
        silent,
        wrong_refusals,
        problems,
    )
