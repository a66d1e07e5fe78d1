"""`SwitchboardRequestHandler`: the SDK's request handler plus two guarantees every Switchboard agent keeps.

1. A message sent twice does not start work twice. A resent `messageId` (same owner) is answered from the task
   the first copy went to: a blocking send waits for that task to settle and returns it; a stream replays it
   (the task, then its remaining events). See `ledger.MessageLedger`.
2. No task stays `working` forever across a restart. At startup, `resume_interrupted` finds the tasks the last
   process left unsettled and hands each to the executor again, as a request without a message
   (`RequestContext.message is None`), if the executor lists the task's state in its `resume_states`; any
   other unsettled task is marked failed with the reason. The executor decides what resuming means: a worker
   runs the task again from its history, the orchestrator continues the goal from its journal.

Resuming uses the handler's task registry (a private attribute of the SDK's handler, pinned by the restart
tests): it is the only way to run an executor for a task without a caller's request.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, AsyncIterator, Collection, Iterable
from typing import Any

from a2a.auth.user import User
from a2a.server.agent_execution import RequestContext, RequestContextBuilder, SimpleRequestContextBuilder
from a2a.server.agent_execution.active_task import INTERRUPTED_TASK_STATES, TERMINAL_TASK_STATES
from a2a.server.context import ServerCallContext
from a2a.server.events import Event
from a2a.server.id_generator import IDGenerator, IDGeneratorContext, UUIDGenerator
from a2a.server.models import TaskModel
from a2a.server.owner_resolver import resolve_user_scope
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.types import (
    GetTaskRequest,
    Message,
    Part,
    Role,
    SendMessageRequest,
    SubscribeToTaskRequest,
    Task,
    TaskState,
    TaskStatus,
    TaskStatusUpdateEvent,
)
from a2a.utils.errors import TaskNotFoundError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from .ledger import MessageLedger
from .limits import check_parts
from .store import WriteBehindTaskStore

log = logging.getLogger(__name__)

SETTLED = TERMINAL_TASK_STATES | INTERRUPTED_TASK_STATES
UNSETTLED = frozenset({TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING})
RESUMABLE_SCAN = UNSETTLED | frozenset(INTERRUPTED_TASK_STATES)
StoredState = tuple[str, str, str, int]  # task id, owner, context id, state


class Owner(User):
    """The user a stored task belongs to, for work done on its behalf without a request (resuming)."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def is_authenticated(self) -> bool:
        return bool(self._name)

    @property
    def user_name(self) -> str:
        return self._name


class _BindingContextBuilder(RequestContextBuilder):
    """Builds request contexts as the SDK does, and tells the ledger which task each message went to as soon
    as the task id is known (before the executor runs), so a duplicate arriving meanwhile can follow it."""

    def __init__(self, ledger: MessageLedger, task_ids: IDGenerator | None = None) -> None:
        self._inner = SimpleRequestContextBuilder(task_id_generator=task_ids)
        self._ledger = ledger

    async def build(
        self,
        context: ServerCallContext,
        params: SendMessageRequest | None = None,
        task_id: str | None = None,
        context_id: str | None = None,
        task: Task | None = None,
    ) -> RequestContext:
        built = await self._inner.build(context, params, task_id, context_id, task)
        if params is not None and built.task_id and self._ledger.tracks(params.message.message_id):
            self._ledger.bind(resolve_user_scope(context), params.message.message_id, built.task_id)
        return built


class _NewTaskIds(UUIDGenerator):
    """Random task ids, each announced to the task store as new, so that it need not look it up."""

    def __init__(self, store: WriteBehindTaskStore) -> None:
        self._store = store

    def generate(self, context: IDGeneratorContext) -> str:
        task_id = super().generate(context)
        self._store.expect_new(task_id)
        return task_id


