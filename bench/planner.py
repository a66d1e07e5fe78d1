"""Planner figure: offline planning plus skill ranking for every subtask, over a roster of 200 skills."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.cards import WORDS
from bench.common import row
from orchestrator_agent.models import Health, Skill, Worker
from orchestrator_agent.offline_planner import OfflinePlanner
from orchestrator_agent.planning import Goal
from orchestrator_agent.selection import candidates_for

GOALS = (
    "Sum the quarterly figures of flavour 3. Then chart the result.",
    "Translate the summary into French, search the archive for similar reports, and classify them.",
    "Forecast next month's demand of flavour 5. Extract the outliers. Then plan the restock from these results.",
)


def roster(skills: int = 200, per_worker: int = 10) -> list[Worker]:
    """`skills` distinct skills spread over workers of `per_worker` skills each (healthy, with a card)."""
    workers = []
    for w in range(skills // per_worker):
        offered = tuple(
            Skill(
                id=f"{WORDS[(w + k) % len(WORDS)]}_{w}_{k}",
                name=f"{WORDS[(w + k) % len(WORDS)].title()} {w}.{k}",
                description=f"{WORDS[(w + k) % len(WORDS)].title()}s inputs of flavour {k}; reports what it found.",
                tags=(WORDS[(w + k) % len(WORDS)], f"flavour{k}"),
                input_modes=("text/plain",),
                output_modes=("text/plain",),
            )
            for k in range(per_worker)
        )
        workers.append(
            Worker(url=f"http://10.0.0.{w}:8000", name=f"w{w}", skills=offered, health=Health.HEALTHY, has_card=True)
        )
    return workers


async def plan_and_rank(planner: OfflinePlanner, goal: Goal, workers: list[Worker]) -> int:
    plan = await planner.plan(goal, workers, max_subtasks=16)
    return sum(len(candidates_for(s.skill, s.brief, workers)) for s in plan.subtasks)


async def figures(quick: bool) -> list[dict[str, Any]]:
    workers = roster()
    planner = OfflinePlanner()
    goals = [Goal(text=g) for g in GOALS]
    times, candidates = [], 0
    for i in range(60 if quick else 300):
        t0 = time.perf_counter()
        candidates += await plan_and_rank(planner, goals[i % len(goals)], workers)
        times.append(time.perf_counter() - t0)
    times = times[len(goals) :]  # the first round warms caches
    p50 = statistics.median(times)
    skills = sum(len(w.skills) for w in workers)
    return [
        row(
            "planner_ms_per_goal",
            p50 * 1e3,
            5.0,
            f"offline plan + ranking of each subtask over {skills} skills on {len(workers)} workers: p50 "
            f"{p50 * 1e3:.2f} ms, max {max(times) * 1e3:.2f} ms ({len(times)} goals of 2-3 steps)",
        )
    ]
