"""Planning: the `Planner` port, plan validation, explicit plans, and the offline planner.

A plan is a DAG of subtasks naming skills (never workers or URLs). Every plan, whoever made it, passes
`validate_plan`: known skills only, unique ids, known dependencies, acyclic, bounded size. The offline
planner lives in `offline_planner`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import PlanError
from .models import Plan, Subtask, Worker


class Goal(BaseModel):
    """What the caller asked for: the goal text and a description of each attachment."""

    model_config = ConfigDict(frozen=True)

    text: str
    attachments: tuple[str, ...] = ()  # "name (media type)" per attached part, in order


class Planner(Protocol):
    async def plan(self, goal: Goal, roster: Sequence[Worker], *, max_subtasks: int) -> Plan: ...


def known_skills(roster: Sequence[Worker]) -> set[str]:
    return {s.id for w in roster if w.available for s in w.skills}


def topological_order(plan: Plan) -> list[str]:
    """Subtask ids in an order where dependencies come first; raises `PlanError` on a cycle."""
    deps = {s.id: set(s.depends_on) for s in plan.subtasks}
    order: list[str] = []
    ready = [sid for sid, d in deps.items() if not d]
    while ready:
        sid = ready.pop(0)
        order.append(sid)
        for other, d in deps.items():
            if sid in d:
                d.discard(sid)
                if not d and other not in order and other not in ready:
                    ready.append(other)
    if len(order) != len(deps):
        stuck = sorted(set(deps) - set(order))
        raise PlanError([f"dependency cycle among {stuck}"])
    return order


def validate_plan(plan: Plan, skills: set[str], *, max_subtasks: int, attachments: int = 0) -> Plan:
    """Return `plan` if it is runnable here, else raise `PlanError` listing every problem."""
    problems: list[str] = []
    if not plan.subtasks and not plan.unserved:
        problems.append("the plan has no subtasks")
    if len(plan.subtasks) > max_subtasks:
        problems.append(f"{len(plan.subtasks)} subtasks, more than the limit of {max_subtasks}")
    ids = [s.id for s in plan.subtasks]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate subtask ids {dupes}")
    for s in plan.subtasks:
        if s.skill not in skills:
            problems.append(f"subtask {s.id!r}: unknown skill {s.skill!r} (known: {', '.join(sorted(skills))})")
        for d in s.depends_on:
            if d == s.id:
                problems.append(f"subtask {s.id!r} depends on itself")
            elif d not in ids:
                problems.append(f"subtask {s.id!r} depends on unknown subtask {d!r}")
        bad = [a for a in s.attachments if not 0 <= a < attachments]
        if bad:
            problems.append(f"subtask {s.id!r}: no attachments with indexes {bad}")
    if problems:
        raise PlanError(problems)
    topological_order(plan)
    return plan


def parse_plan(data: object, *, source: str) -> Plan:
    """A `Plan` from untrusted JSON (a caller's data part or a model's tool input); `PlanError` if malformed."""
    if isinstance(data, dict) and "plan" in data and isinstance(data["plan"], dict):
        data = data["plan"]
    if isinstance(data, dict):
        data = {**{k: v for k, v in data.items() if k not in ("usage", "constraints")}, "source": source}
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in exc.errors(include_url=False)
        ]
        raise PlanError(problems[:20]) from None


# -- the offline planner: see `offline_planner.py` ----------------------------------------------------


class PlanDocument(BaseModel):
    """The JSON schema a caller or a model uses to state a plan (what `parse_plan` accepts)."""

    subtasks: list[Subtask] = Field(min_length=1)
    rationale: str = ""
