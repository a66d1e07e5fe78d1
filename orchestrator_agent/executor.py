"""`OrchestratorExecutor`: the orchestrator's A2A boundary.

Per goal the caller sees: the Task; `working` updates carrying progress events as data parts (the plan, each
subtask's state with worker and skill); worker artifacts relayed as they arrive, tagged with their origin;
then the `result` artifact (text + manifest data part) and `completed` or `failed`. A worker's question
becomes the orchestrator's own `input-required`; the caller's reply on the same task resumes the goal.
Cancelling the task cancels the goal and with it every open worker task.

After a restart the request handler hands back every goal left `submitted`, `working` or `input-required`
(a request without a message); the goal continues from the journal, or fails with the reason if the journal
never heard of it. `aclose` (shutdown) drains: no new subtask starts, running ones get a grace period, then the
goals are suspended (their worker tasks keep running) to be resumed by the next process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, Part, Task, TaskState
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host.logs import bind_ids
from agents.host.wire import KIND_KEY

from .errors import GoalInputError, PlanError
from .goal import (
    Finished,
    GoalOrigin,
    GoalRequest,
    GoalSession,
    PlanReady,
    Question,
    Queued,
    Resumed,
    SessionEvent,
    read_request,
)
from .handoff import CHAIN_KEY, DEPTH_KEY, USAGE_KEY
from .journal import GoalJournal, SavedGoal
from .scheduler import ArtifactEvent, Scheduler, SubtaskEvent

log = logging.getLogger(__name__)

PROGRESS_KIND = "progress"
MANIFEST_KIND = "manifest"
RESULT_ARTIFACT_ID = "result"

SessionFactory = Callable[[GoalOrigin, GoalRequest, SavedGoal | None], GoalSession]


def _data(payload: dict[str, Any], kind: str) -> Part:
    return Part(data=ParseDict(payload, Value()), metadata={KIND_KEY: kind}, media_type="application/json")


class OrchestratorExecutor(AgentExecutor):
    resume_states = frozenset(
        {TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING, TaskState.TASK_STATE_INPUT_REQUIRED}
    )

    def __init__(
        self,
        new_session: SessionFactory,
        journal: GoalJournal,
        scheduler: Scheduler,
        *,
        max_depth: int,
        self_url: str = "",
        shutdown_grace: float = 10.0,
        max_goals_per_caller: int = 256,
    ) -> None:
        self._new_session = new_session
        self._journal = journal
        self._scheduler = scheduler
        self._max_depth = max_depth
        self._self_url = self_url.rstrip("/")
        self._shutdown_grace = shutdown_grace
        self._max_goals_per_caller = max_goals_per_caller
        self._sessions: dict[str, GoalSession] = {}
        self._closing = False

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        arrival: _Arrival | None = None
        if task is None:
            assert context.message is not None  # only a resumed goal comes without a message, and it exists
            task = new_task_from_user_message(context.message)
        bind_ids(goal_id=task.id)  # this request's own asyncio task, and the goal's work it starts
        if context.current_task is None:
            if not self._closing:
                arrival = await self._arrive(task, context)
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        session = self._sessions.get(task.id)
        try:
            if context.message is None:  # a goal the last process left unfinished
                if session is None:
                    await self._resume(task.id, updater)
                return
            if self._closing:
                await updater.failed(_say(updater, "The orchestrator is shutting down; send the goal again shortly."))
                return
            if arrival is not None and arrival.session is None:
                refuse = updater.reject if arrival.rejected else updater.failed
                await refuse(_say(updater, arrival.reason))
                return
            if session is None:
                # a reply to a goal this process no longer runs (it was restarted): never mistake it for a new goal
                await updater.failed(_say(updater, "This goal is no longer running here; send the goal again."))
                return
            if arrival is None:
                session.reply(context.message.parts)
                await updater.start_work(_say(updater, "Resuming with your reply."))
            await self._relay(session, updater)
        except asyncio.CancelledError:
            if not self._closing:  # cancelled from elsewhere (another replica wrote CANCELED): stop the goal's work
                await asyncio.shield(self._close(task.id))
            raise
        except GoalInputError as exc:  # a reply to a goal that is not waiting for one
            await updater.failed(_say(updater, exc.message))
        except Exception:
            log.exception("goal %s: unexpected error", task.id)
            await self._close(task.id)
            await updater.failed(_say(updater, "The orchestrator hit an internal error; the goal was stopped."))

    async def _arrive(self, task: Task, context: RequestContext) -> _Arrival:
        """Decide on a new goal before its caller hears of it. A goal refused (delegation depth or cycle, the
        caller's limit) or unreadable gets the reason. A goal that runs is counted against its caller's limit at
        once, journaled (awaited: the task store writes the goal's task behind, and after a crash the next process
        restores it from the journal), then started."""
        assert context.message is not None
        depth, chain = _delegation(context.metadata)
        owner = _owner(context)
        running = sum(1 for s in self._sessions.values() if s.origin.owner == owner)
        limit = self._max_goals_per_caller
        refusal = self._refusal(depth, chain) or (
            f"You have {running} goals running; the limit is {limit}." if running >= limit else ""
        )
        if refusal:
            return _Arrival(reason=refusal, rejected=True)
        try:
            request = read_request(context.message)
        except (GoalInputError, PlanError) as exc:
            return _Arrival(reason=exc.message)
        origin = GoalOrigin(task.id, owner, task.context_id, context.message, depth, (*chain, self._self_url))
        session = self._new_session(origin, request, None)
        self._sessions[task.id] = session  # counted from now: no await between the limit check and here
        try:
            await self._journal.open(
                task.id,
                owner=owner,
                context_id=task.context_id,
                request=context.message,
                depth=depth,
                chain=origin.chain,
            )
        except BaseException as exc:
            self._sessions.pop(task.id, None)
            if not isinstance(exc, Exception):
                raise
            log.exception("goal %s: could not be journaled", task.id)
            return _Arrival(reason="The orchestrator could not record the goal; send it again.")
        if self._sessions.get(task.id) is not session:  # dropped meanwhile: the orchestrator is shutting down
            return _Arrival(reason="The orchestrator is shutting down; send the goal again shortly.")
        session.start()
        log.info("goal %s: accepted from %s (depth %d)", task.id, owner or "anonymous", depth)
        return _Arrival(session=session)

    def _refusal(self, depth: int, chain: tuple[str, ...]) -> str:
        """Why a delegated goal must not run here (too deep, or a cycle back to this orchestrator), or ''."""
        if depth > self._max_depth:
            return f"Delegation depth {depth} exceeds this orchestrator's limit of {self._max_depth}."
        if self._self_url and self._self_url in chain:
            return f"Delegation cycle: this goal already passed through {self._self_url} ({' -> '.join(chain)})."
        return ""

    def _start(self, origin: GoalOrigin, request: GoalRequest, saved: SavedGoal | None) -> GoalSession:
        session = self._new_session(origin, request, saved)
        self._sessions[origin.goal_id] = session
        session.start()
        return session

    async def _resume(self, goal_id: str, updater: TaskUpdater) -> None:
        """Continue a goal the last process left unfinished, from the journal."""
        saved = await self._journal.load(goal_id)
        if saved is None:
            reason = "The orchestrator restarted before this goal was recorded; send the goal again."
            await updater.failed(_say(updater, reason))
            return
        origin = GoalOrigin(goal_id, saved.owner, saved.context_id, saved.request, saved.depth, saved.chain)
        try:
            request = read_request(saved.request)
        except (GoalInputError, PlanError) as exc:  # it was read once already; a newer version may read it otherwise
            await updater.failed(_say(updater, f"The goal could not be resumed: {exc.message}"))
            self._journal.close(goal_id)
            return
        await self._relay(self._start(origin, request, saved), updater)

    async def _relay(self, session: GoalSession, updater: TaskUpdater) -> None:
        """Forward the session's events until it finishes or asks the caller something."""
        while True:
            event = await session.events.get()
            if isinstance(event, Question):
                await updater.update_status(
                    TaskState.TASK_STATE_INPUT_REQUIRED,
                    _say(
                        updater,
                        event.text,
                        _data(
                            {"event": "question", "subtask_id": event.subtask_id, "question": event.text}, PROGRESS_KIND
                        ),
                    ),
                )
                return
            if isinstance(event, Finished):
                await self._finish(session, updater, event)
                return
            await self._forward(updater, event)

    async def _forward(self, updater: TaskUpdater, event: SessionEvent) -> None:
        if isinstance(event, Queued):
            text = "Queued: every goal slot is taken; the goal starts when one frees up."
            await updater.update_status(
                TaskState.TASK_STATE_WORKING, _say(updater, text, _data({"event": "queued"}, PROGRESS_KIND))
            )
        elif isinstance(event, Resumed):
            info = {"event": "resumed", "finished": event.finished, "running": event.running}
            text = (
                f"Resumed after a restart: {event.finished} of {len(event.plan.subtasks)} subtasks had finished, "
                f"{event.running} re-attached."
            )
            await updater.update_status(TaskState.TASK_STATE_WORKING, _say(updater, text, _data(info, PROGRESS_KIND)))
        elif isinstance(event, PlanReady):
            plan = event.plan.model_dump(mode="json")
            steps = ", ".join(f"{s.id}→{s.skill}" for s in event.plan.subtasks)
            await updater.update_status(
                TaskState.TASK_STATE_WORKING,
                _say(
                    updater,
                    f"Plan ({event.plan.source}): {steps}",
                    _data({"event": "plan", "plan": plan}, PROGRESS_KIND),
                ),
            )
        elif isinstance(event, SubtaskEvent):
            info = {
                "event": "subtask",
                "subtask_id": event.subtask_id,
                "skill": event.skill,
                "state": event.state.value,
                "worker": event.worker_name,
                "worker_url": event.worker_url,
                "remote_task_id": event.remote_task_id,
                "detail": event.detail[:500],
            }
            who = f" on {event.worker_name}" if event.worker_name else ""
            await updater.update_status(
                TaskState.TASK_STATE_WORKING,
                _say(
                    updater, f"{event.subtask_id} ({event.skill}){who}: {event.state.value}", _data(info, PROGRESS_KIND)
                ),
            )
        elif isinstance(event, ArtifactEvent):
            origin = {
                "subtask_id": event.subtask_id,
                "skill": event.skill,
                "worker": event.worker_name,
                "worker_url": event.worker_url,
            }
            await updater.add_artifact(
                list(event.artifact.parts),
                artifact_id=f"{event.subtask_id}.{event.artifact.artifact_id}",
                name=f"{event.subtask_id} · {event.worker_name} · {event.artifact.name}".strip(" ·"),
                metadata=origin,
                append=event.append,
                last_chunk=event.last_chunk,
            )

    async def _finish(self, session: GoalSession, updater: TaskUpdater, event: Finished) -> None:
        self._sessions.pop(session.goal_id, None)
        parts = [Part(text=event.text, media_type="text/markdown"), _data(event.manifest, MANIFEST_KIND)]
        await updater.add_artifact(parts, artifact_id=RESULT_ARTIFACT_ID, name="result", last_chunk=True)
        meta = {USAGE_KEY: event.usage.model_dump()}
        log.info("goal %s: %s%s", session.goal_id, event.state, f" ({event.reason[:200]})" if event.reason else "")
        if event.state == "completed":
            unserved = event.manifest.get("unserved") or []
            done = f"Done, except {len(unserved)} part(s) that cannot be served here." if unserved else "Done."
            await updater.update_status(TaskState.TASK_STATE_COMPLETED, _say(updater, done), metadata=meta)
        elif event.state == "rejected":
            await updater.update_status(
                TaskState.TASK_STATE_REJECTED, _say(updater, f"Rejected: {event.reason}"), metadata=meta
            )
        else:
            await updater.update_status(
                TaskState.TASK_STATE_FAILED, _say(updater, f"The goal failed: {event.reason}"), metadata=meta
            )
        session.forget()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        task_id = context.task_id or (task.id if task else "")
        await self._close(task_id)
        updater = TaskUpdater(event_queue, task_id, task.context_id if task else context.context_id or "")
        await updater.cancel(_say(updater, "Canceled; every open worker task was canceled too."))

    async def _close(self, task_id: str) -> None:
        session = self._sessions.pop(task_id, None)
        if session is not None:
            await session.cancel()
            session.forget()

    async def aclose(self) -> None:
        """Shutdown: start no new goal or subtask, give running subtasks `shutdown_grace` seconds to finish, then
        suspend every goal (its worker tasks keep running; the journal has all it needs to resume it)."""
        self._closing = True
        if self._sessions:
            drained = await self._scheduler.drain(self._shutdown_grace)
            log.info("shutdown: %d goal(s) suspended for resume (subtasks drained: %s)", len(self._sessions), drained)
        self._scheduler.suspending = True
        for task_id in list(self._sessions):
            session = self._sessions.pop(task_id)
            with contextlib.suppress(Exception):
                await session.cancel()
        await self._journal.flush()


def _delegation(metadata: dict[str, Any]) -> tuple[int, tuple[str, ...]]:
    """Depth and chain of orchestrators from a request's metadata (untrusted: malformed values count as none)."""
    try:
        depth = max(0, int(float(metadata.get(DEPTH_KEY, 0) or 0)))
    except (TypeError, ValueError):
        depth = 0
    raw = metadata.get(CHAIN_KEY)
    chain = tuple(str(u).rstrip("/") for u in raw[:32]) if isinstance(raw, list) else ()
    return depth, chain


@dataclass(frozen=True)
class _Arrival:
    """A new goal as decided: its started session, or why it does not run (`rejected`: refused, else failed)."""

    session: GoalSession | None = None
    reason: str = ""
    rejected: bool = False


def _owner(context: RequestContext) -> str:
    return context.call_context.user.user_name if context.call_context else ""


def _say(updater: TaskUpdater, text: str, *extra: Part) -> Message:
    return updater.new_agent_message([Part(text=text), *extra])
