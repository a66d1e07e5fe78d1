"""Dispatch: the A2A gateway to workers. The only module that calls workers' A2A endpoints.

`A2AWorkerGateway.run` sends one message (streaming when the card allows it) and yields `WorkerUpdate`s as
they arrive. It copes with the shapes real agents answer with: a Task first or a status update first, a
Message instead of a Task (treated as a completed answer), a plain JSON body where an SSE stream was due (the
SDK reads it as the one event), a card that advertises streaming while the agent refuses it (sent again once
without streaming), a follow-up answered in a new task (its result is used), and a blocking reply or a stream
that ends before the task settles (it then polls `GetTask` until the task settles). A reply the protobuf
parser rejects fails the attempt, unretried. docs/quirks.md lists each quirk with its outcome and its test.
`reattach` follows a task the worker already has (after a broken stream, or after the orchestrator restarted).
Failures become `DispatchError` with `retryable` set for transport problems (connection refused or broken,
timeouts, HTTP 5xx, 408, 429) and cleared for answers that asking again would not change (HTTP 4xx, invalid
JSON, protocol errors); `task_lost` when the worker no longer knows the task being re-attached to.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from a2a.client import A2AClientError, A2AClientTimeoutError, Client, ClientConfig, ClientFactory
from a2a.types import (
    AgentCard,
    Artifact,
    CancelTaskRequest,
    GetTaskRequest,
    Message,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    Task,
    TaskState,
)
from a2a.utils.constants import TransportProtocol
from a2a.utils.errors import (
    A2AError,
    MethodNotFoundError,
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
)
from google.protobuf.json_format import MessageToDict, ParseError

from .errors import DispatchError
from .models import SubtaskState
from .transport import ResponseTooLarge

log = logging.getLogger(__name__)

STATES = {
    TaskState.TASK_STATE_SUBMITTED: SubtaskState.WORKING,
    TaskState.TASK_STATE_WORKING: SubtaskState.WORKING,
    TaskState.TASK_STATE_COMPLETED: SubtaskState.COMPLETED,
    TaskState.TASK_STATE_FAILED: SubtaskState.FAILED,
    TaskState.TASK_STATE_CANCELED: SubtaskState.CANCELED,
    TaskState.TASK_STATE_REJECTED: SubtaskState.REJECTED,
    TaskState.TASK_STATE_INPUT_REQUIRED: SubtaskState.INPUT_REQUIRED,
    TaskState.TASK_STATE_AUTH_REQUIRED: SubtaskState.FAILED,  # we cannot authenticate on a caller's behalf
}
SETTLED = {s for s in SubtaskState if s.terminal} | {SubtaskState.INPUT_REQUIRED}


@dataclass(frozen=True)
class WorkerUpdate:
    """One thing a worker reported: a state change (with its message) or an artifact chunk."""

    remote_task_id: str
    context_id: str
    state: SubtaskState | None = None
    text: str = ""
    artifact: Artifact | None = None
    append: bool = False
    last_chunk: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)


class WorkerGateway(Protocol):
    def run(self, card: AgentCard, request: SendMessageRequest) -> AsyncIterator[WorkerUpdate]: ...

    def reattach(self, card: AgentCard, remote_task_id: str) -> AsyncIterator[WorkerUpdate]: ...

    async def cancel(self, card: AgentCard, remote_task_id: str) -> None: ...


def _where(card: AgentCard) -> str:
    return card.supported_interfaces[0].url if card.supported_interfaces else card.name


def _text(message: Message) -> str:
    return " ".join(p.text for p in message.parts if p.text)


def _metadata(obj: Any) -> dict[str, Any]:
    return MessageToDict(obj.metadata) if obj.HasField("metadata") else {}


def updates_of(event: StreamResponse) -> list[WorkerUpdate]:
    kind = event.WhichOneof("payload")
    if kind == "task":
        return _task_updates(event.task)
    if kind == "status_update":
        u = event.status_update
        text = _text(u.status.message) if u.status.HasField("message") else ""
        return [WorkerUpdate(u.task_id, u.context_id, STATES.get(u.status.state), text, metadata=_metadata(u))]
    if kind == "artifact_update":
        a = event.artifact_update
        return [
            WorkerUpdate(a.task_id, a.context_id, None, artifact=a.artifact, append=a.append, last_chunk=a.last_chunk)
        ]
    if kind == "message":
        m = event.message
        artifact = Artifact(artifact_id="reply", name="reply", parts=m.parts)
        return [
            WorkerUpdate(m.task_id, m.context_id, None, artifact=artifact, last_chunk=True),
            WorkerUpdate(m.task_id, m.context_id, SubtaskState.COMPLETED, "replied with a message"),
        ]
    return []


def _task_updates(task: Task) -> list[WorkerUpdate]:
    text = _text(task.status.message) if task.status.HasField("message") else ""
    updates = [WorkerUpdate(task.id, task.context_id, None, artifact=a, last_chunk=True) for a in task.artifacts]
    updates.append(
        WorkerUpdate(task.id, task.context_id, STATES.get(task.status.state), text, metadata=_metadata(task))
    )
    return updates


def _dispatch_error(url: str, exc: Exception) -> DispatchError:
    """Classify a failed call by the type of what went wrong (the SDK's `A2AClientError` wraps the httpx or JSON
    error as its `__cause__`), never by message text, which holds URLs and ports. Retryable: nothing usable came
    back and asking again may work (could not connect, the connection broke, a timeout, HTTP 5xx, 408, 429).
    Not retryable: the worker answered something unusable (HTTP 4xx, a body that is not JSON or that the
    protobuf parser rejects, a JSON-RPC error): asking again would re-send the work for the same answer."""
    cause = exc.__cause__ if isinstance(exc, A2AClientError) and exc.__cause__ is not None else exc
    if isinstance(exc, ParseError):
        # a reply the protobuf parser rejects (e.g. a timestamp without a zone, as FastA2A sends): asking again
        # would re-send the work and get the same reply, so it is not retryable; the next candidate is tried
        return DispatchError(url, f"the worker's reply could not be parsed: {str(exc)[:300]}", retryable=False)
    if isinstance(cause, ResponseTooLarge):  # asking again would bring the same flood back
        return DispatchError(url, str(cause), retryable=False)
    if isinstance(exc, A2AClientTimeoutError) or isinstance(cause, httpx.TimeoutException):
        return DispatchError(url, "timed out", retryable=True)
    if isinstance(cause, httpx.HTTPStatusError):
        status = cause.response.status_code
        try:
            body = " ".join(cause.response.text.split())[:200]
        except httpx.ResponseNotRead:
            body = ""
        reason = f"HTTP {status} {cause.response.reason_phrase}" + (f": {body}" if body else "")
        retryable = status >= 500 or status in (408, 429)
        return DispatchError(url, reason, retryable=retryable, status_code=status)
    if isinstance(cause, httpx.TransportError):
        what = "could not connect" if isinstance(cause, httpx.ConnectError) else "the connection broke"
        return DispatchError(url, f"transport error: {what} ({type(cause).__name__}: {cause})"[:300], retryable=True)
    if isinstance(exc, A2AClientError) and isinstance(cause, ValueError):  # json.JSONDecodeError
        return DispatchError(url, f"the worker's reply is not valid JSON: {str(cause)[:300]}", retryable=False)
    if isinstance(exc, A2AError) and not isinstance(exc, A2AClientError):
        # a typed A2A error (unsupported content type, invalid params ...): the worker is up and refused this
        return DispatchError(url, f"{type(exc).__name__}: {str(exc)[:300]}", retryable=False, refused=True)
    if isinstance(exc, A2AClientError):  # a JSON-RPC error with an unknown code, an SSE error event, ...
        return DispatchError(url, f"protocol error: {str(exc)[:300]}", retryable=False)
    return DispatchError(url, f"{type(exc).__name__}: {str(exc)[:300]}", retryable=False)


class A2AWorkerGateway:
    """Dispatch over the real a2a client, one cached `Client` per card, all on one shared httpx client."""

    def __init__(self, http: httpx.AsyncClient, *, poll_interval: float = 0.25) -> None:
        self._http = http
        self._poll_interval = poll_interval
        self._clients: dict[tuple[str, bool], tuple[AgentCard, Client]] = {}
        self._no_streaming: set[str] = set()  # agents whose card says streaming but that refused to stream

    def _client(self, card: AgentCard) -> Client:
        url = _where(card)
        streaming = card.capabilities.streaming and url not in self._no_streaming
        key = (url, streaming)
        cached = self._clients.get(key)
        if cached is not None and (cached[0] is card or cached[0] == card):
            return cached[1]
        config = ClientConfig(
            httpx_client=self._http,
            streaming=streaming,
            supported_protocol_bindings=[TransportProtocol.JSONRPC, TransportProtocol.HTTP_JSON],
        )
        client = ClientFactory(config).create(card)
        self._clients[key] = (card, client)
        return client

    async def _send(self, card: AgentCard, where: str, request: SendMessageRequest) -> AsyncIterator[StreamResponse]:
        """Send `request`, streaming when the card allows it. An agent whose card advertises streaming but that
        refuses SendStreamingMessage (method not found, unsupported operation) before any event accepted nothing,
        so the same message goes once more without streaming, and that agent is not streamed to again."""
        started = False
        try:
            async for event in self._client(card).send_message(request):
                started = True
                yield event
        except (MethodNotFoundError, UnsupportedOperationError) as exc:
            if started or not card.capabilities.streaming or where in self._no_streaming:
                raise
            log.warning("%s advertises streaming but refused it (%s); sending without streaming", where, exc)
            self._no_streaming.add(where)
            async for event in self._client(card).send_message(request):
                yield event

    async def run(self, card: AgentCard, request: SendMessageRequest) -> AsyncIterator[WorkerUpdate]:
        where = _where(card)
        asked = request.message.task_id
        last: WorkerUpdate | None = None
        try:
            async for event in self._send(card, where, request):
                for update in updates_of(event):
                    if update.state is not None:
                        if asked and update.remote_task_id not in ("", asked) and last is None:
                            # some agents answer a follow-up in a new task: its result is used as the answer
                            log.warning(
                                "%s answered the follow-up to task %s in a new task %s",
                                where,
                                asked,
                                update.remote_task_id,
                            )
                        last = update
                    yield update
            if last is not None:
                async for update in self._until_settled(card, last):
                    yield update
        except (A2AError, httpx.HTTPError, ValueError, ParseError) as exc:
            raise _dispatch_error(where, exc) from exc
        if last is None:
            raise DispatchError(where, "the worker's reply carried no task state", retryable=False)

    async def reattach(self, card: AgentCard, remote_task_id: str) -> AsyncIterator[WorkerUpdate]:
        """Follow a task the worker already has (after a broken stream, or after the orchestrator restarted):
        SubscribeToTask when the card allows streaming (the task first, then its events), else GetTask; then
        polls until the task settles. A task the worker no longer knows is a retryable error with `task_lost`."""
        where = _where(card)
        client = self._client(card)
        last: WorkerUpdate | None = None
        try:
            if card.capabilities.streaming and where not in self._no_streaming:
                with contextlib.suppress(UnsupportedOperationError):  # already terminal: nothing to stream
                    async for event in client.subscribe(SubscribeToTaskRequest(id=remote_task_id)):
                        for update in updates_of(event):
                            last = update if update.state is not None else last
                            yield update
                        if last is not None and last.state in SETTLED:
                            return  # a subscription stays open while the task waits for input
            if last is None:
                for update in _task_updates(await client.get_task(GetTaskRequest(id=remote_task_id))):
                    last = update if update.state is not None else last
                    yield update
            if last is not None:
                async for update in self._until_settled(card, last):
                    yield update
        except TaskNotFoundError as exc:  # e.g. it restarted before its store had the task: send the message again
            reason = f"the worker no longer has task {remote_task_id}"
            raise DispatchError(where, reason, retryable=True, task_lost=True) from exc
        except (A2AError, httpx.HTTPError, ValueError, ParseError) as exc:
            raise _dispatch_error(where, exc) from exc

    async def _until_settled(self, card: AgentCard, last: WorkerUpdate) -> AsyncIterator[WorkerUpdate]:
        """A blocking reply or a stream that ended before the task settled: poll GetTask until it does."""
        client = self._client(card)
        while last.state not in SETTLED:
            await asyncio.sleep(self._poll_interval)
            task = await client.get_task(GetTaskRequest(id=last.remote_task_id))
            if STATES.get(task.status.state) == last.state:
                continue
            updates = _task_updates(task)  # artifacts (append=False: idempotent), then the state
            for update in updates:
                yield update
            last = updates[-1]

    async def cancel(self, card: AgentCard, remote_task_id: str) -> None:
        """Ask the worker to cancel; a task that is already gone or finished is fine."""
        try:
            await self._client(card).cancel_task(CancelTaskRequest(id=remote_task_id))
        except (TaskNotFoundError, TaskNotCancelableError):
            pass
        except (A2AError, httpx.HTTPError) as exc:
            log.warning("cancel of remote task %s failed: %s", remote_task_id, exc)

    async def aclose(self) -> None:
        for _, client in self._clients.values():
            await client.close()
        self._clients.clear()
