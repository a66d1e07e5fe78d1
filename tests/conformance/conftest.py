"""The two agents under conformance test, each served on a real socket: the orchestrator and one worker
(data_analyst: it completes, asks a question when no table is attached, and can be made to hang).

`target` is parametrized over both; the tests are also parametrized over both bindings. A `Target` hands out
the three kinds of request every test needs, in the agent's own terms: one that completes (`done`), one that
pauses at input-required (`ask`) and one that keeps running until cancelled (`hang`, sent to `hang_base`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
from a2a.types import Message
from starlette.types import ASGIApp

from agents.registry import worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.model import Model
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import user_message
from tests.support.orchestration import orchestrator_app, plan_part, url
from tests.support.processes import agent_process, free_ports, scripted
from tests.support.servers import served

WORKER = "data_analyst"
CSV = "Describe the columns of this CSV:\nname,age\nAda,36\nAlan,41"
Kind = Literal["done", "ask", "hang"]


class BlockingModel:
    """A model that never answers: keeps a worker task running until it is cancelled."""

    async def respond(self, conversation: Conversation) -> ModelTurn:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Target:
    kind: Literal["orchestrator", "worker"]
    base: str  # the agent under test
    hang_base: str  # where `hang` requests go (the worker: the same worker with a model that never answers)
    question: str  # what the agent asks on an `ask` request
    reply: str  # an answer to that question that lets the task complete

    @property
    def push(self) -> bool:
        return self.kind == "orchestrator"

    def message(self, kind: Kind, *, task_id: str = "", context_id: str = "") -> Message:
        if self.kind == "worker":
            text = {"done": CSV, "ask": "Describe the columns of my table.", "hang": "Describe my table."}[kind]
            return user_message(text, task_id=task_id, context_id=context_id)
        skill = {"done": "describe_table", "ask": "ask_unit", "hang": "hang_forever"}[kind]
        plan = plan_part({"id": "s1", "skill": skill, "brief": CSV})
        return user_message(f"run the {skill} plan", plan, task_id=task_id, context_id=context_id)

    def reply_message(self, task_id: str, context_id: str) -> Message:
        return user_message(self.reply, task_id=task_id, context_id=context_id)


def _worker(data_dir: Path, model: Model | None = None) -> Callable[[str], ASGIApp]:
    def build(base: str) -> ASGIApp:
        settings = load_worker_settings(WORKER, {}, {"public_url": base, "data_dir": str(data_dir)})
        return build_worker_app(worker_spec(WORKER), settings, model=model)

    return build


@pytest.fixture(scope="session")
def scripted_agents() -> Iterator[tuple[str, str]]:
    """Third-party-style agents the orchestrator can route to: one that asks, one that hangs."""
    ask_port, hang_port = free_ports(2)
    with (
        agent_process(scripted(ask_port, skill="ask_unit", mode="ask", name="asker"), ask_port),
        agent_process(scripted(hang_port, skill="hang_forever", mode="hang", name="hanger"), hang_port),
    ):
        yield url(ask_port), url(hang_port)


@pytest.fixture(params=["orchestrator", "worker"])
async def target(
    request: pytest.FixtureRequest, tmp_path: Path, scripted_agents: tuple[str, str]
) -> AsyncIterator[Target]:
    async with contextlib.AsyncExitStack() as stack:
        worker = await stack.enter_async_context(served(_worker(tmp_path / "worker")))
        if request.param == "worker":
            hanging = await stack.enter_async_context(served(_worker(tmp_path / "hang", BlockingModel())))
            yield Target("worker", worker, hanging, "attach the table", CSV.split(":", 1)[1].strip())
            return
        orch = await stack.enter_async_context(
            served(
                orchestrator_app(
                    tmp_path / "orch",
                    [worker, *scripted_agents],
                    SWITCHBOARD_SHUTDOWN_GRACE="0.2",  # goals on the hanging agent are suspended, not waited for
                )
            )
        )
        yield Target("orchestrator", orch, orch, "Which unit should I use?", "meters, please")


@pytest.fixture(params=["jsonrpc", "rest"])
def binding(request: pytest.FixtureRequest) -> str:
    return str(request.param)
