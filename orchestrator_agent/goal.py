"""One goal, from request to result: read the request, plan, schedule, synthesize.

`GoalSession` runs in its own asyncio task (owned by the executor) so that a goal outlives one A2A request:
when a worker asks a question, the caller's stream ends at `input-required` while other subtasks go on;
the caller's reply resumes it. Everything the caller should see is put on `events`, in order, ending with
exactly one `Finished` (or a `Question` that waits for `reply`).

Every goal is recorded in the `GoalJournal` (its request before planning, then its plan, then each subtask's
attempts and results). A session built from a `SavedGoal` continues that goal after a restart: it keeps the
saved plan and results, re-attaches to the subtasks that were running, and counts its deadline from when the
goal was first received.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from a2a.types import Message, Part
from google.protobuf.json_format import MessageToDict
from pydantic import ValidationError

from agents.host import tracing
from agents.host.errors import ModelError
from agents.host.wire import KIND_KEY, SUBTASK_KIND, Usage

from .budget import Budget, BudgetGuard, Prices, tokens_of
from .errors import GoalInputError, PlanError
from .journal import GoalJournal, SavedGoal
from .models import GoalConstraints, Plan, SentAttempt, Subtask, SubtaskResult, SubtaskState, Worker
from .planning import Goal, Planner, known_skills, parse_plan, validate_plan
from .scheduler import GoalEvent, GoalScope, Scheduler
from .synthesis import Synthesizer, failure_summary, manifest, not_done_line, refusal_text

log = logging.getLogger(__name__)

PLAN_KEYS = ("plan", "subtasks")
BUDGET_KEY = "switchboard.budget"


@dataclass(frozen=True)
class GoalRequest:
    goal: Goal
    explicit_plan: Plan | None
    constraints: GoalConstraints
    attachments: tuple[Part, ...]
    skill_hint: str | None = None  # the skill a delegating orchestrator chose (Switchboard subtask extension)
    budget: Budget = Budget()  # the caller's own limits (message metadata `switchboard.budget`); only lower ours


@dataclass(frozen=True)
class GoalOrigin:
    """Who sent a goal and how it reached this orchestrator."""

    goal_id: str
    owner: str
    context_id: str
    message: Message
    depth: int
    chain: tuple[str, ...] = ()  # orchestrators the goal passed through, this one included


@dataclass(frozen=True)
class PlanReady:
    plan: Plan


@dataclass(frozen=True)
class Queued:
    """Every goal slot is taken (SWITCHBOARD_MAX_GOALS): the goal waits for one."""


@dataclass(frozen=True)
class Resumed:
    """The goal continues after a restart: `finished` subtasks are kept, `running` ones are re-attached."""

    plan: Plan
    finished: int
    running: int


@dataclass(frozen=True)
class Question:
    subtask_id: str
    text: str


@dataclass(frozen=True)
class Finished:
    state: str  # completed | failed | rejected
    text: str
    manifest: dict[str, Any]
    reason: str = ""
    usage: Usage = Usage()


SessionEvent = GoalEvent | Queued | PlanReady | Resumed | Question | Finished


def read_request(message: Message) -> GoalRequest:
    """Split the caller's message into goal text, explicit plan, constraints and attachments."""
    text_parts: list[str] = []
    plan: Plan | None = None
    constraints = GoalConstraints()
    attachments: list[Part] = []
    skill_hint: str | None = None
    for part in message.parts:
        kind = part.WhichOneof("content")
        if kind == "text" and not text_parts:
            text_parts.append(part.text)
            continue
        if kind == "data":
            data = MessageToDict(part.data)
            if MessageToDict(part.metadata).get(KIND_KEY) == SUBTASK_KIND:
                skill_hint = str(data.get("skill", "")) if isinstance(data, dict) else None
                continue
            if isinstance(data, dict) and any(k in data for k in PLAN_KEYS):
                plan = parse_plan(data, source="explicit")
                if isinstance(data.get("constraints"), dict):
                    constraints = GoalConstraints.model_validate(data["constraints"])
                continue
            if isinstance(data, dict) and set(data) == {"constraints"}:
                constraints = GoalConstraints.model_validate(data["constraints"])
                continue
        attachments.append(part)
    goal_text = " ".join(text_parts).strip()
    if not goal_text and plan is None:
        raise GoalInputError("the message has no goal: send the goal as a text part (or a plan as a data part)")
    names = tuple(f"{p.filename or 'part'} ({p.media_type or p.WhichOneof('content')})" for p in attachments)
    return GoalRequest(
        Goal(text=goal_text or "Run the attached plan", attachments=names),
        plan,
        constraints,
        tuple(attachments),
        skill_hint or None,
        _budget_of(message),
    )