class SwitchboardRequestHandler(DefaultRequestHandler):
    def __init__(self, *, ledger: MessageLedger, engine: AsyncEngine, max_parts: int = 64, **kwargs: Any) -> None:
        store = kwargs.get("task_store")
        task_ids = _NewTaskIds(store) if isinstance(store, WriteBehindTaskStore) else None
        super().__init__(request_context_builder=_BindingContextBuilder(ledger, task_ids), **kwargs)
        self._ledger = ledger
        self._engine = engine
        self._max_parts = max_parts

    async def on_message_send(self, params: SendMessageRequest, context: ServerCallContext) -> Message | Task:
        check_parts(params.message, self._max_parts)
        key = self._key(params, context)
        if key is not None:
            earlier = await self._ledger.claim(*key)
            if earlier is not None:
                return await self._replay(earlier, params, context)
        try:
            result: Message | Task = await super().on_message_send(params, context)
            return result
        finally:
            if key is not None:
                self._ledger.release(*key)  # no-op once the message was bound to its task

    async def on_message_send_stream(
        self, params: SendMessageRequest, context: ServerCallContext
    ) -> AsyncGenerator[Event, None]:
        check_parts(params.message, self._max_parts)
        key = self._key(params, context)
        if key is not None:
            earlier = await self._ledger.claim(*key)
            if earlier is not None:
                async for event in self._follow(earlier, context):
                    yield event
                return
        try:
            async for event in super().on_message_send_stream(params, context):
                yield event
        finally:
            if key is not None:
                self._ledger.release(*key)

    def _key(self, params: SendMessageRequest, context: ServerCallContext) -> tuple[str, str] | None:
        message_id = params.message.message_id
        return (resolve_user_scope(context), message_id) if self._ledger.tracks(message_id) else None

    async def _replay(self, task_id: str, params: SendMessageRequest, context: ServerCallContext) -> Task:
        """The answer to a resent blocking send: the first copy's task, once settled (at once if the caller asked
        for `return_immediately`)."""
        if not params.configuration.return_immediately:
            async for _ in self._follow(task_id, context):
                pass
        request = GetTaskRequest(id=task_id)
        if params.configuration.HasField("history_length"):
            request.history_length = params.configuration.history_length
        task: Task | None = await self.on_get_task(request, context)
        if task is None:
            raise TaskNotFoundError
        return task

    async def _follow(self, task_id: str, context: ServerCallContext) -> AsyncIterator[Event]:
        """The task, then its events until it settles (terminal, or waiting for input)."""
        active = await self._active_task_registry.get(task_id)
        if active is not None and not active.is_finished:
            events: AsyncIterator[Event] = active.subscribe(include_initial_task=True)
        else:
            stored = await self.on_get_task(GetTaskRequest(id=task_id), context)
            if stored is None:
                raise TaskNotFoundError
            if stored.status.state in SETTLED:
                yield stored
                return
            events = self.on_subscribe_to_task(SubscribeToTaskRequest(id=task_id), context)
        async for event in events:
            yield event
            if _settled(event):
                break

    async def resume_interrupted(self, resume_states: frozenset[int]) -> int:
        """Hand every task the last process left unsettled back to the executor (states in `resume_states`), or
        fail it (unsettled states the executor does not resume). Returns how many were resumed."""
        resumed = await self.resume(await unsettled_tasks(self._engine), resume_states)
        if resumed:
            log.info("resumed %d task(s) interrupted by the last shutdown", resumed)
        return resumed

    async def resume(self, tasks: Iterable[StoredState], resume_states: frozenset[int]) -> int:
        """Run the executor again for each of `tasks` in one of `resume_states`, as a request without a message;
        fail the other unsettled ones. Also how a cluster replica takes over a dead replica's tasks."""
        resumed = 0
        for task_id, owner, context_id, state in tasks:
            call = ServerCallContext(user=Owner(owner))
            try:
                if state in resume_states:
                    active = await self._active_task_registry.get_or_create(task_id, call_context=call)
                    request = RequestContext(call_context=call, task_id=task_id, context_id=context_id)
                    await active.enqueue_request(request)
                    resumed += 1
                elif state in UNSETTLED:
                    await self._fail_interrupted(task_id, call)
            except Exception:  # one task that cannot be resumed must not keep the agent from starting
                log.exception("task %s could not be resumed", task_id)
        return resumed

    async def _fail_interrupted(self, task_id: str, call: ServerCallContext) -> None:
        stored = await self._versioned_store.get(task_id, call)
        if stored is None:
            return
        failed = _interrupted(stored.task)
        update = TaskStatusUpdateEvent(task_id=task_id, context_id=failed.context_id, status=failed.status)
        await self._versioned_store.save(
            failed, event=update, prev=stored.task, prev_version=stored.version, context=call
        )


def _settled(event: Event) -> bool:
    if isinstance(event, Task | TaskStatusUpdateEvent):
        return event.status.state in SETTLED
    return isinstance(event, Message)


def _interrupted(task: Task) -> Task:
    failed = Task()
    failed.CopyFrom(task)
    text = "Interrupted by a restart of the agent; send the request again."
    failed.status.CopyFrom(
        TaskStatus(
            state=TaskState.TASK_STATE_FAILED,
            message=Message(role=Role.ROLE_AGENT, message_id=f"{task.id}-interrupted", parts=[Part(text=text)]),
        )
    )
    failed.status.timestamp.GetCurrentTime()
    return failed


async def unsettled_tasks(engine: AsyncEngine, ids: Collection[str] | None = None) -> list[StoredState]:
    """(task id, owner, context id, state) of every stored task (of `ids`, if given) in a state that needs a
    producer."""
    names = {TaskState.Name(s): s for s in RESUMABLE_SCAN}
    query = select(TaskModel.id, TaskModel.owner, TaskModel.context_id, TaskModel.status["state"].as_string()).where(
        TaskModel.status["state"].as_string().in_(list(names))
    )
    if ids is not None:
        query = query.where(TaskModel.id.in_(list(ids)))
    async with engine.connect() as conn:
        rows = (await conn.execute(query)).all()
    return [(r[0], r[1] or "", r[2], names[r[3]]) for r in rows]
