"""Client-side helpers for tests: the real a2a client, message builders and a stream fold."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.helpers import get_artifact_text
from a2a.types import Message, Part, Role, SendMessageRequest, StreamResponse, Task, TaskState
from a2a.utils.constants import TransportProtocol

from orchestrator_agent.client import fold

BINDINGS = {"jsonrpc": TransportProtocol.JSONRPC, "rest": TransportProtocol.HTTP_JSON}


def user_message(text: str = "", *extra: Part, task_id: str = "", context_id: str = "") -> Message:
    parts = ([Part(text=text)] if text else []) + list(extra)
    return Message(
        role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=parts, task_id=task_id, context_id=context_id
    )


@contextlib.asynccontextmanager
async def a2a_client(
    base_url: str,
    *,
    streaming: bool = True,
    binding: str = "jsonrpc",
    timeout: float = 30.0,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(timeout=timeout, headers=headers) as http:
        card = await A2ACardResolver(http, base_url).get_agent_card()
        config = ClientConfig(
            httpx_client=http,
            streaming=streaming,
            supported_protocol_bindings=[BINDINGS[binding]],
            use_client_preference=True,
        )
        client = ClientFactory(config).create(card)
        try:
            yield client
        finally:
            await client.close()


async def send(client: Client, message: Message) -> tuple[Task, list[StreamResponse]]:
    """Send one message and fold every event; returns the final task and the raw events."""
    events = [e async for e in client.send_message(SendMessageRequest(message=message))]
    task: Task | None = None
    for e in events:
        task = fold(task, e)
    assert task is not None, f"no task in {[e.WhichOneof('payload') for e in events]}"
    return task, events


def state(task: Task) -> str:
    return TaskState.Name(task.status.state).removeprefix("TASK_STATE_").lower()


def status_text(task: Task) -> str:
    return " ".join(p.text for p in task.status.message.parts if p.text)


def artifact_text(task: Task) -> str:
    return "".join(get_artifact_text(a, delimiter="") for a in task.artifacts)


def kinds(events: Sequence[StreamResponse]) -> list[str]:
    return [e.WhichOneof("payload") for e in events]
