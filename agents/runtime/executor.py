"""`WorkerExecutor`: the A2A boundary of a worker.

Event order per request: the Task first (first turn only), `working` with progress messages, the result
artifact in chunks, then exactly one of `completed`, `input-required` (a question; the next message on the
same task resumes it), `rejected` (out of scope), `failed` (a readable reason, never internals). This is the
one place that catches broadly: any unexpected error is logged with its traceback and the task fails.

A task the last process left `submitted` or `working` (a crash, a redeploy) is run again from its history when
the worker starts (see `handler.resume_interrupted`): the tools are pure, so running again is safe, and a caller
re-attaching to the task gets its result. A task interrupted a second time fails instead (a task that crashes
the worker must not crash it on every start).
"""

from __future__ import annotations

import logging
import math
from typing import Any

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.tasks import TaskUpdater
from a2a.types import Message, Part, Task, TaskState
from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host import tracing
from agents.host.errors import InputError, ModelError
from agents.host.fetch import FileFetcher
from agents.host.logs import bind_ids
from agents.host.wire import KIND_KEY, QUESTION_KIND, SUBTASK_KIND, Usage

from .loop import AgentLoop, Answer, Outcome, Question, Refusal, StepLimit, ToolFailure
from .parts import data_of, metadata_of, read_conversation

log = logging.getLogger(__name__)

RESULT_ARTIFACT_ID = "result"
USAGE_KEY = "switchboard.usage"
RESUMED_KEY = "switchboard.resumed"
TRUNCATED_KEY = "switchboard.truncated"  # on the result artifact and the final status: the answer was cut short
TRUNCATED_NOTE = "(cut short at the model's output limit)"
MAX_RESUMES = 1


def chunk_text(text: str, size: int) -> list[str]:
    """Split text into pieces of at most `size` characters, preferring line breaks."""
    chunks: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut + 1 if cut > size // 2 else size
        chunks.append(text[:cut])
        text = text[cut:]
    if text or not chunks:
        chunks.append(text)
    return chunks


