"""Estimated cost and budget arithmetic (budget.py): table-driven, no network."""

from __future__ import annotations

import pytest

from agents.host.wire import Usage
from orchestrator_agent.budget import DEFAULT_PRICES, Budget, BudgetGuard, Price, add_costs, cost_usd
from orchestrator_agent.models import Attempt, SubtaskResult, SubtaskState

PRICES = {**DEFAULT_PRICES, "m": Price(input=2.0, output=10.0, cache_read=0.2, cache_write=2.5)}


@pytest.mark.parametrize(
    ("usage", "model", "expected"),
    [
        (Usage(input_tokens=1_000_000), "m", 2.0),
        (Usage(output_tokens=500_000), "m", 5.0),
        (Usage(cache_read_tokens=1_000_000, cache_write_tokens=1_000_000), "m", 2.7),
        (Usage(input_tokens=100, output_tokens=20), "claude-sonnet-5", 0.0006),
        (Usage(input_tokens=100, output_tokens=20), "offline", 0.0),
        (Usage(input_tokens=100), "no-such-model", None),  # unknown model: null, never an error
        (Usage(), "no-such-model", 0.0),  # nothing used costs nothing, whatever the model
        (Usage(input_tokens=1), "", None),
    ],
)
def test_cost_of_usage(usage: Usage, model: str, expected: float | None) -> None:
    assert cost_usd(usage, model, PRICES) == expected


def test_costs_add_up_unless_one_is_unknown() -> None:
    assert add_costs(0.1, 0.2) == 0.3
    assert add_costs() == 0.0
    assert add_costs(0.1, None) is None


@pytest.mark.parametrize(
    ("ours", "callers", "expected"),
    [
        (Budget(), Budget(tokens=5), Budget(tokens=5)),
        (Budget(tokens=5), Budget(tokens=50, subtasks=2), Budget(tokens=5, subtasks=2)),  # never raised
        (Budget(cost_usd=1.0), Budget(cost_usd=0.5), Budget(cost_usd=0.5)),
    ],
)
def test_a_caller_only_lowers_a_budget(ours: Budget, callers: Budget, expected: Budget) -> None:
    assert ours.lowered(callers) == expected


@pytest.mark.parametrize("bad", [{"tokens": 0}, {"cost_usd": -1}, {"subtasks": "x"}, {"time": 5}])
def test_a_bad_budget_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Budget.model_validate(bad)


def _done(sid: str, usage: Usage, model: str = "") -> SubtaskResult:
    attempt = Attempt(worker_url="u", worker_name="w", skill_id="s", state=SubtaskState.COMPLETED)
    return SubtaskResult(
        subtask_id=sid, skill="s", state=SubtaskState.COMPLETED, usage=usage, model=model, attempts=(attempt,)
    )


@pytest.mark.parametrize(
    ("budget", "started", "reason", "which"),
    [
        (Budget(), 9, "", ""),
        (Budget(tokens=241), 2, "", ""),
        (Budget(tokens=240), 2, "budget reached: tokens 240 of 240", "tokens"),
        (Budget(cost_usd=0.0012), 2, "budget reached: cost $0.001200 of $0.0012 (estimated)", "cost_usd"),
        (Budget(subtasks=2), 2, "budget reached: subtasks 2 of 2", "subtasks"),
        (Budget(subtasks=3), 2, "", ""),
    ],
)
def test_the_guard_stops_at_the_first_limit_reached(budget: Budget, started: int, reason: str, which: str) -> None:
    results = {s: _done(s, Usage(input_tokens=100, output_tokens=20), "claude-sonnet-5") for s in ("s1", "s2")}
    guard = BudgetGuard(budget, PRICES, "offline")
    assert guard.check(results, started) == reason
    assert (guard.stopped, guard.stopped_by) == (reason, which)


def test_unknown_cost_never_stops_a_goal_and_the_orchestrators_model_prices_silent_workers() -> None:
    results = {"s1": _done("s1", Usage(input_tokens=10**6), "no-such-model")}
    assert BudgetGuard(Budget(cost_usd=0.01), PRICES, "m").check(results, 1) == ""
    silent = {"s1": _done("s1", Usage(input_tokens=10**6))}  # no model reported: the orchestrator's is used
    guard = BudgetGuard(Budget(cost_usd=1.0), PRICES, "m", Usage(output_tokens=1))
    assert guard.spent(silent, 1) == {"tokens": 1_000_001, "cost_usd": 2.00001, "subtasks": 1}
    assert guard.check(silent, 1).startswith("budget reached: cost")
