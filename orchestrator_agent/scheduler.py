"""Scheduler: run a plan's DAG against the workers.

Guarantees:
- a subtask starts once all its dependencies completed; if one did not, it is `skipped` (never run);
- at most `max_concurrency` subtasks talk to workers at once;
- each subtask tries its ranked candidates in turn (at most `max_attempts`), retrying one worker with
  backoff on transient errors; a failure, rejection or timeout cancels the remote task before moving on;
- a worker task that completes with no output (no artifact, or only blank text) is a failed attempt, and the
  next candidate is tried; an answer the worker marked as cut short (`switchboard.truncated` on its artifact)
  completes the subtask, but its text and reason say it is incomplete;
- a worker's question (`input-required`) goes to `ask`; the reply goes back to the same remote task;
- cancellation (the caller cancelled, or the goal deadline passed) cancels every open remote task;
- a stream that breaks (transport error) after the worker named its task is re-attached to that task
  (SubscribeToTask/GetTask) for up to `reattach_window` seconds, so a worker restarting with its task store
  finishes the task it has instead of receiving it again;
- every attempt is written ahead to the goal's `SubtaskLog` before its message goes out, and every result when
  it ends; a subtask with a result already in `results` is not run again, and one with a recorded attempt
  (`GoalScope.sent`) is re-attached to its remote task, or re-sent with the same message id, before any other
  candidate is tried (resuming after a restart);
- `drain` stops starting subtasks and waits for the running ones; after `suspend`, stopping a goal leaves its
  remote tasks running (they are re-attached when the goal resumes) instead of cancelling them;
- once the goal's budget (`GoalScope.budget`) is reached, no subtask starts: the running ones finish, the rest
  end `skipped` with the budget's reason;
- `run` always returns one result per subtask, in plan order.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from a2a.server.tasks.task_manager import append_artifact_to_task
from a2a.types import AgentCard, Artifact, Part, SendMessageRequest, Task, TaskArtifactUpdateEvent
from google.protobuf.json_format import MessageToDict

from agents.host import tracing
from agents.host.logs import bind_ids
from agents.host.wire import Usage

from .dispatch import WorkerGateway, WorkerUpdate
from .errors import DiscoveryError, DispatchError
from .handoff import build_request, follow_up, model_from, output_of, usage_from
from .models import Attempt, Choice, Output, Plan, SentAttempt, Subtask, SubtaskResult, SubtaskState, Worker
from .selection import candidates_for

NO_OUTPUT = "the worker completed without producing any output"
INCOMPLETE = "incomplete: the worker's answer was cut short at its model's output limit"
TRUNCATED_KEY = "switchboard.truncated"  # artifact metadata of a cut-short answer (agents.runtime.executor)
MAX_STATUS_CHARS = 2_000  # of a worker's status message (a reason, a question) kept and relayed; it counts
# towards the output cap in full


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]} … [{len(text) - limit} more characters cut]"


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
# the goal's budget: (results so far, subtasks started) -> why no new subtask may start, "" if one may
BudgetCheck = Callable[[Mapping[str, "SubtaskResult"], int], str]


class SubtaskLog(Protocol):
    """Where a goal's dispatching is recorded for resuming (the journal); `attempt` is awaited before sending."""

    async def attempt(self, subtask_id: str, sent: SentAttempt) -> None: ...

    def remote(self, subtask_id: str, remote_task_id: str) -> None: ...

    def result(self, result: SubtaskResult) -> None: ...


class NoLog:
    async def attempt(self, subtask_id: str, sent: SentAttempt) -> None:
        pass

    def remote(self, subtask_id: str, remote_task_id: str) -> None:
        pass

    def result(self, result: SubtaskResult) -> None:
        pass


@dataclass(frozen=True)
class Limits:
    max_concurrency: int = 16
    subtask_timeout: float = 120.0
    max_attempts: int = 3
    retries: int = 1
    retry_backoff: float = 0.2
    cancel_timeout: float = 5.0
    reattach_window: float = 15.0  # how long a broken stream's task is re-attached to before giving up on it
    max_output_bytes: int = 8_000_000  # a worker's artifacts for one subtask; beyond, the attempt fails