def json_safe(value: Any) -> Any:
    """`value` made representable as a protobuf `Value` (numbers are doubles there): integers beyond 2**53
    become strings, so they are not rounded, and NaN or infinity become None."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return str(value)


def usage_metadata(usage: Usage, model: str = "") -> dict[str, Any]:
    """Task metadata reporting `usage`, and the model id that spent it when known."""
    return {USAGE_KEY: {**usage.model_dump(), **({"model": model} if model else {})}}


class WorkerExecutor(AgentExecutor):
    resume_states = frozenset({TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING})

    def __init__(
        self,
        loop: AgentLoop,
        *,
        name: str,
        max_input_bytes: int,
        chunk_chars: int,
        fetcher: FileFetcher | None = None,
        model_id: str = "",
    ) -> None:
        self._loop = loop
        self._model_id = model_id  # reported with usage, so the orchestrator can estimate cost
        self._fetcher = fetcher or FileFetcher(frozenset(), max_bytes=max_input_bytes, timeout=10.0)
        self._name = name
        self._max_input_bytes = max_input_bytes
        self._chunk_chars = chunk_chars

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        """Work on the task under a `task` span: a child of the caller's span when it sent W3C trace context."""
        with tracing.span("task", agent=self._name, task_id=context.task_id or ""):
            await self._execute(context, event_queue)

    async def _execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        if task is None:
            assert context.message is not None  # only a resumed task comes without a message, and it exists
            task = new_task_from_user_message(context.message)
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        _bind_log_ids(task, context.message, self._name)
        try:
            turns = await self._fetcher.inline(_turns(task, context.message))
            worker_input = read_conversation(turns, self._max_input_bytes)
        except InputError as exc:
            await updater.failed(_say(updater, exc.message))
            return
        if context.message is None:  # resumed after a restart
            resumed = int(MessageToDict(task.metadata).get(RESUMED_KEY, 0)) if task.HasField("metadata") else 0
            if resumed >= MAX_RESUMES:
                await updater.failed(_say(updater, "Interrupted by a restart again; not resumed a second time."))
                return
            await updater.update_status(
                TaskState.TASK_STATE_WORKING,
                _say(updater, f"{self._name} restarted; working on it again"),
                metadata={RESUMED_KEY: resumed + 1},
            )
        else:
            await updater.start_work(_say(updater, f"{self._name} is working on it"))
        try:
            outcome = await self._loop.run(worker_input, progress=lambda text: _progress(updater, text))
            log.info("task %s: %s after %d model call(s)", task.id, type(outcome).__name__.lower(), outcome.usage.calls)
            await self._finish(updater, task, outcome)
        except ModelError as exc:
            log.warning("task %s: model failed: %s", task.id, exc.message)
            await updater.failed(_say(updater, f"The model service failed: {exc.message}"))
            return
        except Exception:
            log.exception("task %s: unexpected error in %s", task.id, self._name)
            await updater.failed(_say(updater, f"{self._name} hit an internal error and could not finish"))

    async def _finish(self, updater: TaskUpdater, task: Task, outcome: Outcome) -> None:
        meta = usage_metadata(outcome.usage, self._model_id)
        if isinstance(outcome, Answer) and not (outcome.text.strip() or outcome.results):
            # nothing to hand over is not a success: the caller tries another agent or reports the gap
            why = "was cut short at its output limit before" if outcome.truncated else "finished without"
            log.warning("task %s: the model %s producing an answer", task.id, why)
            await updater.update_status(
                TaskState.TASK_STATE_FAILED, _say(updater, f"The model {why} producing an answer."), metadata=meta
            )
        elif isinstance(outcome, Answer):
            await self._publish(updater, outcome)
            if outcome.truncated:
                meta[TRUNCATED_KEY] = True
            note = f" {TRUNCATED_NOTE}" if outcome.truncated else ""
            await updater.update_status(TaskState.TASK_STATE_COMPLETED, _say(updater, f"Done{note}."), metadata=meta)
        elif isinstance(outcome, Question):
            question = updater.new_agent_message([Part(text=outcome.text)], metadata={KIND_KEY: QUESTION_KIND})
            await updater.update_status(TaskState.TASK_STATE_INPUT_REQUIRED, question, metadata=meta)
        elif isinstance(outcome, Refusal):
            await updater.update_status(
                TaskState.TASK_STATE_REJECTED,
                _say(updater, f"Out of scope for {self._name}: {outcome.reason}"),
                metadata=meta,
            )
        elif isinstance(outcome, ToolFailure):
            await updater.update_status(
                TaskState.TASK_STATE_FAILED,
                _say(updater, f"{self._name} could not do it: {outcome.reason}"),
                metadata=meta,
            )
        elif isinstance(outcome, StepLimit):
            log.warning("task %s: step limit %d reached", task.id, outcome.steps)
            await updater.update_status(
                TaskState.TASK_STATE_FAILED,
                _say(updater, f"Stopped after {outcome.steps} steps without reaching an answer."),
                metadata=meta,
            )

    async def _publish(self, updater: TaskUpdater, answer: Answer) -> None:
        text_chunks = chunk_text(answer.text, self._chunk_chars)
        data_parts = [
            Part(data=ParseDict(json_safe(r.data), Value()), metadata={"tool": r.tool}, media_type="application/json")
            for r in answer.results
        ]
        chunks: list[list[Part]] = [[Part(text=t, media_type="text/markdown")] for t in text_chunks]
        chunks[-1].extend(data_parts)
        for i, parts in enumerate(chunks):
            await updater.add_artifact(
                parts,
                artifact_id=RESULT_ARTIFACT_ID,
                name=f"{self._name} result",
                append=i > 0,
                last_chunk=i == len(chunks) - 1,
                metadata=self._artifact_metadata(answer) if i == 0 else None,
            )

    def _artifact_metadata(self, answer: Answer) -> dict[str, Any]:
        """Usage and model id, and `switchboard.truncated: true` when the answer was cut short."""
        return {**usage_metadata(answer.usage, self._model_id), **({TRUNCATED_KEY: True} if answer.truncated else {})}

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        context_id = task.context_id if task is not None else context.context_id
        updater = TaskUpdater(event_queue, context.task_id or "", context_id or "")
        await updater.cancel(_say(updater, "Canceled at the caller's request."))


def _bind_log_ids(task: Task, message: Message | None, name: str) -> None:
    """Name this task in every record it logs, with the goal and subtask it serves when an orchestrator sent it
    (from the subtask data part of the handoff contract, which is in the task's history after a restart too)."""
    first = task.history[0] if task.history else message
    subtask: dict[str, Any] = {}
    for part in first.parts if first is not None else ():
        if part.HasField("data") and metadata_of(part).get(KIND_KEY) == SUBTASK_KIND:
            value = data_of(part)
            subtask = value if isinstance(value, dict) else {}
    bind_ids(
        task_id=task.id, worker=name, goal_id=str(subtask.get("goal_id", "")), subtask_id=str(subtask.get("id", ""))
    )


def _turns(task: Task, message: Message | None) -> list[Message]:
    """Every message of the exchange so far, in order, without duplicates."""
    seen: set[str] = set()
    turns: list[Message] = []
    candidates = [*task.history]
    if task.status.HasField("message") and task.status.state != TaskState.TASK_STATE_WORKING:
        candidates.append(task.status.message)  # a question asked (a working task's status is only progress)
    if message is not None:
        candidates.append(message)
    for m in candidates:
        if m.message_id and m.message_id in seen:
            continue
        seen.add(m.message_id)
        turns.append(m)
    return turns


def _say(updater: TaskUpdater, text: str) -> Message:
    return updater.new_agent_message([Part(text=text)])


async def _progress(updater: TaskUpdater, text: str) -> None:
    await updater.update_status(TaskState.TASK_STATE_WORKING, _say(updater, text))
