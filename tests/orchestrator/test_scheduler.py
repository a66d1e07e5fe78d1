"""The scheduler without a socket: a scripted gateway (tests/fakes.py) plays each worker, and the tests count
what went out: sends, re-sends of the same message, re-attaches, cancels, questions, skipped subtasks."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from a2a.types import Part

from orchestrator_agent.models import Plan, Subtask, SubtaskResult, SubtaskState
from orchestrator_agent.scheduler import GoalEvent, GoalScope, Limits, Scheduler
from tests.fakes import FakeRoster, Reply, ScriptedGateway, complete, ends, error, hang, remaining, worker

pytestmark = pytest.mark.timeout(10)

A, B = "http://a.test", "http://b.test"  # equally healthy and idle: A ranks first (URL tie-break)
FAST = Limits(retries=1, retry_backoff=0.0, subtask_timeout=5.0, reattach_window=1.0, cancel_timeout=1.0)
ONE = Plan(subtasks=(Subtask(id="x", skill="echo", brief="say hi"),))


async def run(
    plan: Plan,
    gateway: ScriptedGateway,
    *,
    limits: Limits = FAST,
    scope: GoalScope | None = None,
    answers: Sequence[str] = (),
) -> tuple[list[SubtaskResult], list[GoalEvent], list[tuple[str, str]], FakeRoster]:
    roster = FakeRoster(worker(A, "echo"), worker(B, "echo"))
    events: list[GoalEvent] = []
    questions: list[tuple[str, str]] = []
    replies = list(answers)

    async def emit(event: GoalEvent) -> None:
        events.append(event)

    async def ask(subtask_id: str, question: str) -> Sequence[Part]:
        questions.append((subtask_id, question))
        return [Part(text=replies.pop(0))]

    scheduler = Scheduler(roster, gateway, limits)
    results = await scheduler.run(plan, scope or GoalScope(goal_id="g"), emit, ask)
    return results, events, questions, roster


def attempts(result: SubtaskResult) -> list[tuple[str, str]]:
    return [(a.worker_url, a.state.value) for a in result.attempts]


@pytest.mark.parametrize(
    "scripts, reattach, sends, expected_attempts, reason",
    [
        pytest.param({A: [complete()]}, {}, [A], [(A, "completed")], "", id="first-worker-completes"),
        pytest.param(  # the same message again: it may have arrived before the error
            {A: [error("HTTP 503", retryable=True), complete()]}, {}, [A, A], [(A, "completed")], "", id="retry"
        ),
        pytest.param(
            {A: [error("HTTP 503", retryable=True), error("HTTP 503", retryable=True)], B: [complete()]},
            {},
            [A, A, B],
            [(A, "failed"), (B, "completed")],
            "HTTP 503",
            id="retries-run-out-then-fallback",
        ),
        pytest.param(  # not transient: never re-sent to the worker that may have taken it
            {A: [error("not valid JSON")], B: [complete()]},
            {},
            [A, B],
            [(A, "failed"), (B, "completed")],
            "not valid JSON",
            id="fallback-without-retry",
        ),
        pytest.param(
            {A: [ends(SubtaskState.FAILED, "boom")], B: [complete()]},
            {},
            [A, B],
            [(A, "failed"), (B, "completed")],
            "boom",
            id="a-failed-task-falls-back",
        ),
        pytest.param(
            {A: [complete("")], B: [complete()]},
            {},
            [A, B],
            [(A, "failed"), (B, "completed")],
            "without producing any output",
            id="an-empty-answer-is-no-answer",
        ),
        pytest.param(  # the stream broke after the worker named its task: re-attached, not sent again
            {A: [error("connection reset", retryable=True, named=True)]},
            {A: [complete()]},
            [A],
            [(A, "completed")],
            "",
            id="reattach",
        ),
    ],
)
async def test_retry_fallback_and_reattach(
    scripts: dict[str, list[Reply]],
    reattach: dict[str, list[Reply]],
    sends: list[str],
    expected_attempts: list[tuple[str, str]],
    reason: str,
) -> None:
    gateway = ScriptedGateway(scripts, reattach)
    reattaches = sum(len(v) for v in reattach.values())
    (result,), _, _, _ = await run(ONE, gateway)
    assert result.state is SubtaskState.COMPLETED, result.reason
    assert [url for url, _ in gateway.sends] == sends
    assert attempts(result) == expected_attempts
    assert reason in (result.attempts[0].reason if len(result.attempts) > 1 else "")
    assert not remaining(gateway)
    retried = [m for url, m in gateway.sends if url == A]
    assert len(set(retried)) == 1, "a retry re-sends the same message id"
    assert len(gateway.reattaches) == reattaches


async def test_a_retry_records_the_failure_but_a_refusal_of_the_request_does_not() -> None:
    gateway = ScriptedGateway({A: [error("HTTP 503", retryable=True), complete()]})
    _, _, _, roster = await run(ONE, gateway)
    assert [url for url, _ in roster.failures] == [A] and roster.successes == [A]
    refusing = ScriptedGateway({A: [error("unsupported content type", refused=True)], B: [complete()]})
    (result,), _, _, roster = await run(ONE, refusing)
    assert attempts(result) == [(A, "failed"), (B, "completed")]
    assert roster.failures == [], "a worker that answers with a typed error is up"


async def test_a_timed_out_attempt_is_canceled_on_the_worker_and_the_next_one_runs() -> None:
    gateway = ScriptedGateway({A: [hang()], B: [complete()]})
    (result,), _, _, roster = await run(ONE, gateway, limits=Limits(subtask_timeout=0.2, retry_backoff=0.0))
    assert attempts(result) == [(A, "failed"), (B, "completed")]
    assert result.attempts[0].reason == "timed out after 0.2 s"
    assert gateway.cancels == [(A, result.attempts[0].remote_task_id)]
    assert (A, "timed out after 0.2 s") in roster.failures


async def test_a_question_goes_to_the_caller_and_the_reply_continues_the_same_task() -> None:
    gateway = ScriptedGateway({A: [ends(SubtaskState.INPUT_REQUIRED, "Which unit?"), complete("42 km")]})
    (result,), _, questions, _ = await run(ONE, gateway, answers=["kilometres"])
    assert questions == [("x", "Which unit?")]
    first, reply = gateway.messages
    assert reply.message.task_id == result.remote_task_id and reply.message.context_id == first.message.context_id
    assert [p.text for p in reply.message.parts] == ["kilometres"]
    assert result.state is SubtaskState.COMPLETED and result.output.text == "42 km"


async def test_the_budget_stops_new_subtasks_and_says_why() -> None:
    plan = Plan(
        subtasks=(Subtask(id="x", skill="echo", brief="one"), Subtask(id="y", skill="echo", brief="two")),
    )
    gateway = ScriptedGateway({A: [complete()], B: [complete()]})
    scope = GoalScope(goal_id="g", budget=lambda _results, started: "budget spent" if started >= 1 else "")
    results, _, _, _ = await run(plan, gateway, limits=Limits(max_concurrency=1, retry_backoff=0.0), scope=scope)
    assert [r.state for r in results] == [SubtaskState.COMPLETED, SubtaskState.SKIPPED]
    assert results[1].reason == "budget spent" and len(gateway.sends) == 1


async def test_a_subtask_whose_dependency_failed_is_skipped_not_sent() -> None:
    plan = Plan(
        subtasks=(
            Subtask(id="x", skill="echo", brief="one"),
            Subtask(id="y", skill="echo", brief="two", depends_on=("x",)),
        )
    )
    gateway = ScriptedGateway({A: [ends(SubtaskState.FAILED, "no")], B: [ends(SubtaskState.FAILED, "no")]})
    results, _, _, _ = await run(plan, gateway)
    assert [r.state for r in results] == [SubtaskState.FAILED, SubtaskState.SKIPPED]
    assert "dependencies did not complete" in results[1].reason and len(gateway.sends) == 2


async def test_stopping_the_goal_cancels_the_remote_task() -> None:
    gateway = ScriptedGateway({A: [hang()]})
    roster = FakeRoster(worker(A, "echo"))

    async def emit(_event: GoalEvent) -> None:
        pass

    async def ask(_subtask_id: str, _question: str) -> Sequence[Part]:
        raise AssertionError("no question expected")

    results: dict[str, SubtaskResult] = {}
    goal = asyncio.create_task(Scheduler(roster, gateway, FAST).run(ONE, GoalScope(goal_id="g"), emit, ask, results))
    await asyncio.wait_for(gateway.first_named.wait(), 5)  # the worker took the subtask and named its task
    goal.cancel()
    with pytest.raises(asyncio.CancelledError):
        await goal
    assert gateway.cancels == [(A, gateway.named[0])]
    assert results["x"].state is SubtaskState.CANCELED


async def test_no_worker_with_the_skill_fails_the_subtask_with_the_reason() -> None:
    plan = Plan(subtasks=(Subtask(id="x", skill="translate", brief="hola"),))
    (result,), _, _, _ = await run(plan, ScriptedGateway({}))
    assert result.state is SubtaskState.FAILED and "no available worker offers the skill 'translate'" in result.reason
