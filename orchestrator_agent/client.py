"""A small A2A client for the CLI: send a goal to any A2A agent, follow its stream, fold it into a Task."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.server.tasks.task_manager import append_artifact_to_task
from a2a.types import Message, Part, Role, SendMessageRequest, StreamResponse, Task, TaskState
from a2a.utils.constants import TransportProtocol
from google.protobuf.json_format import MessageToDict

from agents.host.wire import KIND_KEY

OnEvent = Callable[[StreamResponse], Awaitable[None]]


def fold(task: Task | None, event: StreamResponse) -> Task | None:
    """Apply one stream event to the client's view of the task (the 1.x client does not aggregate)."""
    kind = event.WhichOneof("payload")
    if kind == "task":
        folded = Task()
        folded.CopyFrom(event.task)
        return folded
    if kind == "message":
        folded = task or Task(id=event.message.task_id, context_id=event.message.context_id)
        folded.status.state = TaskState.TASK_STATE_COMPLETED
        folded.status.message.CopyFrom(event.message)
        return folded
    update = getattr(event, kind)
    task = task or Task(id=update.task_id, context_id=update.context_id)
    if kind == "status_update":
        task.status.CopyFrom(update.status)
    else:
        append_artifact_to_task(task, update)
    return task


def progress_of(event: StreamResponse) -> dict[str, Any] | None:
    """The orchestrator's progress data part in a status update, if the event carries one."""
    if event.WhichOneof("payload") != "status_update" or not event.status_update.status.HasField("message"):
        return None
    for part in event.status_update.status.message.parts:
        if part.WhichOneof("content") == "data" and MessageToDict(part.metadata).get(KIND_KEY) == "progress":
            data = MessageToDict(part.data)
            return data if isinstance(data, dict) else None
    return None


async def ask(
    url: str,
    goal: str,
    extra_parts: Sequence[Part] = (),
    *,
    on_event: OnEvent | None = None,
    timeout: float = 600.0,
    task_id: str = "",
    context_id: str = "",
    token: str | None = None,
) -> Task:
    """Send `goal` to the agent at `url` (streaming when its card allows) and return the folded task. `token`:
    the bearer token the agent requires, if any."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=5.0), headers=headers) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        config = ClientConfig(
            httpx_client=http,
            streaming=card.capabilities.streaming,
            supported_protocol_bindings=[TransportProtocol.JSONRPC, TransportProtocol.HTTP_JSON],
        )
        client = ClientFactory(config).create(card)
        parts = ([Part(text=goal)] if goal else []) + list(extra_parts)
        message = Message(
            role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=parts, task_id=task_id, context_id=context_id
        )
        task: Task | None = None
        try:
            async for event in client.send_message(SendMessageRequest(message=message)):
                task = fold(task, event)
                if on_event is not None:
                    await on_event(event)
        finally:
            await client.close()
        if task is None:
            raise RuntimeError(f"{url} sent no task")
        return task
