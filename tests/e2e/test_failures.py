"""How the orchestrator fails: subtask timeouts, the goal deadline, failed dependencies, workers that are gone,
and the concurrency limit. In-process orchestrator on a real socket, scripted agents as real processes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from a2a.types import StreamResponse

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, url
from tests.support.processes import agent_process, free_ports, peak_concurrency, scripted, seen
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)


def _subtasks(task: Any) -> dict[str, dict[str, Any]]:
    manifest = manifest_of(task)
    assert manifest is not None, "the task carries no manifest"
    return {s["id"]: s for s in manifest["subtasks"]}


def status_text_of(event: StreamResponse) -> str:
    if event.WhichOneof("payload") != "status_update":
        return ""
    return " ".join(p.text for p in event.status_update.status.message.parts if p.text)


def _all_canceled(port: int) -> bool:
    records = seen(port)
    return bool(records) and all(r["state"] == "canceled" for r in records.values())


async def test_a_timed_out_subtask_is_canceled_and_goes_to_the_next_worker(tmp_path: Path) -> None:
    # among equally healthy, idle workers the tie breaks on URL, so the hanging one is tried first
    hang, ok = sorted(free_ports(2), key=url)
    with (
        agent_process(scripted(hang, mode="hang", name="hanger"), hang),
        agent_process(scripted(ok, name="finisher"), ok),
    ):
        build = orchestrator_app(tmp_path, [url(hang), url(ok)], SWITCHBOARD_SUBTASK_TIMEOUT="0.5")
        async with served(build) as orch, a2a_client(orch) as client:
            task, _ = await send(
                client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"}))
            )
            await until(lambda: _all_canceled(hang))
    assert state(task) == "completed", status_text(task)
    x = _subtasks(task)["x"]
    assert x["worker"] == "finisher"
    attempts = x["attempts"]
    assert [a["worker_name"] for a in attempts] == ["hanger", "finisher"]
    assert attempts[0]["state"] == "failed" and "timed out" in attempts[0]["reason"]
    assert attempts[-1]["state"] == "completed"


async def test_the_goal_deadline_fails_the_goal_and_cancels_the_worker(tmp_path: Path) -> None:
    (hang,) = free_ports(1)
    with agent_process(scripted(hang, mode="hang"), hang):
        build = orchestrator_app(tmp_path, [url(hang)], SWITCHBOARD_GOAL_DEADLINE="1")
        async with served(build) as orch, a2a_client(orch) as client:
            # the worker never finishes by itself: a goal that ends at all was ended by its deadline
            task, _ = await send(
                client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"}))
            )
            await until(lambda: _all_canceled(hang))
    assert state(task) == "failed"
    assert "deadline" in status_text(task), status_text(task)
    x = _subtasks(task)["x"]
    assert x["state"] == "canceled"


async def test_the_goal_deadline_keeps_what_finished_as_a_partial_result(tmp_path: Path) -> None:
    hang, fast = free_ports(2)
    plan = plan_part(
        {"id": "quick", "skill": "quick_echo", "brief": "the early bird"},
        {"id": "slow", "skill": "slow_echo", "brief": "never ends"},
    )
    with (
        agent_process(scripted(hang, mode="hang", name="hanger"), hang),
        agent_process(scripted(fast, skill="quick_echo", name="quick"), fast),
    ):
        build = orchestrator_app(tmp_path, [url(hang), url(fast)], SWITCHBOARD_GOAL_DEADLINE="1")
        async with served(build) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", plan))
            await until(lambda: _all_canceled(hang))
    assert state(task) == "failed" and "deadline" in status_text(task)
    by_id = _subtasks(task)
    assert by_id["quick"]["state"] == "completed" and by_id["slow"]["state"] == "canceled"
    result = next(a for a in task.artifacts if a.artifact_id == "result")
    assert "done: the early bird" in result.parts[0].text


async def test_a_failed_dependency_skips_its_dependents_and_spares_other_branches(tmp_path: Path) -> None:
    bad, ok = free_ports(2)
    plan = plan_part(
        {"id": "a", "skill": "broken", "brief": "this fails"},
        {"id": "b", "skill": "slow_echo", "brief": "needs a", "depends_on": ["a"]},
        {"id": "c", "skill": "slow_echo", "brief": "independent branch"},
    )
    with (
        agent_process(scripted(bad, skill="broken", mode="fail", name="breaker"), bad),
        agent_process(scripted(ok, name="echoer"), ok),
    ):
        async with served(orchestrator_app(tmp_path, [url(bad), url(ok)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", plan))
        echoed = [r["parts"][0]["text"] for r in seen(ok).values()]  # type: ignore[index]
    assert state(task) == "failed"
    by_id = _subtasks(task)
    assert [by_id[i]["state"] for i in "abc"] == ["failed", "skipped", "completed"]
    assert "a" in by_id["b"]["reason"]
    why = status_text(task)
    assert "a (broken) failed" in why and "b (slow_echo) skipped" in why, why
    assert echoed == ["independent branch"], "a skipped subtask must never be dispatched"
    assert "done: independent branch" in artifact_text(task)


async def test_a_worker_that_is_gone_falls_back_to_another_with_the_skill(tmp_path: Path) -> None:
    gone, spare = sorted(free_ports(2), key=url)  # the gone one ranks first (URL tie-break)
    with (
        agent_process(scripted(gone, name="gone"), gone) as gone_process,
        agent_process(scripted(spare, name="spare"), spare),
    ):
        async with served(orchestrator_app(tmp_path, [url(gone), url(spare)])) as orch, a2a_client(orch) as client:
            gone_process.kill()
            gone_process.wait()
            task, _ = await send(
                client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"}))
            )
    assert state(task) == "completed", status_text(task)
    attempts = _subtasks(task)["x"]["attempts"]
    assert [(a["worker_name"], a["state"]) for a in attempts] == [("gone", "failed"), ("spare", "completed")]
    assert "connect" in attempts[0]["reason"].lower(), attempts[0]["reason"]


async def test_a_worker_that_is_gone_with_no_alternative_fails_clearly(tmp_path: Path) -> None:
    (gone,) = free_ports(1)
    with agent_process(scripted(gone, name="gone"), gone) as gone_process:
        async with served(orchestrator_app(tmp_path, [url(gone)])) as orch, a2a_client(orch) as client:
            gone_process.kill()
            gone_process.wait()
            task, _ = await send(
                client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"}))
            )
    assert state(task) == "failed"
    why = status_text(task)
    assert "x (slow_echo) failed" in why and "gone" in why and "connect" in why.lower(), why


async def test_the_concurrency_limit_is_honoured(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    subtasks = [{"id": f"s{i}", "skill": "slow_echo", "brief": f"item {i}"} for i in range(6)]
    # each subtask is held (up to 10 s) until two run at once: the limit's slots are used, and never exceeded
    with agent_process(scripted(port, delay=10.0, gate=2), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_MAX_CONCURRENCY="2")
        async with served(build) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", plan_part(*subtasks)))
        peak = peak_concurrency(port)
    assert state(task) == "completed", status_text(task)
    assert peak == 2, f"{peak} subtasks ran at once under a limit of 2"


async def test_goals_beyond_the_goal_limit_queue_and_all_complete(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, delay=0.5), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_MAX_GOALS="1")
        async with served(build) as orch, a2a_client(orch) as client:
            goals = [
                send(client, user_message("go", plan_part({"id": "s", "skill": "slow_echo", "brief": f"goal {i}"})))
                for i in range(3)
            ]
            finished = await asyncio.gather(*goals)
        peak = peak_concurrency(port)
    assert [state(task) for task, _ in finished] == ["completed"] * 3
    queued = [task for task, events in finished if any("Queued" in status_text_of(e) for e in events)]
    assert len(queued) >= 1  # the others waited for the slot, and said so
    assert peak == 1, f"{peak} goals worked at once under a limit of 1"