@dataclass(frozen=True)
class GoalScope:
    goal_id: str
    depth: int = 0
    chain: tuple[str, ...] = ()  # orchestrators this goal passed through, this one included: never dispatch there
    attachments: Sequence[Part] = ()
    deadline_s: float | None = None
    log: SubtaskLog = field(default_factory=NoLog)
    sent: Mapping[str, SentAttempt] = field(default_factory=dict)  # attempts in flight when the goal was suspended
    budget: BudgetCheck | None = None


@dataclass
class _AttemptOutcome:
    state: SubtaskState
    remote_task_id: str
    task: Task
    reason: str = ""
    usage: Usage = Usage()
    model: str = ""


class Roster(Protocol):
    """What the scheduler needs of the directory: the workers it ranks and their cards, and the load and health
    it records (`Directory` in the app; `tests/fakes.py` in the scheduler's unit tests)."""

    def snapshot(self) -> list[Worker]: ...

    def card(self, url: str) -> AgentCard: ...

    def acquire(self, url: str) -> None: ...

    def release(self, url: str) -> None: ...

    def record_success(self, url: str) -> None: ...

    def record_failure(self, url: str, reason: str) -> None: ...


class Scheduler:
    def __init__(self, directory: Roster, gateway: WorkerGateway, limits: Limits) -> None:
        self._directory = directory
        self._gateway = gateway
        self._limits = limits
        self._draining = False
        self._never = asyncio.Event()  # what a subtask that may not start waits for (it is cancelled instead)
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.suspending = False  # set before stopping goals to resume them later: remote tasks stay open

    async def drain(self, grace: float) -> bool:
        """Start no more subtasks; wait up to `grace` seconds for the running ones. True if none is left."""
        self._draining = True
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            return False
        return True

    def _enter(self) -> None:
        self._running += 1
        self._idle.clear()

    def _leave(self) -> None:
        self._running -= 1
        if not self._running:
            self._idle.set()

    async def run(
        self, plan: Plan, scope: GoalScope, emit: Emit, ask: Ask, results: dict[str, SubtaskResult] | None = None
    ) -> list[SubtaskResult]:
        """Run `plan`; `results` (if given) is filled as subtasks end, so a caller sees partial results."""
        results = {} if results is None else results
        done = {s.id: asyncio.Event() for s in plan.subtasks}
        gate = asyncio.Semaphore(self._limits.max_concurrency)
        run = _GoalRun(self, scope, emit, ask, results)
        started = [sum(1 for r in results.values() if r.attempts)]  # subtasks that went to a worker

        def over_budget() -> str:
            return scope.budget(results, started[0]) if scope.budget is not None else ""

        async def skip(subtask: Subtask, reason: str) -> None:
            results[subtask.id] = _ended(subtask, SubtaskState.SKIPPED, reason)
            scope.log.result(results[subtask.id])
            await emit(SubtaskEvent(subtask.id, subtask.skill, SubtaskState.SKIPPED, detail=reason))

        async def one(subtask: Subtask) -> None:
            try:
                if subtask.id in results:  # it ended before the goal was suspended: not run again
                    return
                for dep in subtask.depends_on:
                    await done[dep].wait()
                blocked = [d for d in subtask.depends_on if results[d].state is not SubtaskState.COMPLETED]
                if reason := over_budget():
                    return await skip(subtask, reason)
                if blocked:
                    return await skip(subtask, f"dependencies did not complete: {blocked}")
                async with gate:
                    if self._draining:
                        await self._never.wait()
                    if reason := over_budget():  # spent while this subtask waited for a slot
                        return await skip(subtask, reason)
                    started[0] += 1
                    self._enter()
                    try:
                        results[subtask.id] = await run.subtask(subtask)
                    finally:
                        self._leave()
                ended = results[subtask.id]
                log.info("subtask %s (%s) %s: %s", subtask.id, subtask.skill, ended.state.value, ended.reason[:200])
                scope.log.result(ended)
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


def truncated(artifacts: Sequence[Artifact]) -> bool:
    """Whether the worker marked its answer as cut short (`switchboard.truncated: true` on an artifact)."""
    return any(a.HasField("metadata") and MessageToDict(a.metadata).get(TRUNCATED_KEY) is True for a in artifacts)


