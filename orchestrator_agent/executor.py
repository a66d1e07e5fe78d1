"""`OrchestratorExecutor`: the orchestrator's A2A boundary.

Per goal the caller sees: the Task; `working` updates carrying progress events as data parts (the plan, each
subtask's state with worker and skill); worker artifacts relayed as they arrive, tagged with their origin;
then the `result` artifact (text + manifest data part) and `completed` or `failed`. A worker's question
becomes the orchestrator's own `input-required`; the caller's reply on the same task resumes the goal.
Cancelling the task cancels the goal and with it every open worker task.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, Part, TaskState
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value

from agents.runtime.parts import KIND_KEY

from .errors import GoalInputError, PlanError
from .goal import Finished, GoalRequest, GoalSession, PlanReady, Question, SessionEvent, read_request
from .handoff import CHAIN_KEY, DEPTH_KEY, USAGE_KEY
from .scheduler import ArtifactEvent, SubtaskEvent

log = logging.getLogger(__name__)

PROGRESS_KIND = "progress"
MANIFEST_KIND = "manifest"
RESULT_ARTIFACT_ID = "result"

SessionFactory = Callable[[str, GoalRequest, int, tuple[str, ...]], GoalSession]


def _data(payload: dict[str, Any], kind: str) -> Part:
    return Part(data=ParseDict(payload, Value()), metadata={KIND_KEY: kind}, media_type="application/json")


class OrchestratorExecutor(AgentExecutor):
    def __init__(self, new_session: SessionFactory, *, max_depth: int, self_url: str = "") -> None:
        self._new_session = new_session
        self._max_depth = max_depth
        self._self_url = self_url.rstrip("/")
        self._sessions: dict[str, GoalSession] = {}

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        task = context.current_task
        if task is None:
            task = new_task_from_user_message(context.message)
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        session = self._sessions.get(task.id)
        try:
            if session is None and context.current_task is not None:
                # a reply to a goal this process no longer runs (it was restarted): never mistake it for a new goal
                await updater.failed(_say(updater, "This goal is no longer running here; send the goal again."))
                return
            if session is None:
                depth, chain = _delegation(context.metadata)
                refusal = self._refusal(depth, chain)
                if refusal:
                    await updater.reject(_say(updater, refusal))
                    return
                session = self._open(task.id, context, depth, (*chain, self._self_url))
            else:
                session.reply(context.message.parts)
                await updater.start_work(_say(updater, "Resuming with your reply."))
            await self._relay(session, updater)
        except GoalInputError as exc:
            await updater.failed(_say(updater, exc.message))
        except PlanError as exc:
            await updater.failed(_say(updater, exc.message))
        except Exception:
            log.exception("goal %s: unexpected error", task.id)
            await self._close(task.id)
            await updater.failed(_say(updater, "The orchestrator hit an internal error; the goal was stopped."))

    def _refusal(self, depth: int, chain: tuple[str, ...]) -> str:
        """Why a delegated goal must not run here (too deep, or a cycle back to this orchestrator), or ''."""
        if depth > self._max_depth:
            return f"Delegation depth {depth} exceeds this orchestrator's limit of {self._max_depth}."
        if self._self_url and self._self_url in chain:
            return f"Delegation cycle: this goal already passed through {self._self_url} ({' -> '.join(chain)})."
        return ""

    def _open(self, task_id: str, context: RequestContext, depth: int, chain: tuple[str, ...]) -> GoalSession:
        request = read_request(context.message)  # type: ignore[arg-type]
        session = self._new_session(task_id, request, depth, chain)
        self._sessions[task_id] = session
        session.start()
        return session

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
        if isinstance(event, PlanReady):
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
        if event.state == "completed":
            await updater.update_status(TaskState.TASK_STATE_COMPLETED, _say(updater, "Done."), metadata=meta)
        else:
            await updater.update_status(
                TaskState.TASK_STATE_FAILED, _say(updater, f"The goal failed: {event.reason}"), metadata=meta
            )

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

    async def aclose(self) -> None:
        """Stop every running goal (shutdown)."""
        for task_id in list(self._sessions):
            with contextlib.suppress(Exception):
                await self._close(task_id)


def _delegation(metadata: dict[str, Any]) -> tuple[int, tuple[str, ...]]:
    """Depth and chain of orchestrators from a request's metadata (untrusted: malformed values count as none)."""
    try:
        depth = max(0, int(float(metadata.get(DEPTH_KEY, 0) or 0)))
    except (TypeError, ValueError):
        depth = 0
    raw = metadata.get(CHAIN_KEY)
    chain = tuple(str(u).rstrip("/") for u in raw[:32]) if isinstance(raw, list) else ()
    return depth, chain


def _say(updater: TaskUpdater, text: str, *extra: Part) -> Message:
    return updater.new_agent_message([Part(text=text), *extra])