def _budget_of(message: Message) -> Budget:
    """The caller's budget from the message metadata `switchboard.budget`: {tokens, cost_usd, subtasks}."""
    raw = MessageToDict(message.metadata).get(BUDGET_KEY) if message.HasField("metadata") else None
    if raw is None:
        return Budget()
    try:
        return Budget.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
        expected = "{tokens, cost_usd, subtasks} (positive numbers)"
        raise GoalInputError(f"{BUDGET_KEY} must be {expected}: {problems}") from None


class _JournalLog:
    """The scheduler's `SubtaskLog` for one goal, written to the journal."""

    def __init__(self, journal: GoalJournal, goal_id: str) -> None:
        self._journal = journal
        self._goal_id = goal_id

    async def attempt(self, subtask_id: str, sent: SentAttempt) -> None:
        await self._journal.attempt(self._goal_id, subtask_id, sent)

    def remote(self, subtask_id: str, remote_task_id: str) -> None:
        self._journal.remote(self._goal_id, subtask_id, remote_task_id)

    def result(self, result: SubtaskResult) -> None:
        self._journal.result(self._goal_id, result)


class GoalSession:
    def __init__(
        self,
        origin: GoalOrigin,
        request: GoalRequest,
        saved: SavedGoal | None = None,
        *,
        planner: Planner,
        synthesizer: Synthesizer,
        scheduler: Scheduler,
        journal: GoalJournal,
        roster: Callable[[], list[Worker]],
        max_subtasks: int,
        deadline_s: float,
        admission: asyncio.Semaphore | None = None,
        prices: Prices,
        model_id: str,
        budget: Budget,
    ) -> None:
        self.goal_id = origin.goal_id
        self.origin = origin
        self.request = request
        self.events: asyncio.Queue[SessionEvent] = asyncio.Queue()
        self._saved = saved
        self._planner = planner
        self._synthesizer = synthesizer
        self._scheduler = scheduler
        self._journal = journal
        self._admission = admission or asyncio.Semaphore(1_000_000)
        self._holding = False  # this goal holds one of the admission slots
        self._roster = roster
        self._max_subtasks = request.constraints.max_subtasks or max_subtasks
        self._deadline_s = request.constraints.deadline_s or deadline_s
        self._prices = prices
        self._model_id = model_id  # the orchestrator's model: prices planning, synthesis and silent workers
        self._guard = BudgetGuard(budget.lowered(request.budget), prices, model_id)
        self._depth = origin.depth
        self._chain = origin.chain
        self._reply: asyncio.Future[Sequence[Part]] | None = None
        self._ask_lock = asyncio.Lock()
        self.task: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> bool:
        return self._reply is not None and not self._reply.done()

    def start(self) -> None:
        self.task = asyncio.create_task(self._traced(), name=f"goal-{self.goal_id}")

    async def _traced(self) -> None:
        """The goal's work under one `goal` span: the root of its trace (or a child of the caller's)."""
        with tracing.span("goal", goal_id=self.goal_id, resumed=int(self._saved is not None)):
            await self._admitted()

    async def _admitted(self) -> None:
        """Run the goal in one of the admission slots: a bounded number of goals work at once, so a burst
        queues instead of holding every goal's state in memory together. A goal waiting for its caller's
        reply gives its slot back meanwhile."""
        if self._admission.locked():
            await self.events.put(Queued())
        await self._admission.acquire()
        self._holding = True
        try:
            await self._run()
        finally:
            if self._holding:
                self._holding = False
                self._admission.release()

    def reply(self, parts: Sequence[Part]) -> None:
        if self._reply is None or self._reply.done():
            raise GoalInputError("this goal is not waiting for input")
        self._reply.set_result(parts)

    async def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            await asyncio.wait([self.task])  # the session's own cancellation is not ours to re-raise

    def forget(self) -> None:
        """The goal's final state is in the task store: its journal entry is no longer needed."""
        self._journal.close(self.goal_id)

    async def _ask(self, subtask_id: str, question: str) -> Sequence[Part]:
        async with self._ask_lock:  # one question to the caller at a time
            self._reply = asyncio.get_running_loop().create_future()
            await self.events.put(Question(subtask_id, question))
            self._holding = False
            self._admission.release()  # the caller may take long: the slot is not held meanwhile
            reply = await self._reply  # cancelled here: the slot is not taken back (nothing to release)
            await self._admission.acquire()
            self._holding = True
            return reply

    async def _emit(self, event: GoalEvent) -> None:
        await self.events.put(event)

    async def _run(self) -> None:
        saved = self._saved
        started = time.monotonic() - (time.time() - saved.created_at if saved else 0.0)
        plan: Plan | None = saved.plan if saved else None
        partial: dict[str, SubtaskResult] = dict(saved.results) if saved else {}
        try:
            async with asyncio.timeout(self._deadline_s - (time.monotonic() - started)):
                # a new goal was journaled before its caller heard of it (`OrchestratorExecutor`)
                if plan is None:
                    with tracing.span("plan"):
                        plan = await self._plan()
                    self._journal.plan(self.goal_id, plan)
                    await self.events.put(PlanReady(plan))
                if not plan.subtasks:
                    await self.events.put(self._refused(plan, time.monotonic() - started))
                    return
                else:
                    running = len([s for s in (saved.attempts if saved else {}) if s not in partial])
                    await self.events.put(Resumed(plan, len(partial), running))
                self._guard = BudgetGuard(self._guard.budget, self._prices, self._model_id, plan.usage)
                scope = GoalScope(
                    self.goal_id,
                    depth=self._depth,
                    chain=self._chain,
                    attachments=self.request.attachments,
                    deadline_s=self._deadline_s,
                    log=_JournalLog(self._journal, self.goal_id),
                    sent=saved.attempts if saved else {},
                    budget=self._guard.check,
                )
                results = await self._scheduler.run(plan, scope, self._emit, self._ask, partial)
                await self.events.put(await self._finish(plan, results, time.monotonic() - started))
        except PlanError as exc:
            await self.events.put(
                Finished(
                    "failed",
                    exc.message,
                    {"goal_id": self.goal_id, "state": "failed", "problems": exc.problems},
                    exc.message,
                )
            )
        except TimeoutError:
            reason = f"the goal deadline of {self._deadline_s:g} s passed"
            results = [partial[s.id] for s in plan.subtasks if s.id in partial] if plan else []
            await self.events.put(self._failed(plan, results, reason, time.monotonic() - started, stopped_by="time"))
        except ModelError as exc:  # Claude planning or synthesis failed after the SDK's own retries
            reason = f"the model service failed: {exc.message}"
            results = [partial[s.id] for s in plan.subtasks if s.id in partial] if plan else []
            await self.events.put(self._failed(plan, results, reason, time.monotonic() - started))
        except Exception:  # the session's task boundary: the goal must end, never stay `working`
            log.exception("goal %s: unexpected error", self.goal_id)
            results = [partial[s.id] for s in plan.subtasks if s.id in partial] if plan else []
            reason = "the orchestrator hit an internal error"
            await self.events.put(self._failed(plan, results, reason, time.monotonic() - started))

    async def _plan(self) -> Plan:
        roster = self._roster()
        skills = known_skills(roster)
        if not skills:
            raise PlanError(["no workers are available"])
        attachments = len(self.request.attachments)
        if self.request.explicit_plan is not None:
            return validate_plan(
                self.request.explicit_plan, skills, max_subtasks=self._max_subtasks, attachments=attachments
            )
        hint = self.request.skill_hint
        if hint in skills:  # a delegating orchestrator already chose the skill: no planning needed
            only = Subtask(id="s1", skill=hint, brief=self.request.goal.text, attachments=tuple(range(attachments)))
            return Plan(subtasks=(only,), source="delegated", rationale=f"skill {hint!r} chosen by the caller")
        plan = await self._planner.plan(self.request.goal, roster, max_subtasks=self._max_subtasks)
        return validate_plan(plan, skills, max_subtasks=self._max_subtasks, attachments=attachments)

    def _refused(self, plan: Plan, duration: float) -> Finished:
        """No part of the goal can be served here: `rejected`, naming each part and what the network can do."""
        skills = sorted(known_skills(self._roster()))
        reason = "; ".join(f"{u.text[:80]}: {u.reason}" for u in plan.unserved[:5])
        data = self._manifest(plan, [], "rejected", Usage(), duration, "")
        return Finished("rejected", refusal_text(plan.unserved, skills), data, f"nothing here can do this ({reason})")

    async def _finish(self, plan: Plan, results: list[SubtaskResult], duration: float) -> Finished:
        failed = [r for r in results if r.state is not SubtaskState.COMPLETED]
        if plan.single and not failed and not plan.unserved:
            text, usage = results[0].output.text, Usage()  # single-agent path: pass the result through
        else:
            with tracing.span("synthesis"):
                text, usage = await self._synthesizer.synthesize(self.request.goal.text, plan, results)
        state = "failed" if failed else "completed"
        reason = failure_summary(results) if failed else ""
        if stopped := self._guard.stopped:  # a partial result: completed unless nothing (or something else) failed
            broken = [r for r in failed if r.state is not SubtaskState.SKIPPED]
            done = len(results) - len(failed)
            state = "completed" if done and not broken else "failed"
            reason = "; ".join([stopped, failure_summary(broken)]) if broken else stopped
            text = (
                f"**Partial result ({stopped}):** {done} of {len(results)} subtasks completed; "
                f"no further subtask was started.\n\n{text}"
            )
        if plan.unserved:  # served in part: the first line says what was not done and why
            text = f"{not_done_line(plan.unserved)}\n\n{text}"
        data = self._manifest(plan, results, state, usage, duration, self._guard.stopped_by)
        total = Usage(**{k: v for k, v in data["usage"].items()})
        return Finished(state, text, data, reason, total)

    def _manifest(
        self, plan: Plan, results: list[SubtaskResult], state: str, synthesis: Usage, duration: float, stopped_by: str
    ) -> dict[str, Any]:
        """The manifest with its costs and `budget` section: limits, what was spent, and which limit stopped the
        goal (tokens | cost_usd | subtasks | time; null if none did)."""
        data = manifest(
            self.goal_id,
            plan,
            results,
            state=state,
            usage=plan.usage,
            synthesis_usage=synthesis,
            duration_s=duration,
            prices=self._prices,
            model=self._model_id,
        )
        spent = {
            "tokens": tokens_of(Usage(**data["usage"])),
            "cost_usd": data["cost_usd"],
            "subtasks": sum(1 for r in results if r.attempts),
            "time_s": round(duration, 3),
        }
        limits = {**self._guard.budget.model_dump(), "time_s": self._deadline_s}
        data["budget"] = {"limits": limits, "spent": spent, "stopped_by": stopped_by or None}
        return data

    def _failed(
        self, plan: Plan | None, results: list[SubtaskResult], reason: str, duration: float, stopped_by: str = ""
    ) -> Finished:
        if plan is None:
            return Finished("failed", reason, {"goal_id": self.goal_id, "state": "failed"}, reason)
        data = self._manifest(plan, results, "failed", Usage(), duration, stopped_by)
        done = [r for r in results if r.state is SubtaskState.COMPLETED]
        text = "\n\n".join(f"## {r.subtask_id} ({r.skill}, {r.worker_name})\n{r.output.text}" for r in done)
        return Finished("failed", text or reason, data, reason)
