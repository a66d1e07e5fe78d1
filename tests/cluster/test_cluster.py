"""Cluster mode on a real PostgreSQL server: two orchestrator replicas as real processes share goals.

A goal started on replica A can be read, subscribed to and cancelled through replica B, and when A is killed
(`kill -9`) mid-goal, B takes the goal over once A's lease ends and finishes it without re-running finished
work. Workers are counted on their side (`/seen`)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest
from a2a.types import CancelTaskRequest, GetTaskRequest, StreamResponse, SubscribeToTaskRequest

from tests.e2e.test_restart import PLAN, _history_text, _orchestrator_process, _settled, _start
from tests.support.a2a import a2a_client, state, status_text
from tests.support.orchestration import until, until_async, url
from tests.support.processes import agent_process, free_ports, scripted, seen

pytestmark = pytest.mark.timeout(90)
LEASE_S = 1.5  # SWITCHBOARD_CLUSTER_LEASE in these tests


def _replica(port: int, data_dir: Path, workers: list[str], database_url: str, name: str):  # type: ignore[no-untyped-def]
    env = {
        "SWITCHBOARD_CLUSTER": "true",
        "SWITCHBOARD_CLUSTER_LEASE": str(LEASE_S),
        "SWITCHBOARD_REPLICA_ID": name,
        "SWITCHBOARD_DATABASE_URL": database_url,
        "SWITCHBOARD_MIGRATE": "auto",  # both replicas upgrade the empty database, one after the other
    }
    return _orchestrator_process(port, data_dir / name, workers, **env)


async def _events_until_settled(orchestrator_url: str, goal_id: str, into: list[StreamResponse]) -> None:
    async with a2a_client(orchestrator_url) as client:
        async for event in client.subscribe(SubscribeToTaskRequest(id=goal_id)):
            into.append(event)


def _states(events: list[StreamResponse]) -> list[str]:
    found = []
    for e in events:
        kind = e.WhichOneof("payload")
        if kind in ("task", "status_update"):
            found.append(state(getattr(e, kind)))
    return found


async def test_a_goal_survives_its_replica_being_killed_and_is_seen_through_the_other(
    tmp_path: Path, pg_url: str
) -> None:
    quick, slow, merge, port_a, port_b = free_ports(5)
    workers = [url(quick), url(slow), url(merge)]
    with (
        agent_process(scripted(quick, skill="quick", name="quick"), quick),
        agent_process(scripted(slow, skill="slow_echo", name="slowpoke", delay=3.0), slow),
        agent_process(scripted(merge, skill="merge", name="merger"), merge),
        _replica(port_b, tmp_path, workers, pg_url, "b"),
    ):
        with _replica(port_a, tmp_path, workers, pg_url, "a") as replica_a:
            goal_id = await _start(url(port_a), *PLAN)
            async with a2a_client(url(port_b)) as via_b:
                seen_on_b = await via_b.get_task(GetTaskRequest(id=goal_id))
            events: list[StreamResponse] = []
            subscriber = asyncio.create_task(_events_until_settled(url(port_b), goal_id, events))
            # `a` is done and `b` is running on its worker when A dies
            await until(lambda: [r["state"] for r in seen(quick).values()] == ["completed"], timeout=15)
            await until(lambda: len(seen(slow)) == 1, timeout=15)
            replica_a.send_signal(signal.SIGKILL)
            replica_a.wait(5)
        final = await _settled(url(port_b), goal_id, timeout=30)
        await asyncio.wait_for(subscriber, timeout=10)
        quick_seen, slow_seen, merge_seen = seen(quick), seen(slow), seen(merge)
    assert state(seen_on_b) in ("submitted", "working")  # B answers for a goal running on A
    assert state(final) == "completed", status_text(final)
    assert "Resumed after a restart" in _history_text(final)
    # each subtask ran once: `a` was not re-run, `b` was re-attached by B, not sent again
    assert [r["state"] for r in quick_seen.values()] == ["completed"]
    assert [r["state"] for r in slow_seen.values()] == ["completed"]
    assert [r["state"] for r in merge_seen.values()] == ["completed"]
    # the subscriber on B followed the goal from A's events to the end B produced
    assert _states(events)[0] in ("submitted", "working") and _states(events)[-1] == "completed"


async def test_a_goal_running_on_one_replica_is_cancelled_through_the_other(tmp_path: Path, pg_url: str) -> None:
    slow, port_a, port_b = free_ports(3)
    workers = [url(slow)]
    with (
        agent_process(scripted(slow, skill="slow_echo", name="slowpoke", delay=2.0), slow),
        _replica(port_a, tmp_path, workers, pg_url, "a"),
        _replica(port_b, tmp_path, workers, pg_url, "b"),
    ):
        goal_id = await _start(url(port_a), {"id": "s", "skill": "slow_echo", "brief": "long"})
        await until(lambda: len(seen(slow)) == 1, timeout=15)
        async with a2a_client(url(port_b)) as via_b:
            cancelled = await via_b.cancel_task(CancelTaskRequest(id=goal_id))
        # after the worker finished, the goal on A is still cancelled: A's late result did not overwrite it
        await until(lambda: [r["state"] for r in seen(slow).values()] != ["working"], timeout=15)
        async with a2a_client(url(port_a)) as via_a:

            async def settled_on_a() -> bool:
                return state(await via_a.get_task(GetTaskRequest(id=goal_id))) == "canceled"

            await until_async(settled_on_a, timeout=10)
            on_a = await via_a.get_task(GetTaskRequest(id=goal_id))
    assert state(cancelled) == "canceled"
    assert state(on_a) == "canceled", status_text(on_a)
