"""Scheduler: run a plan's DAG against the workers.

Guarantees:
- a subtask starts once all its dependencies completed; if one did not, it is `skipped` (never run);
- at most `max_concurrency` subtasks talk to workers at once;
- each subtask tries its ranked candidates in turn (at most `max_attempts`), retrying one worker with
  backoff on transient errors; a failure, rejection or timeout cancels the remote task before moving on;
- a worker's question (`input-required`) goes to `ask`; the reply goes back to the same remote task;
- cancellation (the caller cancelled, or the goal deadline passed) cancels every open remote task;
- `run` always returns one result per subtask, in plan order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from a2a.server.tasks.task_manager import append_artifact_to_task
from a2a.types import AgentCard, Artifact, Part, SendMessageRequest, Task, TaskArtifactUpdateEvent

from agents.runtime.messages import Usage

from .directory import Directory
from .dispatch import WorkerGateway
from .errors import DiscoveryError, DispatchError
from .handoff import build_request, follow_up, output_of, usage_from
from .models import Attempt, Choice, Output, Plan, Subtask, SubtaskResult, SubtaskState, Worker
from .selection import candidates_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubtaskEvent:
    subtask_id: str
    skill: str
    state: SubtaskState
    worker_name: str = ""
    worker_url: str = ""
    remote_task_id: str = ""
    detail: str = ""


@dataclass(frozen=True)
class ArtifactEvent:
    subtask_id: str
    skill: str
    worker_name: str
    worker_url: str
    artifact: Artifact
    append: bool
    last_chunk: bool


GoalEvent = SubtaskEvent | ArtifactEvent
Emit = Callable[[GoalEvent], Awaitable[None]]
Ask = Callable[[str, str], Awaitable[Sequence[Part]]]


@dataclass(frozen=True)
class Limits:
    max_concurrency: int = 16
    subtask_timeout: float = 120.0
    max_attempts: int = 3
    retries: int = 1
    retry_backoff: float = 0.2
    cancel_timeout: float = 5.0


@dataclass(frozen=True)
class GoalScope:
    goal_id: str
    depth: int = 0
    chain: tuple[str, ...] = ()  # orchestrators this goal passed through, this one included: never dispatch there
    attachments: Sequence[Part] = ()
    deadline_s: float | None = None


@dataclass
class _AttemptOutcome:
    state: SubtaskState
    remote_task_id: str
    task: Task
    reason: str = ""
    usage: Usage = Usage()


class Scheduler:
    def __init__(self, directory: Directory, gateway: WorkerGateway, limits: Limits) -> None:
        self._directory = directory
        self._gateway = gateway
        self._limits = limits

    async def run(
        self, plan: Plan, scope: GoalScope, emit: Emit, ask: Ask, results: dict[str, SubtaskResult] | None = None
    ) -> list[SubtaskResult]:
        """Run `plan`; `results` (if given) is filled as subtasks end, so a caller sees partial results."""
        results = {} if results is None else results
        done = {s.id: asyncio.Event() for s in plan.subtasks}
        gate = asyncio.Semaphore(self._limits.max_concurrency)
        run = _GoalRun(self._directory, self._gateway, self._limits, scope, emit, ask, results)

        async def one(subtask: Subtask) -> None:
            try:
                for dep in subtask.depends_on:
                    await done[dep].wait()
                blocked = [d for d in subtask.depends_on if results[d].state is not SubtaskState.COMPLETED]
                if blocked:
                    results[subtask.id] = _ended(
                        subtask, SubtaskState.SKIPPED, f"dependencies did not complete: {blocked}"
                    )
                    await emit(
                        SubtaskEvent(subtask.id, subtask.skill, SubtaskState.SKIPPED, detail=results[subtask.id].reason)
                    )
                    return
                async with gate:
                    results[subtask.id] = await run.subtask(subtask)
            finally:
                done[subtask.id].set()

        try:
            async with asyncio.TaskGroup() as group:
                for subtask in plan.subtasks:
                    group.create_task(one(subtask))
        finally:
            for s in plan.subtasks:
                results.setdefault(s.id, _ended(s, SubtaskState.CANCELED, "the goal was stopped before it finished"))
        return [results[s.id] for s in plan.subtasks]


def _ended(subtask: Subtask, state: SubtaskState, reason: str) -> SubtaskResult:
    now = time.time()
    return SubtaskResult(
        subtask_id=subtask.id, skill=subtask.skill, state=state, reason=reason, started_at=now, finished_at=now
    )


class _GoalRun:
    """One goal's dispatching: candidates, attempts, retries, questions and remote cancellation."""

    def __init__(
        self,
        directory: Directory,
        gateway: WorkerGateway,
        limits: Limits,
        scope: GoalScope,
        emit: Emit,
        ask: Ask,
        results: dict[str, SubtaskResult],
    ) -> None:
        self._directory = directory
        self._gateway = gateway
        self._limits = limits
        self._scope = scope
        self._emit = emit
        self._ask = ask
        self._results = results

    async def subtask(self, subtask: Subtask) -> SubtaskResult:
        started = time.time()
        candidates = [
            c
            for c in candidates_for(subtask.skill, subtask.brief, self._directory.snapshot())
            if c.worker_url not in self._scope.chain  # a goal never goes back to an orchestrator it came from
        ]
        if not candidates:
            reason = f"no available worker offers the skill {subtask.skill!r}"
            await self._emit(SubtaskEvent(subtask.id, subtask.skill, SubtaskState.FAILED, detail=reason))
            return _ended(subtask, SubtaskState.FAILED, reason).model_copy(update={"started_at": started})
        attempts: list[Attempt] = []
        usage = Usage()
        limits = self._limits
        for choice in candidates[: limits.max_attempts]:
            outcome = await self._with_retries(subtask, choice)
            usage = usage + outcome.usage
            attempts.append(
                Attempt(
                    worker_url=choice.worker_url,
                    worker_name=choice.worker_name,
                    skill_id=choice.skill_id,
                    remote_task_id=outcome.remote_task_id,
                    state=outcome.state,
                    reason=outcome.reason,
                )
            )
            if outcome.state is SubtaskState.COMPLETED:
                return self._result(
                    subtask, attempts, started, usage, output=output_of(outcome.task.artifacts), choice=choice.reason
                )
        last = attempts[-1]
        reason = f"all {len(attempts)} candidate(s) failed; last: {last.worker_name}: {last.state.value}: {last.reason}"
        await self._emit(
            SubtaskEvent(
                subtask.id,
                subtask.skill,
                SubtaskState.FAILED,
                last.worker_name,
                last.worker_url,
                last.remote_task_id,
                reason,
            )
        )
        return self._result(subtask, attempts, started, usage, reason=reason)

    @staticmethod
    def _result(
        subtask: Subtask,
        attempts: list[Attempt],
        started: float,
        usage: Usage,
        *,
        output: Output | None = None,
        reason: str = "",
        choice: str = "",
    ) -> SubtaskResult:
        """The subtask's result from its attempts: completed with `output`, else failed for `reason`."""
        last = attempts[-1]
        return SubtaskResult(
            subtask_id=subtask.id,
            skill=subtask.skill,
            state=SubtaskState.COMPLETED if output is not None else SubtaskState.FAILED,
            worker_name=last.worker_name,
            worker_url=last.worker_url,
            remote_task_id=last.remote_task_id,
            output=output or Output(),
            attempts=tuple(attempts),
            reason=reason,
            started_at=started,
            finished_at=time.time(),
            usage=usage,
            choice_reason=choice,
        )

    async def _with_retries(self, subtask: Subtask, choice: Choice) -> _AttemptOutcome:
        limits = self._limits
        for retry in range(limits.retries + 1):
            try:
                return await self._attempt(subtask, choice)
            except DispatchError as exc:
                self._directory.record_failure(choice.worker_url, exc.reason)
                if not exc.retryable or retry == limits.retries:
                    return _AttemptOutcome(SubtaskState.FAILED, "", Task(), exc.reason)
                await asyncio.sleep(limits.retry_backoff * (2**retry))
            except DiscoveryError as exc:
                return _AttemptOutcome(SubtaskState.FAILED, "", Task(), exc.reason)
        raise AssertionError("unreachable")

    async def _attempt(self, subtask: Subtask, choice: Choice) -> _AttemptOutcome:
        directory = self._directory
        card = directory.card(choice.worker_url)
        worker = next(w for w in directory.snapshot() if w.url == choice.worker_url)
        request = build_request(
            subtask,
            worker,
            results=self._results,
            attachments=self._scope.attachments,
            goal_id=self._scope.goal_id,
            depth=self._scope.depth,
            chain=self._scope.chain,
            deadline_s=self._scope.deadline_s,
        )
        context_id = request.message.context_id
        folded = Task()
        state = SubtaskState.WORKING
        await self._emit(
            SubtaskEvent(
                subtask.id,
                subtask.skill,
                SubtaskState.WORKING,
                worker.name,
                worker.url,
                detail=f"selected: {choice.reason}",
            )
        )
        directory.acquire(worker.url)
        try:
            while True:
                state, reason, usage = await self._stream(subtask, worker, card, request, folded)
                if state is not SubtaskState.INPUT_REQUIRED:
                    directory.record_success(worker.url)
                    return _AttemptOutcome(state, folded.id, folded, reason, usage)
                reply = await self._ask(subtask.id, reason)
                await self._emit(
                    SubtaskEvent(
                        subtask.id,
                        subtask.skill,
                        SubtaskState.WORKING,
                        worker.name,
                        worker.url,
                        folded.id,
                        "resumed with the caller's reply",
                    )
                )
                request = follow_up(folded.id, folded.context_id or context_id, reply)
        except BaseException as exc:
            if folded.id and not state.terminal:
                await self._cancel_remote(card, folded.id)
            if isinstance(exc, TimeoutError):
                reason = f"timed out after {self._limits.subtask_timeout:g} s"
                await self._emit(
                    SubtaskEvent(
                        subtask.id, subtask.skill, SubtaskState.FAILED, worker.name, worker.url, folded.id, reason
                    )
                )
                directory.record_failure(worker.url, reason)
                return _AttemptOutcome(SubtaskState.FAILED, folded.id, folded, reason)
            raise
        finally:
            directory.release(worker.url)

    async def _stream(
        self, subtask: Subtask, worker: Worker, card: AgentCard, request: SendMessageRequest, folded: Task
    ) -> tuple[SubtaskState, str, Usage]:
        state, reason, usage = SubtaskState.WORKING, "", Usage()
        async with asyncio.timeout(self._limits.subtask_timeout):
            async for update in self._gateway.run(card, request):
                if update.remote_task_id and update.remote_task_id != folded.id:
                    abandoned = folded.id
                    folded.id, folded.context_id = update.remote_task_id, update.context_id or folded.context_id
                    if abandoned:  # the worker answered a follow-up in a new task: follow it, close the old one
                        await self._cancel_remote(card, abandoned)
                if update.artifact is not None:
                    append_artifact_to_task(
                        folded,
                        TaskArtifactUpdateEvent(
                            task_id=folded.id,
                            context_id=folded.context_id,
                            artifact=update.artifact,
                            append=update.append,
                            last_chunk=update.last_chunk,
                        ),
                    )
                    await self._emit(
                        ArtifactEvent(
                            subtask.id,
                            subtask.skill,
                            worker.name,
                            worker.url,
                            update.artifact,
                            update.append,
                            update.last_chunk,
                        )
                    )
                if update.state is not None:
                    usage = usage_from(update.metadata) if update.metadata else usage
                    changed = update.state is not state
                    state, reason = update.state, update.text or reason
                    if changed:  # progress text alone is not relayed: every caller-visible event costs a store write
                        await self._emit(
                            SubtaskEvent(subtask.id, subtask.skill, state, worker.name, worker.url, folded.id, reason)
                        )
        return state, reason, usage

    async def _cancel_remote(self, card: AgentCard, remote_task_id: str) -> None:
        try:
            await asyncio.shield(
                asyncio.wait_for(self._gateway.cancel(card, remote_task_id), self._limits.cancel_timeout)
            )
        except TimeoutError:
            log.warning("could not confirm cancel of remote task %s", remote_task_id)
