"""A third-party-style A2A agent for tests and benchmarks, built on the bare a2a-sdk (not Switchboard's runtime).

    python -m tests.support.scripted_agent --port P --name NAME --skill ID [--skill ID ...]
        --mode MODE [--delay SECONDS] [--tags t1,t2]

Modes: `ok` (works `--delay` seconds, then answers with an artifact echoing the brief and the inputs it got),
`fail` (fails), `reject` (rejects), `ask` (asks a question, completes with the reply), `hang` (works forever
until cancelled). `--database-url` swaps the in-memory task store for the SDK's SQL store (a fair baseline
for benchmarks of agents that persist their tasks). Every task the agent saw, with its final state, is
listed at `GET /seen` so tests can check the worker side (cancel cascades, what context reached it).
`--gate N` holds each task (for at most `--delay` seconds) until N tasks run at once; `GET /concurrency` says
how many ran at once at the peak, so a test counts parallelism instead of timing it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes, create_rest_routes
from a2a.server.tasks import DatabaseTaskStore, InMemoryTaskStore, TaskUpdater
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill, Part
from google.protobuf.json_format import MessageToDict
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agents.host.database import open_engine


class ScriptedExecutor(AgentExecutor):
    def __init__(self, mode: str, delay: float, gate: int = 0) -> None:
        self.mode = mode
        self.delay = delay
        self.gate = gate
        self.seen: dict[str, dict[str, Any]] = {}
        self.running = 0
        self.peak = 0
        self._changed = asyncio.Condition()

    async def _work(self) -> None:
        """The task's work: `delay` seconds, or, with a gate, until that many tasks run at once (at most
        `delay` seconds)."""
        async with self._changed:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self._changed.notify_all()
        try:
            if not self.gate:
                await asyncio.sleep(self.delay)
                return
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: self.peak >= self.gate), self.delay)
        finally:
            async with self._changed:
                self.running -= 1

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        task = context.current_task
        first_turn = task is None
        if task is None:
            task = new_task_from_user_message(context.message)
            await event_queue.enqueue_event(task)
        record = self.seen.setdefault(task.id, {"parts": [], "state": "working", "metadata": context.metadata})
        record["parts"].extend(MessageToDict(p) for p in context.message.parts)
        up = TaskUpdater(event_queue, task.id, task.context_id)
        await up.start_work(up.new_agent_message([Part(text="working")]))
        try:
            if self.mode == "ask" and first_turn:
                record["state"] = "input_required"
                await up.requires_input(up.new_agent_message([Part(text="Which unit should I use?")]))
                return
            if self.mode == "hang":
                await asyncio.Event().wait()
            await self._work()
            if self.mode == "fail":
                record["state"] = "failed"
                await up.failed(up.new_agent_message([Part(text="scripted failure")]))
                return
            if self.mode == "reject":
                record["state"] = "rejected"
                await up.reject(up.new_agent_message([Part(text="not my job")]))
                return
            text = " | ".join(p.text for p in context.message.parts if p.text)
            await up.add_artifact([Part(text=f"done: {text}")], artifact_id="out", name="answer")
            record["state"] = "completed"
            await up.complete()
        except asyncio.CancelledError:
            record["state"] = "canceled"
            raise

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        if context.task_id in self.seen:
            self.seen[context.task_id]["state"] = "canceled"
        task = context.current_task
        up = TaskUpdater(event_queue, context.task_id or "", task.context_id if task else context.context_id or "")
        await up.cancel()


def build_app(
    base_url: str,
    *,
    name: str,
    skills: list[str],
    tags: list[str],
    mode: str,
    delay: float,
    database_url: str = "",
    gate: int = 0,
) -> Starlette:
    card = AgentCard(
        name=name,
        description=f"Scripted test agent ({mode})",
        version="0.0.1",
        supported_interfaces=[
            AgentInterface(url=f"{base_url}/a2a/jsonrpc", protocol_binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url=f"{base_url}/a2a/rest", protocol_binding="HTTP+JSON", protocol_version="1.0"),
        ],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain", "application/json"],
        default_output_modes=["text/plain"],
        skills=[
            AgentSkill(
                id=s,
                name=s.replace("_", " "),
                description=f"Scripted skill {s}",
                tags=tags or [s],
                examples=[f"do {s}"],
            )
            for s in skills
        ],
    )
    executor = ScriptedExecutor(mode, delay, gate)
    store = DatabaseTaskStore(open_engine(database_url)) if database_url else InMemoryTaskStore()
    handler = DefaultRequestHandler(agent_executor=executor, task_store=store, agent_card=card)

    async def seen(_request: Request) -> JSONResponse:
        return JSONResponse(executor.seen)

    async def concurrency(_request: Request) -> JSONResponse:
        return JSONResponse({"peak": executor.peak, "running": executor.running})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await handler.aclose()

    routes = [
        *create_agent_card_routes(card),
        *create_jsonrpc_routes(handler, rpc_url="/a2a/jsonrpc"),
        *create_rest_routes(handler, path_prefix="/a2a/rest"),
        Route("/seen", seen),
        Route("/concurrency", concurrency),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--name", default="scripted")
    parser.add_argument("--skill", action="append", required=True)
    parser.add_argument("--tags", default="")
    parser.add_argument("--mode", default="ok", choices=["ok", "fail", "reject", "ask", "hang"])
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--gate", type=int, default=0, help="hold each task until this many run at once")
    parser.add_argument("--database-url", default="", help="SQL task store (default: in memory)")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    app = build_app(
        base,
        name=args.name,
        skills=args.skill,
        tags=[t for t in args.tags.split(",") if t],
        mode=args.mode,
        delay=args.delay,
        database_url=args.database_url,
        gate=args.gate,
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
