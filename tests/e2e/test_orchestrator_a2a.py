"""The orchestrator as an A2A agent: task retrieval and listing, resubscription, push notifications, its card,
and nesting (an orchestrator as another orchestrator's worker). In-process orchestrators on real sockets,
scripted agents as real processes."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from a2a.types import (
    GetTaskRequest,
    ListTasksRequest,
    Part,
    SendMessageConfiguration,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    TaskPushNotificationConfig,
    TaskState,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, fold, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, url
from tests.support.processes import agent_process, free_ports, scripted, seen
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)

CARD = "/.well-known/agent-card.json"


def _goal(brief: str = "echo this", skill: str = "slow_echo") -> Part:
    return plan_part({"id": "x", "skill": skill, "brief": brief})


def _state_of(event: StreamResponse) -> str:
    kind = event.WhichOneof("payload")
    status = event.task.status if kind == "task" else event.status_update.status
    return str(TaskState.Name(status.state)).removeprefix("TASK_STATE_").lower()


@pytest.mark.parametrize("binding", ["jsonrpc", "rest"])
async def test_get_task_returns_the_result_and_manifest_and_trims_history(binding: str, tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch, binding=binding) as c:
            done, _ = await send(c, user_message("go", _goal("hello there")))
            full = await c.get_task(GetTaskRequest(id=done.id))
            trimmed = await c.get_task(GetTaskRequest(id=done.id, history_length=0))
    assert state(done) == "completed", status_text(done)
    for task in (full, trimmed):
        assert state(task) == "completed"
        result = next(a for a in task.artifacts if a.artifact_id == "result")
        assert "done: hello there" in result.parts[0].text
        manifest = manifest_of(task)
        assert manifest is not None and manifest["goal_id"] == done.id
        assert [s["state"] for s in manifest["subtasks"]] == ["completed"]
    assert len(full.history) > 0
    assert len(trimmed.history) == 0


async def test_list_tasks_pages_through_goals_and_filters_by_status(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            ok1, _ = await send(client, user_message("one", _goal("one")))
            ok2, _ = await send(client, user_message("two", _goal("two")))
            bad, _ = await send(client, user_message("three", _goal("three", skill="teleport")))
            first = await client.list_tasks(ListTasksRequest(page_size=2))
            second = await client.list_tasks(ListTasksRequest(page_size=2, page_token=first.next_page_token))
            failed = await client.list_tasks(ListTasksRequest(status=TaskState.TASK_STATE_FAILED))
            completed = await client.list_tasks(ListTasksRequest(status=TaskState.TASK_STATE_COMPLETED))
    assert [state(t) for t in (ok1, ok2, bad)] == ["completed", "completed", "failed"]
    assert len(first.tasks) == 2 and first.next_page_token
    assert len(second.tasks) == 1 and not second.next_page_token
    listed = [t.id for t in [*first.tasks, *second.tasks]]
    assert sorted(listed) == sorted([ok1.id, ok2.id, bad.id])
    assert [t.id for t in failed.tasks] == [bad.id]
    assert sorted(t.id for t in completed.tasks) == sorted([ok1.id, ok2.id])


async def test_subscribe_to_a_running_goal_yields_the_task_then_the_rest(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, delay=1.0), port):
        async with (
            served(orchestrator_app(tmp_path, [url(port)])) as orch,
            a2a_client(orch, streaming=False) as poster,
            a2a_client(orch) as watcher,
        ):
            request = SendMessageRequest(
                message=user_message("go", _goal()), configuration=SendMessageConfiguration(return_immediately=True)
            )
            (reply,) = [e async for e in poster.send_message(request)]
            assert reply.WhichOneof("payload") == "task"
            assert not _is_final(_state_of(reply)), "return_immediately should hand back a running task"
            events = [e async for e in watcher.subscribe(SubscribeToTaskRequest(id=reply.task.id))]
    assert events[0].WhichOneof("payload") == "task" and events[0].task.id == reply.task.id
    assert len(events) > 1
    task = None
    for event in events:
        task = fold(task, event)
    assert task is not None and state(task) == "completed"
    assert _state_of(events[-1]) == "completed"
    assert any(a.artifact_id == "result" for a in task.artifacts)


async def test_a_caller_that_disconnects_does_not_cancel_the_goal_and_can_reattach(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, delay=1.0), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            stream = client.send_message(SendMessageRequest(message=user_message("go", _goal())))
            first = await anext(stream)
            await cast(AsyncGenerator[StreamResponse, None], stream).aclose()  # hang up mid-stream
            goal_id = first.task.id if first.WhichOneof("payload") == "task" else first.status_update.task_id
            # re-attach: the task as it is now, then the events still to come, to the end
            events = [e async for e in client.subscribe(SubscribeToTaskRequest(id=goal_id))]
            final = await client.get_task(GetTaskRequest(id=goal_id))
        records = seen(port)
    assert events[0].WhichOneof("payload") == "task" and events[0].task.id == goal_id
    assert not _is_final(_state_of(events[0])), "the goal was already over: nothing was left to re-attach to"
    assert _state_of(events[-1]) == "completed"
    assert any(
        e.WhichOneof("payload") == "artifact_update" and e.artifact_update.artifact.artifact_id == "result"
        for e in events
    )
    assert state(final) == "completed", status_text(final)
    assert [r["state"] for r in records.values()] == ["completed"]


async def test_a_resent_goal_message_does_not_start_the_work_twice(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, delay=0.5), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            message = user_message("go", _goal())
            first, _ = await send(client, message)
            again, _ = await send(client, message)  # e.g. a client retrying after a timeout
            goals = (await client.list_tasks(ListTasksRequest())).tasks
        records = seen(port)
    assert state(first) == "completed" and again.id == first.id and state(again) == "completed"
    assert len(goals) == 1 and len(records) == 1


class _Webhook:
    """Records every POST it receives: headers (lower-cased names) and the JSON body."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], dict[str, Any]]] = []

    async def receive(self, request: Request) -> Response:
        self.calls.append(({k.lower(): v for k, v in request.headers.items()}, await request.json()))
        return Response(status_code=204)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.receive, methods=["POST"])])


