"""Cost roll-up and per-goal budgets over real sockets: a Claude-backed worker (Claude faked over HTTP) spends a
known 120 tokens (100 in, 20 out) per subtask and reports them with its model id; the offline orchestrator sums
them per subtask and per goal, prices them, and stops starting subtasks once the goal's budget is reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from agents.writer.worker import SPEC
from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.fake_claude import FakeClaude, serve_fake_claude, text_reply, usage
from tests.support.orchestration import orchestrator_app, plan_part
from tests.support.servers import served

pytestmark = pytest.mark.timeout(30)

SONNET = "claude-sonnet-5"  # priced in the built-in table: $3 in, $15 out per million tokens (estimates)
PER_SUBTASK = 100 * 3 / 1e6 + 20 * 15 / 1e6


@asynccontextmanager
async def claude_worker(tmp_path: Path) -> AsyncIterator[str]:
    """The writer on (fake) Claude: every model call answers at once, spending 100 input and 20 output tokens."""
    fake = FakeClaude(responder=lambda _body: text_reply("A short note.", tokens=usage(100, 20)))
    async with serve_fake_claude(fake) as claude_url:
        env = {"ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": claude_url, "SWITCHBOARD_MODEL": SONNET}

        def build(url: str) -> Starlette:
            settings = load_worker_settings("writer", env, {"public_url": url, "data_dir": str(tmp_path / "w")})
            return build_worker_app(SPEC, settings)

        async with served(build) as url:
            yield url


def four_subtasks() -> Any:
    return plan_part(*({"id": f"s{i}", "skill": "write_report", "brief": f"Write note {i}."} for i in range(1, 5)))


async def run_goal(tmp_path: Path, budget: dict[str, Any] | None = None, **env: str) -> tuple[Any, dict[str, Any]]:
    async with claude_worker(tmp_path) as worker:
        build = orchestrator_app(tmp_path / "o", [worker], **env)
        async with served(build) as orch, a2a_client(orch) as client:
            message = user_message("Write four notes", four_subtasks())
            if budget is not None:
                message.metadata.update({"switchboard.budget": budget})
            task, _ = await send(client, message)
    data = manifest_of(task)
    assert data is not None, status_text(task)
    return task, data


async def test_a_token_budget_lets_two_subtasks_run_and_skips_the_rest(tmp_path: Path) -> None:
    task, data = await run_goal(tmp_path, SWITCHBOARD_MAX_CONCURRENCY="1", SWITCHBOARD_BUDGET_TOKENS="240")
    assert state(task) == "completed", status_text(task)
    states = {s["id"]: s["state"] for s in data["subtasks"]}
    assert states == {"s1": "completed", "s2": "completed", "s3": "skipped", "s4": "skipped"}
    skipped = [s["reason"] for s in data["subtasks"] if s["state"] == "skipped"]
    assert skipped == ["budget reached: tokens 240 of 240"] * 2
    assert "budget reached" in artifact_text(task) and "2 of 4 subtasks completed" in artifact_text(task)
    # the sums: per subtask what the worker reported, per goal their total, priced on the worker's model
    for s in data["subtasks"][:2]:
        assert s["usage"]["input_tokens"] == 100 and s["usage"]["output_tokens"] == 20 and s["model"] == SONNET
        assert s["cost_usd"] == pytest.approx(PER_SUBTASK)
    assert data["usage"]["input_tokens"] == 200 and data["usage"]["output_tokens"] == 40
    assert data["cost_usd"] == pytest.approx(2 * PER_SUBTASK)
    budget = data["budget"]
    assert budget["stopped_by"] == "tokens" and budget["limits"]["tokens"] == 240
    assert budget["spent"]["tokens"] == 240 and budget["spent"]["subtasks"] == 2
    assert budget["spent"]["cost_usd"] == data["cost_usd"]


async def test_a_caller_lowers_the_subtask_budget_but_cannot_raise_the_token_budget(tmp_path: Path) -> None:
    caller = {"subtasks": 2, "tokens": 1_000_000}
    task, data = await run_goal(tmp_path, caller, SWITCHBOARD_BUDGET_SUBTASKS="3", SWITCHBOARD_BUDGET_TOKENS="5000")
    assert state(task) == "completed", status_text(task)
    assert [s["state"] for s in data["subtasks"]].count("completed") == 2
    assert data["budget"]["limits"] == {"tokens": 5000, "cost_usd": None, "subtasks": 2, "time_s": 600.0}
    assert data["budget"]["stopped_by"] == "subtasks"
    assert {s["reason"] for s in data["subtasks"] if s["state"] == "skipped"} == {"budget reached: subtasks 2 of 2"}


async def test_without_a_budget_every_subtask_runs_and_the_goal_is_priced(tmp_path: Path) -> None:
    task, data = await run_goal(tmp_path)
    assert state(task) == "completed", status_text(task)
    assert all(s["state"] == "completed" for s in data["subtasks"])
    assert data["cost_usd"] == pytest.approx(4 * PER_SUBTASK)
    assert data["budget"]["stopped_by"] is None and data["budget"]["spent"]["tokens"] == 480


async def test_a_malformed_caller_budget_fails_the_goal_clearly(tmp_path: Path) -> None:
    async with served(orchestrator_app(tmp_path, ["http://127.0.0.1:9"])) as orch, a2a_client(orch) as client:
        for bad in ({"tokens": -1}, {"subtasks": "many"}, {"dollars": 1}, "cheap", [1]):
            message = user_message("Write four notes", four_subtasks())
            message.metadata.update({"switchboard.budget": bad})
            task, _ = await send(client, message)
            assert state(task) == "failed", bad
            assert "switchboard.budget must be {tokens, cost_usd, subtasks}" in status_text(task), bad
