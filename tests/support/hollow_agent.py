"""A third-party-style A2A agent (bare a2a-sdk) whose every task ends `completed` with nothing to show for it.

Shapes (`hollow`): `none` completes with no artifact and no status text; `blank` completes with an artifact whose
only text part is whitespace. The skill's description is the caller's to choose, so a test can make this agent
rank first for a brief. Every task it saw is counted at `GET /seen` (`{"tasks": N}`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Literal

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill, Part
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Hollow = Literal["none", "blank"]


class HollowExecutor(AgentExecutor):
    def __init__(self, hollow: Hollow) -> None:
        self.hollow = hollow
        self.tasks = 0

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        task = context.current_task or new_task_from_user_message(context.message)
        if context.current_task is None:
            await event_queue.enqueue_event(task)
        self.tasks += 1
        up = TaskUpdater(event_queue, task.id, task.context_id)
        await up.start_work()
        if self.hollow == "blank":
            await up.add_artifact([Part(text=" \n\t ")], artifact_id="out", name="answer")
        await up.complete()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        up = TaskUpdater(event_queue, context.task_id or "", task.context_id if task else context.context_id or "")
        await up.cancel()


def build_app(base_url: str, *, hollow: Hollow, skill: str, description: str, name: str = "hollow") -> Starlette:
    card = AgentCard(
        name=name,
        description="Completes every task without an answer",
        version="0.0.1",
        supported_interfaces=[
            AgentInterface(url=f"{base_url}/a2a/jsonrpc", protocol_binding="JSONRPC", protocol_version="1.0")
        ],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id=skill, name=skill, description=description, tags=[skill], examples=[description])],
    )
    executor = HollowExecutor(hollow)
    handler = DefaultRequestHandler(agent_executor=executor, task_store=InMemoryTaskStore(), agent_card=card)

    async def seen(_request: Request) -> JSONResponse:
        return JSONResponse({"tasks": executor.tasks})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await handler.aclose()

    routes = [
        *create_agent_card_routes(card),
        *create_jsonrpc_routes(handler, rpc_url="/a2a/jsonrpc"),
        Route("/seen", seen),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
