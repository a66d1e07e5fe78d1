"""Estimated cost of token use, and a goal's budget (tokens, cost, subtasks).

Contracts:
- `cost_usd(usage, model, prices)` is the estimated USD cost of `usage` on `model`: None when the model has no
  price (unknown), 0.0 for no usage at all (whatever the model); never raises.
- `Budget` limits one goal; None means no limit. `lowered` never raises a limit, only lowers or adds one.
- `BudgetGuard.check` says why no new subtask may start (the first limit spent reaches), "" while within
  budget, and remembers the first such reason in `stopped` (the limit that actually stopped the goal).
  A cost limit cannot stop a goal whose cost is unknown (a model without a price).
  Tokens count every token a model processed: input, output, cache reads and cache writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from agents.host.wire import Usage

from .models import SubtaskResult

OFFLINE_MODEL = "offline"  # what an agent without a model key reports: the offline policy costs nothing


class Price(BaseModel):
    """USD per million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0, allow_inf_nan=False)
    output: float = Field(ge=0, allow_inf_nan=False)
    cache_read: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    cache_write: float = Field(default=0.0, ge=0, allow_inf_nan=False)


Prices = Mapping[str, Price]

# ESTIMATES (USD per million tokens) for the models the project uses; set SWITCHBOARD_PRICES for real numbers
DEFAULT_PRICES: dict[str, Price] = {
    "claude-sonnet-5": Price(input=3.0, output=15.0, cache_read=0.30, cache_write=3.75),
    "claude-sonnet-5-5": Price(input=3.0, output=15.0, cache_read=0.30, cache_write=3.75),
    "claude-opus-5-5": Price(input=5.0, output=25.0, cache_read=0.50, cache_write=6.25),
    "claude-haiku-5-5": Price(input=1.0, output=5.0, cache_read=0.10, cache_write=1.25),
    OFFLINE_MODEL: Price(input=0.0, output=0.0),
}


def tokens_of(usage: Usage) -> int:
    return usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens


def cost_usd(usage: Usage, model: str, prices: Prices) -> float | None:
    """Estimated cost of `usage` on `model`; None if the model has no price and there was usage."""
    if tokens_of(usage) == 0:
        return 0.0
    price = prices.get(model)
    if price is None:
        return None
    total = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_read_tokens * price.cache_read
        + usage.cache_write_tokens * price.cache_write
    )
    return round(total / 1_000_000, 6)


def add_costs(*costs: float | None) -> float | None:
    """The sum, or None if any part is unknown."""
    if any(c is None for c in costs):
        return None
    return round(sum(c for c in costs if c is not None), 6)


N = TypeVar("N", int, float)


def _low(a: N | None, b: N | None) -> N | None:
    return b if a is None else a if b is None else min(a, b)


class Budget(BaseModel):
    """Per-goal limits; None: no limit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tokens: int | None = Field(default=None, ge=1)
    cost_usd: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    subtasks: int | None = Field(default=None, ge=1)

    def lowered(self, other: Budget) -> Budget:
        """Each limit the lower of the two (a limit only one of them sets applies)."""

        return Budget(
            tokens=_low(self.tokens, other.tokens),
            cost_usd=_low(self.cost_usd, other.cost_usd),
            subtasks=_low(self.subtasks, other.subtasks),
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.tokens, self.cost_usd, self.subtasks))


class BudgetGuard:
    """One goal's budget against what it has spent: the orchestrator's own usage plus its subtasks'."""

    def __init__(self, budget: Budget, prices: Prices, model: str, own_usage: Usage | None = None) -> None:
        self.budget = budget
        self._prices = prices
        self._model = model  # the orchestrator's model: for its own usage and workers that name none
        self._own = own_usage or Usage()
        self.stopped = ""  # the first reason a subtask was not started
        self.stopped_by = ""  # which limit that was: tokens | cost_usd | subtasks

    def subtask_cost(self, result: SubtaskResult) -> float | None:
        return cost_usd(result.usage, result.model or self._model, self._prices)

    def spent(self, results: Mapping[str, SubtaskResult], started: int) -> dict[str, float | int | None]:
        usage = sum((r.usage for r in results.values()), self._own)
        own = cost_usd(self._own, self._model, self._prices)
        cost = add_costs(own, *(self.subtask_cost(r) for r in results.values()))
        return {"tokens": tokens_of(usage), "cost_usd": cost, "subtasks": started}

    def check(self, results: Mapping[str, SubtaskResult], started: int) -> str:
        """Why no new subtask may start now ("" if it may)."""
        b = self.budget
        if not b.active:
            return ""
        spent = self.spent(results, started)
        reason, which = "", ""
        if b.tokens is not None and int(spent["tokens"] or 0) >= b.tokens:
            reason, which = f"budget reached: tokens {spent['tokens']} of {b.tokens}", "tokens"
        elif b.cost_usd is not None and spent["cost_usd"] is not None and float(spent["cost_usd"]) >= b.cost_usd:
            reason, which = f"budget reached: cost ${spent['cost_usd']:.6f} of ${b.cost_usd:g} (estimated)", "cost_usd"
        elif b.subtasks is not None and started >= b.subtasks:
            reason, which = f"budget reached: subtasks {started} of {b.subtasks}", "subtasks"
        if reason and not self.stopped:
            self.stopped, self.stopped_by = reason, which
        return reason
