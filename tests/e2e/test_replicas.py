"""Replicas of one worker form a pool: the orchestrator spreads a goal's subtasks over them by load, and goes on
when one of them is killed mid-goal.

Three replicas of the slow worker run as real processes, each with its own data directory, so each one's
`runs.log` says what that replica ran; the orchestrator runs in-process on a real socket."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from a2a.types import Task

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until
from tests.support.servers import served
from tests.support.slow_worker import replicas

pytestmark = pytest.mark.timeout(60)

SUBTASKS = 20
ENV = {"SWITCHBOARD_MAX_SUBTASKS": str(SUBTASKS), "SWITCHBOARD_MAX_CONCURRENCY": str(SUBTASKS)}


async def agents_of(orchestrator_url: str) -> list[dict[str, Any]]:
    """The orchestrator's roster (`GET /agents`)."""
    async with httpx.AsyncClient(timeout=5) as http:
        agents: list[dict[str, Any]] = (await http.get(f"{orchestrator_url}/agents")).json()["agents"]
    return agents


def twenty_subtasks() -> list[dict[str, object]]:
    return [{"id": f"s{i:02d}", "skill": "slow_work", "brief": f"item {i}"} for i in range(SUBTASKS)]


def subtasks_of(goal: Task) -> list[dict[str, Any]]:
    """The goal's manifest entries, one per subtask."""
    manifest = manifest_of(goal)
    assert manifest is not None
    subtasks: list[dict[str, Any]] = manifest["subtasks"]
    return subtasks


async def test_replicas_share_a_goals_subtasks_by_load_and_the_roster_shows_one_pool(tmp_path: Path) -> None:
    with replicas(tmp_path, 3, seconds=0.5) as pool:
        build = orchestrator_app(tmp_path / "orchestrator", [r.url for r in pool], **ENV)
        async with served(build) as orch, a2a_client(orch) as client:
            goal, _ = await send(client, user_message("go", plan_part(*twenty_subtasks())))
            roster = await agents_of(orch)
        served_counts = [r.served() for r in pool]
    assert state(goal) == "completed", status_text(goal)
    subtasks = subtasks_of(goal)
    assert len(subtasks) == SUBTASKS and all(s["state"] == "completed" for s in subtasks)
    assert sum(served_counts) == SUBTASKS  # each subtask ran once, on one replica
    assert min(served_counts) > 0 and max(served_counts) <= 2 * min(served_counts), served_counts
    by_url = {r.url: 0 for r in pool}
    for s in subtasks:
        by_url[str(s["worker_url"])] += 1
    assert sorted(by_url.values()) == sorted(served_counts)  # the manifest agrees with what the workers ran
    assert {a["pool"] for a in roster} == {"slow"} and all(a["replicas"] == 3 for a in roster)
    assert sorted(a["dispatched"] for a in roster) == sorted(served_counts)


async def test_a_replica_killed_mid_goal_has_its_subtasks_retried_on_the_others(tmp_path: Path) -> None:
    env = {**ENV, "SWITCHBOARD_REATTACH_WINDOW": "1"}  # a dead replica's tasks are given up on after 1 s
    with replicas(tmp_path, 3, seconds=1.5) as pool:
        victim, survivors = pool[0], pool[1:]
        build = orchestrator_app(tmp_path / "orchestrator", [r.url for r in pool], **env)

        async def kill_once_everything_is_dispatched() -> None:
            await until(lambda: sum(r.served() for r in pool) == SUBTASKS, timeout=15)
            victim.process.send_signal(signal.SIGKILL)
            victim.process.wait(5)

        async with served(build) as orch, a2a_client(orch) as client:
            async with asyncio.TaskGroup() as group:
                sending = group.create_task(send(client, user_message("go", plan_part(*twenty_subtasks()))))
                group.create_task(kill_once_everything_is_dispatched())
            goal, _ = sending.result()
            roster = {a["url"]: a for a in await agents_of(orch)}
    assert state(goal) == "completed", status_text(goal)
    subtasks = subtasks_of(goal)
    assert len(subtasks) == SUBTASKS and all(s["state"] == "completed" for s in subtasks)
    on_victim = [s for s in subtasks if any(a["worker_url"] == victim.url for a in s["attempts"])]
    assert len(on_victim) == victim.served() > 0  # every subtask in flight on the victim ...
    for s in on_victim:  # ... failed there and completed on another replica
        attempts = s["attempts"]
        assert attempts[0]["worker_url"] == victim.url and attempts[0]["state"] == "failed"
        assert s["worker_url"] in {r.url for r in survivors}
    assert sum(r.served() for r in survivors) == SUBTASKS
    assert roster[victim.url]["health"] == "unhealthy"
