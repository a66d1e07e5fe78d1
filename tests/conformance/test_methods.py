"""Conformance of every A2A method our agents' cards advertise, through the real a2a client on a real socket:
blocking and `return_immediately` sends, stream event order, GetTask `historyLength`, ListTasks filters and
paging, CancelTask, SubscribeToTask, push-notification configs with delivery, and multi-turn history.
Both agents (orchestrator and worker), both bindings. See docs/conformance.md for the spec sections."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from a2a.client import Client
from a2a.types import (
    CancelTaskRequest,
    DeleteTaskPushNotificationConfigRequest,
    GetTaskPushNotificationConfigRequest,
    GetTaskRequest,
    ListTaskPushNotificationConfigsRequest,
    ListTasksRequest,
    Message,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    Task,
    TaskPushNotificationConfig,
    TaskState,
)
from a2a.utils.errors import PushNotificationNotSupportedError, TaskNotFoundError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.conformance.conftest import Target
from tests.support.a2a import a2a_client, kinds, send
from tests.support.orchestration import until
from tests.support.servers import served

S = TaskState
SETTLED = {S.TASK_STATE_COMPLETED, S.TASK_STATE_FAILED, S.TASK_STATE_CANCELED, S.TASK_STATE_REJECTED}
INTERRUPTED = {S.TASK_STATE_INPUT_REQUIRED, S.TASK_STATE_AUTH_REQUIRED}


def _state(event: StreamResponse) -> int:
    return int(event.task.status.state if event.HasField("task") else event.status_update.status.state)


@contextlib.asynccontextmanager
async def _client(target: Target, binding: str, *, base: str = "", streaming: bool = True) -> AsyncIterator[Client]:
    async with a2a_client(base or target.base, binding=binding, streaming=streaming) as client:
        yield client


async def _start_hanging(target: Target, binding: str) -> Task:
    """A task that keeps running until cancelled, started with `return_immediately`."""
    async with _client(target, binding, base=target.hang_base, streaming=False) as client:
        request = SendMessageRequest(
            message=target.message("hang"), configuration=SendMessageConfiguration(return_immediately=True)
        )
        (reply,) = [e async for e in client.send_message(request)]
    assert reply.WhichOneof("payload") == "task"
    assert reply.task.status.state not in SETTLED | INTERRUPTED, reply.task.status
    return reply.task


async def test_blocking_send_returns_the_settled_task(target: Target, binding: str) -> None:
    async with _client(target, binding, streaming=False) as client:
        (done,) = [e async for e in client.send_message(SendMessageRequest(message=target.message("done")))]
        (asked,) = [e async for e in client.send_message(SendMessageRequest(message=target.message("ask")))]
    assert done.task.status.state == S.TASK_STATE_COMPLETED and done.task.artifacts
    assert asked.task.status.state == S.TASK_STATE_INPUT_REQUIRED  # blocking also returns at an interruption


async def test_return_immediately_hands_back_a_running_task(target: Target, binding: str) -> None:
    running = await _start_hanging(target, binding)
    async with _client(target, binding, base=target.hang_base) as client:
        still = await client.get_task(GetTaskRequest(id=running.id))
        assert still.status.state in {S.TASK_STATE_SUBMITTED, S.TASK_STATE_WORKING}
        canceled = await client.cancel_task(CancelTaskRequest(id=running.id))
    assert canceled.status.state == S.TASK_STATE_CANCELED


async def test_stream_sends_the_task_first_and_closes_at_terminal_or_interrupted(target: Target, binding: str) -> None:
    async with _client(target, binding) as client:
        done = [e async for e in client.send_message(SendMessageRequest(message=target.message("done")))]
        asked = [e async for e in client.send_message(SendMessageRequest(message=target.message("ask")))]
    for events, last in ((done, S.TASK_STATE_COMPLETED), (asked, S.TASK_STATE_INPUT_REQUIRED)):
        order = kinds(events)
        assert order[0] == "task" and set(order[1:]) <= {"status_update", "artifact_update"}, order
        assert _state(events[-1]) == last and order[-1] == "status_update"
        # nothing after the first terminal or interrupted state: the stream closed there
        assert [i for i, e in enumerate(events) if _state_or_none(e) in SETTLED | INTERRUPTED] == [len(events) - 1]
        assert (
            len({e.task.id if e.HasField("task") else getattr(e, str(e.WhichOneof("payload"))).task_id for e in events})
            == 1
        )
    assert "artifact_update" in kinds(done)


def _state_or_none(event: StreamResponse) -> int | None:
    return None if event.HasField("artifact_update") else _state(event)


async def test_get_task_honours_history_length(target: Target, binding: str) -> None:
    async with _client(target, binding) as client:
        task, _ = await send(client, target.message("done"))
        full = await client.get_task(GetTaskRequest(id=task.id))
        last_two = await client.get_task(GetTaskRequest(id=task.id, history_length=2))
        none = await client.get_task(GetTaskRequest(id=task.id, history_length=0))
    assert len(full.history) > 2 and full.history[0].role == Role.ROLE_USER
    assert list(last_two.history) == list(full.history[-2:])
    assert len(none.history) == 0
    assert full.status.state == last_two.status.state == none.status.state == S.TASK_STATE_COMPLETED


async def test_list_tasks_filters_by_context_and_status_and_pages(target: Target, binding: str) -> None:
    async with _client(target, binding) as client:
        first, _ = await send(client, target.message("done"))
        same_context, _ = await send(client, target.message("done", context_id=first.context_id))
        asked, _ = await send(client, target.message("ask"))
        page1 = await client.list_tasks(ListTasksRequest(page_size=2))
        page2 = await client.list_tasks(ListTasksRequest(page_size=2, page_token=page1.next_page_token))
        in_context = await client.list_tasks(ListTasksRequest(context_id=first.context_id))
        waiting = await client.list_tasks(ListTasksRequest(status=S.TASK_STATE_INPUT_REQUIRED))
        completed = await client.list_tasks(ListTasksRequest(status=S.TASK_STATE_COMPLETED, include_artifacts=True))
    assert same_context.context_id == first.context_id and same_context.id != first.id
    assert len(page1.tasks) == 2 and page1.next_page_token and len(page2.tasks) == 1 and not page2.next_page_token
    assert sorted(t.id for t in [*page1.tasks, *page2.tasks]) == sorted([first.id, same_context.id, asked.id])
    assert sorted(t.id for t in in_context.tasks) == sorted([first.id, same_context.id])
    assert [t.id for t in waiting.tasks] == [asked.id]
    assert sorted(t.id for t in completed.tasks) == sorted([first.id, same_context.id])
    assert all(t.artifacts for t in completed.tasks) and not any(t.artifacts for t in page1.tasks)


async def test_cancel_a_running_task_and_subscribe_to_it(target: Target, binding: str) -> None:
    running = await _start_hanging(target, binding)
    async with (
        _client(target, binding, base=target.hang_base) as watcher,
        _client(target, binding, base=target.hang_base, streaming=False) as poster,
    ):
        stream = watcher.subscribe(SubscribeToTaskRequest(id=running.id))
        first = await anext(stream)
        assert first.HasField("task") and first.task.id == running.id
        assert first.task.status.state not in SETTLED
        canceled = await poster.cancel_task(CancelTaskRequest(id=running.id))
        rest = [e async for e in stream]  # the subscription sees the cancellation, then closes
        stored = await poster.get_task(GetTaskRequest(id=running.id))
    assert canceled.id == running.id and canceled.status.state == S.TASK_STATE_CANCELED
    assert rest and _state(rest[-1]) == S.TASK_STATE_CANCELED
    assert stored.status.state == S.TASK_STATE_CANCELED


class Webhook:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def receive(self, request: Request) -> Response:
        self.calls.append((request.headers.get("x-a2a-notification-token", ""), await request.json()))
        return Response(status_code=204)

    def app(self, _url: str) -> Starlette:
        return Starlette(routes=[Route("/hook", self.receive, methods=["POST"])])


async def test_push_notification_configs_and_delivery(target: Target, binding: str) -> None:
    running = await _start_hanging(target, binding)
    hook = Webhook()
    async with served(hook.app) as hook_url, _client(target, binding, base=target.hang_base) as client:
        if not target.push:
            with pytest.raises(PushNotificationNotSupportedError):
                await client.create_task_push_notification_config(
                    TaskPushNotificationConfig(task_id=running.id, url=hook_url + "/hook")
                )
            with pytest.raises(PushNotificationNotSupportedError):
                await client.list_task_push_notification_configs(
                    ListTaskPushNotificationConfigsRequest(task_id=running.id)
                )
            await client.cancel_task(CancelTaskRequest(id=running.id))
            return
        for config_id in ("dropped", "kept"):
            created = await client.create_task_push_notification_config(
                TaskPushNotificationConfig(task_id=running.id, id=config_id, url=hook_url + "/hook", token=config_id)
            )
            assert created.id == config_id and created.url == hook_url + "/hook"
        got = await client.get_task_push_notification_config(
            GetTaskPushNotificationConfigRequest(task_id=running.id, id="kept")
        )
        listed = await client.list_task_push_notification_configs(
            ListTaskPushNotificationConfigsRequest(task_id=running.id)
        )
        await client.delete_task_push_notification_config(
            DeleteTaskPushNotificationConfigRequest(task_id=running.id, id="dropped")
        )
        after = await client.list_task_push_notification_configs(
            ListTaskPushNotificationConfigsRequest(task_id=running.id)
        )
        with pytest.raises(TaskNotFoundError):  # the SDK reports a deleted config as not found
            await client.get_task_push_notification_config(
                GetTaskPushNotificationConfigRequest(task_id=running.id, id="dropped")
            )
        await client.cancel_task(CancelTaskRequest(id=running.id))
        await until(lambda: any(_pushed_state(body) == "TASK_STATE_CANCELED" for _, body in hook.calls))
    assert got.token == "kept" and got.task_id == running.id
    assert sorted(c.id for c in listed.configs) == ["dropped", "kept"]
    assert [c.id for c in after.configs] == ["kept"]
    assert {token for token, _ in hook.calls} == {"kept"}


def _pushed_state(body: dict[str, Any]) -> str:
    for key in ("statusUpdate", "task"):
        if key in body:
            return str(body[key].get("status", {}).get("state", ""))
    return ""


async def test_multi_turn_history_keeps_every_message(target: Target, binding: str) -> None:
    async with _client(target, binding) as client:
        opening = target.message("ask")
        asked, _ = await send(client, opening)
        assert asked.status.state == S.TASK_STATE_INPUT_REQUIRED
        reply = target.reply_message(asked.id, asked.context_id)
        done, _ = await send(client, reply)
        stored = await client.get_task(GetTaskRequest(id=asked.id))
    assert done.id == asked.id and done.status.state == S.TASK_STATE_COMPLETED
    users = [m.message_id for m in stored.history if m.role == Role.ROLE_USER]
    assert users == [opening.message_id, reply.message_id]
    questions = [m for m in stored.history if m.role == Role.ROLE_AGENT and target.question in _text(m)]
    assert questions, [_text(m) for m in stored.history]
    history = list(stored.history)
    assert history.index(questions[0]) < [m.message_id for m in history].index(reply.message_id)


def _text(message: Message) -> str:
    return " ".join(p.text for p in message.parts if p.text)