def marked_incomplete(output: Output) -> Output:
    """`output` with a last line saying it is incomplete, so every reader of the text (a dependent worker, the
    synthesizer, the caller on the single-agent path) knows."""
    text = output.text.rstrip()
    return output.model_copy(update={"text": f"{text}\n\n({INCOMPLETE})" if text else f"({INCOMPLETE})"})


def _ended(subtask: Subtask, state: SubtaskState, reason: str) -> SubtaskResult:
    now = time.time()
    return SubtaskResult(
        subtask_id=subtask.id, skill=subtask.skill, state=state, reason=reason, started_at=now, finished_at=now
    )


class _GoalRun:
    """One goal's dispatching: candidates, attempts, retries, questions and remote cancellation."""

    def __init__(
        self, scheduler: Scheduler, scope: GoalScope, emit: Emit, ask: Ask, results: dict[str, SubtaskResult]
    ) -> None:
        self._scheduler = scheduler
        self._directory = scheduler._directory
        self._gateway = scheduler._gateway
        self._limits = scheduler._limits
        self._scope = scope
        self._emit = emit
        self._ask = ask
        self._results = results

    async def _tell(
        self, subtask: Subtask, state: SubtaskState, worker: Worker | Attempt | None, remote: str, detail: str
    ) -> None:
        """Emit one subtask event, naming the worker (a `Worker`, or the `Attempt` that went to it)."""
        name = worker.name if isinstance(worker, Worker) else worker.worker_name if worker else ""
        url = worker.url if isinstance(worker, Worker) else worker.worker_url if worker else ""
        await self._emit(SubtaskEvent(subtask.id, subtask.skill, state, name, url, remote, detail))

    async def subtask(self, subtask: Subtask) -> SubtaskResult:
        """Run `subtask` on its candidates in turn, under a `subtask <id>` span."""
        with tracing.span(f"subtask {subtask.id}", subtask_id=subtask.id, skill=subtask.skill):
            return await self._subtask(subtask)

    async def _subtask(self, subtask: Subtask) -> SubtaskResult:
        bind_ids(subtask_id=subtask.id)  # this subtask's own asyncio task: every record from here names it
        started = time.time()
        sent = self._scope.sent.get(subtask.id)
        candidates = [
            c
            for c in candidates_for(subtask.skill, subtask.brief, self._directory.snapshot())
            if c.worker_url not in self._scope.chain  # a goal never goes back to an orchestrator it came from
        ]
        tries: list[tuple[Choice, SentAttempt | None]] = [(c, None) for c in candidates[: self._limits.max_attempts]]
        if sent is not None:  # resuming: the attempt in flight comes first, on the worker it went to
            first = next((c for c in candidates if c.worker_url == sent.worker_url), None)
            if first is not None:
                tries.insert(0, (first.model_copy(update={"reason": "resumed: " + first.reason}), sent))
        if not tries:
            reason = f"no available worker offers the skill {subtask.skill!r}"
            await self._tell(subtask, SubtaskState.FAILED, None, "", reason)
            return _ended(subtask, SubtaskState.FAILED, reason).model_copy(update={"started_at": started})
        attempts: list[Attempt] = []
        usage, model = Usage(), ""
        for choice, resume in tries:
            outcome = await self._with_retries(subtask, choice, resume)
            usage, model = usage + outcome.usage, outcome.model or model
            output = output_of(outcome.task.artifacts) if outcome.state is SubtaskState.COMPLETED else None
            hollow = output is not None and not (output.text.strip() or output.data)
            if hollow:  # completed with nothing to hand over: a failed attempt, the next candidate is due
                outcome.state, outcome.reason, output = SubtaskState.FAILED, NO_OUTPUT, None
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
            if hollow:
                await self._tell(subtask, SubtaskState.FAILED, attempts[-1], outcome.remote_task_id, NO_OUTPUT)
            if output is not None:
                reason = ""
                if truncated(outcome.task.artifacts):  # passed on, but never as a complete answer
                    output, reason = marked_incomplete(output), INCOMPLETE
                return self._result(
                    subtask, attempts, started, usage, model, output=output, reason=reason, choice=choice.reason
                )
        last = attempts[-1]
        reason = f"all {len(attempts)} attempt(s) failed; last: {last.worker_name}: {last.state.value}: {last.reason}"
        await self._tell(subtask, SubtaskState.FAILED, last, last.remote_task_id, reason)
        return self._result(subtask, attempts, started, usage, model, reason=reason)

    @staticmethod
    def _result(
        subtask: Subtask,
        attempts: list[Attempt],
        started: float,
        usage: Usage,
        model: str,
        *,
        output: Output | None = None,
        reason: str = "",
        choice: str = "",
    ) -> SubtaskResult:
        """The subtask's result from its attempts: completed with `output` (and `reason`, if it is incomplete),
        else failed for `reason`."""
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
            model=model,
            choice_reason=choice,
        )

    async def _with_retries(self, subtask: Subtask, choice: Choice, resume: SentAttempt | None) -> _AttemptOutcome:
        limits = self._limits
        bind_ids(worker=choice.worker_name)
        for retry in range(limits.retries + 1):
            # counted before the first await after ranking, so the next subtask's ranking sees this one in flight
            self._directory.acquire(choice.worker_url)
            try:
                return await self._traced_attempt(subtask, choice, resume)
            except DispatchError as exc:
                if not exc.refused:  # a worker that answers with an A2A error is up; the request did not suit it
                    self._directory.record_failure(choice.worker_url, exc.reason)
                remote = exc.sent.remote_task_id if exc.sent else ""
                if not exc.retryable or retry == limits.retries:
                    return _AttemptOutcome(SubtaskState.FAILED, remote, Task(), exc.reason)
                resume = exc.sent or resume  # the same message again: it may have arrived before the error
                await asyncio.sleep(limits.retry_backoff * (2**retry))
            except DiscoveryError as exc:
                return _AttemptOutcome(SubtaskState.FAILED, "", Task(), exc.reason)
            finally:
                self._directory.release(choice.worker_url)
        raise AssertionError("unreachable")

    async def _traced_attempt(self, subtask: Subtask, choice: Choice, resume: SentAttempt | None) -> _AttemptOutcome:
        """One attempt under a `dispatch <worker>` span, the parent of the worker's own spans."""
        name = choice.worker_name
        with tracing.span(f"dispatch {name}", subtask_id=subtask.id, skill=subtask.skill, worker=name) as current:
            try:
                outcome = await self._attempt(subtask, choice, resume)
            except DispatchError as exc:
                current.set_attribute("remote_task_id", exc.sent.remote_task_id if exc.sent else "")
                raise
            current.set_attribute("remote_task_id", outcome.remote_task_id)
            current.set_attribute("state", outcome.state.value)
            return outcome

    def _send(self, subtask: Subtask, worker: Worker, resume: SentAttempt | None) -> SendMessageRequest:
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
        if resume is not None:  # the same message again: a worker that got it answers from the task it started
            request.message.message_id, request.message.context_id = resume.message_id, resume.context_id
        return request

    async def _attempt(self, subtask: Subtask, choice: Choice, resume: SentAttempt | None) -> _AttemptOutcome:
        directory = self._directory
        card = directory.card(choice.worker_url)
        worker = next(w for w in directory.snapshot() if w.url == choice.worker_url)
        folded = Task()
        updates: AsyncIterator[WorkerUpdate]
        if resume is not None and resume.remote_task_id:
            sent = resume
            folded.id, folded.context_id = resume.remote_task_id, resume.context_id
            updates = self._gateway.reattach(card, folded.id)
        else:
            request = self._send(subtask, worker, resume)
            folded.context_id = request.message.context_id
            sent = SentAttempt(
                worker_url=worker.url,
                worker_name=worker.name,
                message_id=request.message.message_id,
                context_id=request.message.context_id,
            )
            await self._scope.log.attempt(subtask.id, sent)  # written ahead: a restart finds what may have gone out
            updates = self._gateway.run(card, request)
        state = SubtaskState.WORKING
        await self._tell(subtask, SubtaskState.WORKING, worker, folded.id, f"selected: {choice.reason}")
        try:
            while True:
                state, reason, usage, model = await self._follow(subtask, worker, card, updates, folded)
                if state is not SubtaskState.INPUT_REQUIRED:
                    directory.record_success(worker.url)
                    return _AttemptOutcome(state, folded.id, folded, reason, usage, model)
                reply = await self._ask(subtask.id, reason)
                await self._tell(subtask, SubtaskState.WORKING, worker, folded.id, "resumed with the caller's reply")
                updates = self._gateway.run(card, follow_up(folded.id, folded.context_id, reply))
        except DispatchError as exc:  # what went out, for a retry: re-attach to its task, or send it again
            exc.sent = sent.model_copy(update={"remote_task_id": "" if exc.task_lost else folded.id})
            raise
        except BaseException as exc:
            if folded.id and not state.terminal and not self._scheduler.suspending:
                await self._cancel_remote(card, folded.id)
            if isinstance(exc, TimeoutError):
                reason = f"timed out after {self._limits.subtask_timeout:g} s"
                await self._tell(subtask, SubtaskState.FAILED, worker, folded.id, reason)
                directory.record_failure(worker.url, reason)
                return _AttemptOutcome(SubtaskState.FAILED, folded.id, folded, reason)
            raise

    async def _follow(
        self, subtask: Subtask, worker: Worker, card: AgentCard, updates: AsyncIterator[WorkerUpdate], folded: Task
    ) -> tuple[SubtaskState, str, Usage, str]:
        """Read `updates` until the remote task settles; if the stream breaks after the worker named its task,
        re-attach to that task (the worker may be restarting) until `reattach_window` runs out."""
        try:
            return await self._stream(subtask, worker, card, updates, folded)
        except DispatchError as exc:
            if not (exc.retryable and folded.id) or exc.task_lost:
                raise
            broken = exc
        deadline = time.monotonic() + self._limits.reattach_window
        delay = self._limits.retry_backoff or 0.05
        while True:
            log.warning("%s: stream of task %s broke (%s); re-attaching", worker.name, folded.id, broken.reason)
            lost = f"connection lost ({broken.reason}); re-attaching to the task"
            await self._tell(subtask, SubtaskState.WORKING, worker, folded.id, lost)
            await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            try:
                return await self._stream(subtask, worker, card, self._gateway.reattach(card, folded.id), folded)
            except DispatchError as exc:
                if exc.task_lost:
                    raise
                if not exc.retryable or time.monotonic() >= deadline:
                    exc.retryable = False  # re-attaching is what retrying meant: the next candidate is due
                    raise
                broken, delay = exc, min(delay * 2, 2.0)

    async def _stream(
        self,
        subtask: Subtask,
        worker: Worker,
        card: AgentCard,
        updates: AsyncIterator[WorkerUpdate],
        folded: Task,
    ) -> tuple[SubtaskState, str, Usage, str]:
        """Fold the worker's updates into `folded` until a final or input-required state: (state, reason,
        the usage and model id the worker last reported)."""
        state, reason, usage, model = SubtaskState.WORKING, "", Usage(), ""
        received = 0
        async with asyncio.timeout(self._limits.subtask_timeout):
            async for update in updates:
                if update.remote_task_id and update.remote_task_id != folded.id:
                    abandoned = folded.id
                    folded.id, folded.context_id = update.remote_task_id, update.context_id or folded.context_id
                    self._scope.log.remote(subtask.id, folded.id)
                    if abandoned:  # the worker answered a follow-up in a new task: follow it, close the old one
                        await self._cancel_remote(card, abandoned)
                received += len(update.text) + (update.artifact.ByteSize() if update.artifact is not None else 0)
                if received > self._limits.max_output_bytes:
                    if folded.id:
                        await self._cancel_remote(card, folded.id)
                    limit = self._limits.max_output_bytes
                    raise DispatchError(worker.url, f"the worker's output exceeds {limit} bytes", retryable=False)
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
                    if update.metadata:
                        usage, model = usage_from(update.metadata), model_from(update.metadata) or model
                    changed = update.state is not state
                    state, reason = update.state, clip(update.text, MAX_STATUS_CHARS) or reason
                    if changed:  # progress text alone is not relayed: every caller-visible event costs a store write
                        await self._tell(subtask, state, worker, folded.id, reason)
        return state, reason, usage, model

    async def _cancel_remote(self, card: AgentCard, remote_task_id: str) -> None:
        try:
            await asyncio.shield(
                asyncio.wait_for(self._gateway.cancel(card, remote_task_id), self._limits.cancel_timeout)
            )
        except TimeoutError:
            log.warning("could not confirm cancel of remote task %s", remote_task_id)
