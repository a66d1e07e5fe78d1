"""Synthesis: one result for people (text) and one for programs (the manifest), with provenance.

`OfflineSynthesizer` merges the subtasks' outputs in plan order under headings that name the skill and the
worker. `ClaudeSynthesizer` (in `claude_planning`) writes the text from the same material, fenced as data.
The manifest is the same either way: per subtask its skill, worker, remote task id, state, attempts, timing,
token use, estimated cost and why the worker was chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from agents.runtime.messages import Usage

from .budget import Prices, add_costs, cost_usd
from .models import Plan, SubtaskResult, SubtaskState


class Synthesizer(Protocol):
    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]: ...


def manifest(
    goal_id: str,
    plan: Plan,
    results: Sequence[SubtaskResult],
    *,
    state: str,
    usage: Usage,
    synthesis_usage: Usage,
    duration_s: float,
    prices: Prices,
    model: str,
) -> dict[str, Any]:
    """The manifest; costs are estimates from `prices`, for a subtask on the model its worker reported (else
    `model`, the orchestrator's, which also priced planning and synthesis); null where a model has no price."""
    by_id = plan.by_id()
    total = sum((r.usage for r in results), Usage()) + usage + synthesis_usage
    costs = [cost_usd(r.usage, r.model or model, prices) for r in results]
    return {
        "goal_id": goal_id,
        "state": state,
        "plan_source": plan.source,
        "duration_s": round(duration_s, 3),
        "usage": total.model_dump(),
        "cost_usd": add_costs(cost_usd(usage + synthesis_usage, model, prices), *costs),
        "subtasks": [
            {
                "id": r.subtask_id,
                "skill": r.skill,
                "depends_on": list(by_id[r.subtask_id].depends_on),
                "state": r.state.value,
                "worker": r.worker_name,
                "worker_url": r.worker_url,
                "remote_task_id": r.remote_task_id,
                "attempts": [a.model_dump(mode="json") for a in r.attempts],
                "duration_s": round(r.duration_s, 3),
                "usage": r.usage.model_dump(),
                "model": r.model or model,
                "cost_usd": cost,
                "selected_because": r.choice_reason,
                "reason": r.reason,
            }
            for r, cost in zip(results, costs, strict=True)
        ],
    }


def _provenance(r: SubtaskResult) -> str:
    where = f"{r.worker_name}, task {r.remote_task_id}" if r.worker_name else "no worker"
    return f"`{r.subtask_id}` · {r.skill} · {where}"


class OfflineSynthesizer:
    """A structured merge in plan order; each section says which subtask, skill and worker it came from."""

    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]:
        lines = [f"# {goal.strip().splitlines()[0][:120]}", ""]
        done = sum(r.state is SubtaskState.COMPLETED for r in results)
        lines.append(f"{done} of {len(results)} subtasks completed.")
        for r in results:
            brief = plan.by_id()[r.subtask_id].brief
            lines += ["", f"## {r.subtask_id}: {brief[:100]}", f"*Source: {_provenance(r)}*", ""]
            if r.state is SubtaskState.COMPLETED:
                lines.append(r.output.text.strip() or "(no text output; see the data parts)")
            else:
                lines.append(f"**{r.state.value}**: {r.reason}")
        return "\n".join(lines).strip() + "\n", Usage()


def failure_summary(results: Sequence[SubtaskResult]) -> str:
    bad = [r for r in results if r.state is not SubtaskState.COMPLETED]
    return "; ".join(f"{r.subtask_id} ({r.skill}) {r.state.value}: {r.reason}" for r in bad)
