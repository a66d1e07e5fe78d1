"""The orchestrator against real worker processes (scripted third-party-style agents) over real sockets."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from a2a.types import CancelTaskRequest, GetTaskRequest, Part, SendMessageRequest, TaskState
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value
from starlette.types import ASGIApp

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, until_async, url
from tests.support.processes import agent_process, free_ports, peak_concurrency, scripted, seen
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)


async def test_fan_out_runs_independent_subtasks_in_parallel(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    subtasks = [{"id": f"s{i}", "skill": "slow_echo", "brief": f"item {i}"} for i in range(8)]
    # each subtask is held until all eight run at once (or 30 s pass): in parallel, they all meet
    with agent_process(scripted(port, delay=30.0, gate=8), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("run these", plan_part(*subtasks)))
        peak = peak_concurrency(port)
    assert state(task) == "completed", status_text(task)
    assert peak == 8, f"at most {peak} of 8 independent subtasks ran at once"
    manifest = manifest_of(task)
    assert manifest is not None and [s["state"] for s in manifest["subtasks"]] == ["completed"] * 8


async def test_only_dependency_outputs_reach_a_worker(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    plan = [
        {"id": "a", "skill": "slow_echo", "brief": "alpha brief"},
        {"id": "b", "skill": "slow_echo", "brief": "beta brief"},
        {"id": "c", "skill": "slow_echo", "brief": "gamma brief", "depends_on": ["a"]},
    ]
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", plan_part(*plan)))
        records = seen(port)
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    remote = {s["id"]: s["remote_task_id"] for s in manifest["subtasks"]}
    c_parts = records[remote["c"]]["parts"]
    texts = [p.get("text", "") for p in c_parts]  # type: ignore[union-attr]
    assert texts[0] == "gamma brief"
    assert any("alpha brief" in t for t in texts[1:]), texts
    assert not any("beta brief" in t for t in texts), "a non-dependency's output leaked into c"
    sources = [p.get("metadata", {}).get("subtask_id") for p in c_parts[1:]]  # type: ignore[union-attr]
    assert "a" in sources
    metadata = records[remote["c"]]["metadata"]
    assert metadata["switchboard.subtask_id"] == "c" and metadata["switchboard.depth"] == 1  # type: ignore[index]
    contexts = {records[r]["metadata"]["switchboard.goal_id"] for r in remote.values()}  # type: ignore[index]
    assert contexts == {task.id}


@pytest.mark.parametrize("bad_mode", ["fail", "reject"])
async def test_fallback_to_the_next_worker_with_the_same_skill(bad_mode: str, tmp_path: Path) -> None:
    bad, good = free_ports(2)
    with (
        agent_process(scripted(bad, mode=bad_mode, name="aaa-bad"), bad),
        agent_process(scripted(good, name="zzz-good"), good),
    ):
        async with served(orchestrator_app(tmp_path, [url(bad), url(good)])) as orch, a2a_client(orch) as client:
            # make the bad worker rank first: both are idle and healthy, the tie breaks on URL order
            plan = plan_part({"id": "x", "skill": "slow_echo", "brief": "do it"})
            task, _ = await send(client, user_message("go", plan))
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    attempts = manifest["subtasks"][0]["attempts"]
    assert [a["state"] for a in attempts][-1] == "completed"
    assert manifest["subtasks"][0]["worker"] == "zzz-good"
    if len(attempts) == 2:
        assert attempts[0]["state"] == ("failed" if bad_mode == "fail" else "rejected")


async def test_a_worker_killed_mid_task_falls_back(tmp_path: Path) -> None:
    # among equally healthy, idle workers the tie breaks on URL, so the doomed one is chosen first
    doomed, spare = sorted(free_ports(2), key=lambda p: url(p))
    with (
        agent_process(scripted(spare, name="spare"), spare),
        agent_process(scripted(doomed, name="doomed", mode="hang"), doomed) as doomed_process,
    ):
        build = orchestrator_app(tmp_path, [url(doomed), url(spare)], SWITCHBOARD_RETRIES="0")
        async with served(build) as orch, a2a_client(orch) as client:
            sending = asyncio.create_task(
                send(client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "survive"})))
            )
            await until(lambda: len(seen(doomed)) == 1)
            doomed_process.kill()
            task, _ = await sending
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    attempts = manifest["subtasks"][0]["attempts"]
    assert [a["worker_name"] for a in attempts] == ["doomed", "spare"]
    assert attempts[0]["state"] == "failed"


async def test_cancel_cascades_to_the_worker_task(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, mode="hang"), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            stream = client.send_message(
                SendMessageRequest(
                    message=user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "wait"}))
                )
            )
            first = await anext(stream)
            goal_id = first.task.id
            await until(lambda: len(seen(port)) == 1)
            canceled = await client.cancel_task(CancelTaskRequest(id=goal_id))
            assert canceled.status.state == TaskState.TASK_STATE_CANCELED
            await stream.aclose()
            await until(lambda: next(iter(seen(port).values()))["state"] == "canceled")
            stored = await client.get_task(GetTaskRequest(id=goal_id))
            assert stored.status.state == TaskState.TASK_STATE_CANCELED


async def test_input_required_round_trip_through_the_orchestrator_app(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, mode="ask"), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(
                client, user_message("go", plan_part({"id": "q", "skill": "slow_echo", "brief": "convert"}))
            )
            assert state(task) == "input_required"
            assert "Which unit" in status_text(task)
            reply = user_message("kilometres", task_id=task.id, context_id=task.context_id)
            done, _ = await send(client, reply)
            assert state(done) == "completed", status_text(done)
        records = seen(port)
    (record,) = records.values()
    assert record["state"] == "completed"
    assert any(p.get("text") == "kilometres" for p in record["parts"])  # type: ignore[union-attr]


async def test_a_worker_started_after_the_orchestrator_joins(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_REFRESH_INTERVAL="0.2")
    async with served(build) as orch, a2a_client(orch) as client, httpx.AsyncClient() as http:
        roster = (await http.get(orch + "/agents")).json()["agents"]
        assert roster[0]["health"] == "unhealthy"
        task, _ = await send(client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"})))
        assert state(task) == "failed" and "no workers are available" in status_text(task)
        with agent_process(scripted(port), port):
            await until_async(lambda: _healthy(http, orch))
            task, _ = await send(
                client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"}))
            )
            assert state(task) == "completed", status_text(task)


@pytest.mark.parametrize(
    "plan, problem",
    [
        (
            [
                {"id": "a", "skill": "slow_echo", "brief": "x", "depends_on": ["b"]},
                {"id": "b", "skill": "slow_echo", "brief": "y", "depends_on": ["a"]},
            ],
            "dependency cycle",
        ),
        ([{"id": "a", "skill": "teleport", "brief": "x"}], "unknown skill 'teleport'"),
        ([{"id": "a", "skill": "slow_echo"}], "subtasks.0.brief: Field required"),
        (
            [{"id": "a", "skill": "slow_echo", "brief": "x"}, {"id": "a", "skill": "slow_echo", "brief": "y"}],
            "duplicate subtask ids",
        ),
        ([{"id": "a", "skill": "slow_echo", "brief": "x", "depends_on": ["zz"]}], "unknown subtask 'zz'"),
        ([], "the plan has no subtasks"),
    ],
)
async def test_bad_plans_fail_clearly_and_disturb_nothing(
    plan: list[dict[str, Any]], problem: str, tmp_path: Path
) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", plan_part(*plan)))
            assert state(task) == "failed"
            assert problem in status_text(task), status_text(task)
            assert seen(port) == {}, "an invalid plan must not dispatch anything"
            ok, _ = await send(client, user_message("go", plan_part({"id": "a", "skill": "slow_echo", "brief": "x"})))
            assert state(ok) == "completed"


async def test_a_goal_no_worker_can_serve_is_rejected_and_an_empty_goal_fails_clearly(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("Paint my kitchen in zebra stripes"))
            assert state(task) == "rejected", status_text(task)
            assert "Paint my kitchen" in status_text(task) and "no advertised skill" in status_text(task)
            result = "".join(p.text for a in task.artifacts if a.artifact_id == "result" for p in a.parts)
            assert "This network can: slow echo." in result, result
            assert seen(port) == {}, "nothing may be dispatched for a goal no worker can serve"
            task, _ = await send(client, user_message("", Part(data=ParseDict({"x": 1}, Value()))))
            assert state(task) == "failed" and "no goal" in status_text(task)


async def test_a_card_that_fails_validation_keeps_the_worker_out(tmp_path: Path) -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def bad_card_app(_url: str) -> ASGIApp:
        async def card(_request: object) -> JSONResponse:
            return JSONResponse(
                {
                    "name": "evil",
                    "description": "x",
                    "version": "1",
                    "skills": [],
                    "supportedInterfaces": [
                        {"url": "http://169.254.169.254/a2a", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
                    ],
                }
            )

        return Starlette(routes=[Route("/.well-known/agent-card.json", card)])

    (port,) = free_ports(1)
    async with served(bad_card_app) as bad:
        with agent_process(scripted(port), port):
            async with served(orchestrator_app(tmp_path, [bad, url(port)])) as orch, httpx.AsyncClient() as http:
                roster = {a["url"]: a for a in (await http.get(orch + "/agents")).json()["agents"]}
                assert roster[bad]["health"] == "unhealthy"
                assert "no skills" in roster[bad]["error"] and "point away" in roster[bad]["error"]
                assert roster[url(port)]["health"] == "healthy"


async def _healthy(http: httpx.AsyncClient, orch: str) -> bool:
    agents = (await http.get(orch + "/agents")).json()["agents"]
    return bool(agents) and agents[0]["health"] == "healthy"
