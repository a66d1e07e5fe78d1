"""Every agent's guarantees across resends and restarts: a message sent twice runs once; a task a restart
interrupted is run again when the worker comes back (once), and its caller can re-attach to it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from a2a.types import (
    GetTaskRequest,
    ListTasksRequest,
    SendMessageConfiguration,
    SendMessageRequest,
    SubscribeToTaskRequest,
    Task,
)
from pydantic import BaseModel
from starlette.applications import Starlette

from agents.host.database import open_engine
from agents.host.ledger import MessageLedger
from agents.host.migrate import upgrade
from agents.host.writes import WriteQueue
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer, call
from agents.runtime.settings import load_worker_settings
from agents.runtime.spec import WorkerSpec
from agents.runtime.tools import Tool, ToolContext, ToolResult
from orchestrator_agent.client import fold
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import until_async
from tests.support.servers import served

CARDS = Path(__file__).parents[1] / "support" / "cards"


class _Gate(BaseModel):
    pass


class Counted:
    """A toy worker whose one tool counts its runs and, while `hold` is set, waits until released."""

    def __init__(self) -> None:
        self.runs = 0
        self.hold = False
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def work(self, _args: _Gate, _ctx: ToolContext) -> ToolResult:
        self.runs += 1
        self.started.set()
        if self.hold:
            await self.release.wait()
        return ToolResult(text=f"run {self.runs}")

    def spec(self) -> WorkerSpec:
        def policy(conversation: Conversation) -> ModelTurn:
            history = conversation.tool_history()
            return answer(f"done after {history[0][1].content}") if history else call("count")

        return WorkerSpec(
            name="toy",
            system_prompt="You count.",
            tools=[Tool("count", "Count a run.", _Gate, self.work)],
            policy=policy,
            skill_tools={"count": ["count"]},
        )

    def builder(self, data_dir: Path) -> Callable[[str], Starlette]:
        def build(url: str) -> Starlette:
            settings = load_worker_settings(
                "toy", {}, {"public_url": url, "data_dir": str(data_dir), "cards_dir": str(CARDS)}
            )
            return build_worker_app(self.spec(), settings)

        return build


async def _start_in_background(client_url: str, text: str, message_id: str = "") -> Task:
    async with a2a_client(client_url, streaming=False) as client:
        message = user_message(text)
        if message_id:
            message.message_id = message_id
        request = SendMessageRequest(message=message, configuration=SendMessageConfiguration(return_immediately=True))
        (reply,) = [e async for e in client.send_message(request)]
        return reply.task


async def _interrupted(tmp_path: Path) -> tuple[Counted, Callable[[str], Starlette], Task]:
    """A held worker whose server stops while its one task runs: the task is left `working` on disk."""
    worker = Counted()
    worker.hold = True
    build = worker.builder(tmp_path)
    async with served(build) as url:
        task = await _start_in_background(url, "count")
        await asyncio.wait_for(worker.started.wait(), 10)
    worker.started.clear()
    return worker, build, task


async def test_a_resent_message_returns_the_first_task_without_running_again(tmp_path: Path) -> None:
    worker = Counted()
    async with served(worker.builder(tmp_path)) as url, a2a_client(url, streaming=False) as client:
        message = user_message("count")
        first, _ = await send(client, message)
        again, _ = await send(client, message)
        page = await client.list_tasks(ListTasksRequest())
    assert state(first) == "completed" and again.id == first.id and state(again) == "completed"
    assert artifact_text(again) == artifact_text(first)
    assert worker.runs == 1 and len(page.tasks) == 1


async def test_duplicates_sent_at_once_share_one_task_and_each_stream_sees_it_finish(tmp_path: Path) -> None:
    worker = Counted()
    worker.hold = True
    async with served(worker.builder(tmp_path)) as url, a2a_client(url) as client:
        message = user_message("count")

        async def stream() -> Task:
            task: Task | None = None
            async for event in client.send_message(SendMessageRequest(message=message)):
                task = fold(task, event)
            assert task is not None
            return task

        streams = [asyncio.create_task(stream()) for _ in range(3)]
        await asyncio.wait_for(worker.started.wait(), 10)
        worker.release.set()
        tasks = await asyncio.wait_for(asyncio.gather(*streams), 10)
    assert {t.id for t in tasks} == {tasks[0].id}
    assert [state(t) for t in tasks] == ["completed"] * 3
    assert worker.runs == 1


async def test_the_same_message_id_is_recognised_after_a_restart(tmp_path: Path) -> None:
    worker = Counted()
    build = worker.builder(tmp_path)
    async with served(build) as url, a2a_client(url, streaming=False) as client:
        message = user_message("count")
        first, _ = await send(client, message)
    async with served(build) as url, a2a_client(url, streaming=False) as client:
        again, _ = await send(client, message)
    assert again.id == first.id and worker.runs == 1


async def test_a_task_interrupted_by_a_restart_runs_again_and_a_caller_can_reattach(tmp_path: Path) -> None:
    worker, build, task = await _interrupted(tmp_path)
    # the process is gone with the task `working`; the next one runs it again from its history
    async with served(build) as url, a2a_client(url) as client:
        await asyncio.wait_for(worker.started.wait(), 10)
        subscription = client.subscribe(SubscribeToTaskRequest(id=task.id))
        events = [await anext(subscription)]  # attached while the task runs again
        worker.release.set()
        events += [e async for e in subscription]
        final = await client.get_task(GetTaskRequest(id=task.id))
    folded: Task | None = None
    for event in events:
        folded = fold(folded, event)
    assert folded is not None and state(folded) == "completed"
    assert state(final) == "completed" and "done after run 2" in artifact_text(final)
    assert worker.runs == 2


async def test_a_task_interrupted_twice_fails_instead_of_running_a_third_time(tmp_path: Path) -> None:
    worker, build, task = await _interrupted(tmp_path)
    async with served(build):
        await asyncio.wait_for(worker.started.wait(), 10)  # resumed once, and interrupted again
    async with served(build) as url, a2a_client(url) as client:
        final: dict[str, Task] = {}

        async def settled() -> bool:
            final["task"] = await client.get_task(GetTaskRequest(id=task.id))
            return state(final["task"]) == "failed"

        await until_async(settled, timeout=10)
    assert "not resumed a second time" in status_text(final["task"])
    assert worker.runs == 2


async def test_the_ledger_finds_messages_beyond_its_memory_in_the_database(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}")
    await upgrade(engine)  # the schema comes from the migrations
    writes = WriteQueue(engine, name="test")
    try:
        ledger = MessageLedger(engine, writes, cache_size=2)
        await ledger.open()
        for i in range(3):
            assert await ledger.claim("alice", f"m{i}") is None
            ledger.bind("alice", f"m{i}", f"task-{i}")
        await writes.flush()
        assert await ledger.claim("alice", "m0") == "task-0"  # evicted from memory, found on disk
        assert await ledger.claim("bob", "m0") is None  # another owner's message id is another message
        ledger.release("bob", "m0")
        reopened = MessageLedger(engine, writes, cache_size=2)
        await reopened.open()  # more entries than it can hold: it keeps asking the database
        assert await reopened.claim("alice", "m1") == "task-1"
        roomy = MessageLedger(engine, writes)
        await roomy.open()  # everything fits: loaded at start
        assert await roomy.claim("alice", "m2") == "task-2"
    finally:
        await writes.aclose()
        await engine.dispose()