async def test_push_notifications_deliver_the_goal_events_to_a_webhook(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    hook = _Webhook()
    with agent_process(scripted(port), port):
        async with (
            served(lambda _url: hook.app()) as hook_url,
            served(orchestrator_app(tmp_path, [url(port)])) as orch,
            a2a_client(orch) as client,
        ):
            config = TaskPushNotificationConfig(url=hook_url + "/hook", token="s3cret")
            request = SendMessageRequest(
                message=user_message("go", _goal()),
                configuration=SendMessageConfiguration(task_push_notification_config=config),
            )
            task = None
            async for event in client.send_message(request):
                task = fold(task, event)
            assert task is not None and state(task) == "completed"
            await until(lambda: any(_pushed_state(body) == "TASK_STATE_COMPLETED" for _, body in hook.calls))
    assert all(headers.get("x-a2a-notification-token") == "s3cret" for headers, _ in hook.calls)
    assert {_pushed_task_id(body) for _, body in hook.calls} == {task.id}
    assert any("artifactUpdate" in body for _, body in hook.calls), [list(b) for _, b in hook.calls]
    assert _pushed_state(hook.calls[-1][1]) == "TASK_STATE_COMPLETED"


def _pushed_state(body: dict[str, Any]) -> str:
    for key in ("statusUpdate", "task"):
        if key in body:
            return str(body[key].get("status", {}).get("state", ""))
    return ""


def _pushed_task_id(body: dict[str, Any]) -> str:
    if "task" in body:
        return str(body["task"]["id"])
    return str(next(iter(body.values()))["taskId"])


async def test_the_served_card_lists_own_and_roster_skills_with_caching_headers(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port, name="echoer", extra_skills=["shout"]), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, httpx.AsyncClient() as http:
            first = await http.get(orch + CARD)
            again = await http.get(orch + CARD, headers={"If-None-Match": first.headers["etag"]})
    assert first.status_code == 200
    assert first.headers["cache-control"]
    skills = {s["id"]: s for s in first.json()["skills"]}
    assert {"orchestrate", "run_plan", "slow_echo", "shout"} <= set(skills)
    assert not any(t.startswith("via:") for t in skills["orchestrate"].get("tags", []))
    assert "via:echoer" in skills["slow_echo"]["tags"] and "via:echoer" in skills["shout"]["tags"]
    assert again.status_code == 304


async def test_an_orchestrator_can_be_another_orchestrators_worker(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with (
            served(orchestrator_app(tmp_path / "inner", [url(port)])) as inner,
            served(orchestrator_app(tmp_path / "outer", [inner])) as outer,
            a2a_client(outer) as client,
        ):
            task, _ = await send(client, user_message("go", _goal("slow echo the word nested")))
        (record,) = seen(port).values()
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None and manifest["subtasks"][0]["worker_url"] == inner
    assert record["state"] == "completed"
    assert record["metadata"]["switchboard.depth"] == 2  # type: ignore[index]
    result = next(a for a in task.artifacts if a.artifact_id == "result")
    assert "nested" in result.parts[0].text


async def test_a_request_deeper_than_the_limit_is_rejected(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_MAX_DEPTH="2")
        async with served(build) as orch, a2a_client(orch) as client:
            request = SendMessageRequest(message=user_message("go", _goal()), metadata={"switchboard.depth": 3})
            task = None
            async for event in client.send_message(request):
                task = fold(task, event)
            allowed = SendMessageRequest(message=user_message("go", _goal()), metadata={"switchboard.depth": 2})
            ok = None
            async for event in client.send_message(allowed):
                ok = fold(ok, event)
        records = seen(port)
    assert task is not None and state(task) == "rejected"
    assert "depth 3" in status_text(task) and "limit of 2" in status_text(task)
    assert ok is not None and state(ok) == "completed", status_text(ok) if ok else ""
    # only the allowed request reached the worker, one level deeper
    assert [r["metadata"]["switchboard.depth"] for r in records.values()] == [3]  # type: ignore[index]


def _is_final(name: str) -> bool:
    return name in {"completed", "failed", "canceled", "rejected", "input_required"}


async def test_a_request_that_already_passed_through_this_orchestrator_is_refused(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            looped = SendMessageRequest(
                message=user_message("go", _goal()),
                metadata={"switchboard.depth": 1, "switchboard.chain": ["http://elsewhere:1", orch]},
            )
            task = None
            async for event in client.send_message(looped):
                task = fold(task, event)
        assert seen(port) == {}
    assert task is not None and state(task) == "rejected"
    assert "cycle" in status_text(task).lower()


async def test_two_levels_deep_the_goal_never_goes_back_up_the_chain(tmp_path: Path) -> None:
    """outer -> middle -> worker, where middle also knows outer (a loop in the roster): middle must not send
    the subtask back to outer, and the worker sees the whole chain."""
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        middle_app = orchestrator_app(tmp_path / "middle", [url(port)], SWITCHBOARD_ADMIN_TOKEN="t")
        async with served(middle_app) as middle:
            async with served(orchestrator_app(tmp_path / "outer", [middle])) as outer, httpx.AsyncClient() as http:
                added = await http.post(
                    middle + "/admin/agents", json={"url": outer}, headers={"Authorization": "Bearer t"}
                )
                assert added.status_code == 201, added.text
                async with a2a_client(outer) as client:
                    task, _ = await send(client, user_message("go", _goal("two levels down")))
        (record,) = seen(port).values()
    assert state(task) == "completed", status_text(task)
    assert record["metadata"]["switchboard.depth"] == 2  # type: ignore[index]
    assert record["metadata"]["switchboard.chain"] == [outer, middle]  # type: ignore[index]
