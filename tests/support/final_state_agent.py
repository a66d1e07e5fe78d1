"""An A2A agent that speaks the orchestrator's caller contract and ends each goal in the state the goal names.

Built on the bare a2a-sdk, so `switchboard ask` is tested against the wire contract rather than against the
orchestrator's internals: a `progress` plan event (subtasks and unserved parts), a subtask event, the `result`
artifact (text plus a `manifest` data part) and a final status whose message says why. The goal's first word
picks the ending:

    complete   every part served                      partial   one subtask served, two parts not served
    reject     nothing served (refused, no subtasks)  fail      the subtask failed
    cancel     the agent cancels the task              ask       input-required; the reply on the task completes it
    drop       the stream ends while still working
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from a2a.helpers import new_task_from_user_message
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill, Part, TaskState
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value
from starlette.applications import Starlette

from agents.host.wire import KIND_KEY

UNSERVED = [
    {"text": "order a pizza for delivery at 8pm", "reason": "no advertised skill can order food"},
    {"text": "book a flight to Lisbon", "reason": "no advertised skill can book travel"},
]
CAN_DO = "This network can: arithmetic, unit_conversion, statistics."
SUBTASK = {"id": "s1", "skill": "arithmetic", "brief": "Compute 2 + 2.", "depends_on": []}


def _data(payload: dict[str, Any], kind: str) -> Part:
    return Part(data=ParseDict(payload, Value()), metadata={KIND_KEY: kind}, media_type="application/json")


def _manifest(state: str, subtask_state: str | None, unserved: list[dict[str, str]]) -> dict[str, Any]:
    subtasks = (
        [{**SUBTASK, "state": subtask_state, "worker": "calculator", "duration_s": 0.01}] if subtask_state else []
    )
    return {"goal_id": "g", "state": state, "subtasks": subtasks, "unserved": unserved, "rationale": "scripted"}


class FinalStateExecutor(AgentExecutor):
    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        words = " ".join(p.text for p in context.message.parts if p.text).split()
        task = context.current_task
        if task is None:
            task = new_task_from_user_message(context.message)
            await event_queue.enqueue_event(task)
        up = TaskUpdater(event_queue, task.id, task.context_id)
        if task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED:  # the reply to our question
            await self._end(up, "completed", "completed", [], f"Answered: {' '.join(words)}", "Done.")
            return
        ending = words[0] if words else "complete"
        unserved = UNSERVED if ending in ("partial", "reject") else []
        subtasks = [] if ending == "reject" else [SUBTASK]
        plan = {"source": "scripted", "subtasks": subtasks, "unserved": unserved, "rationale": "scripted"}
        await up.start_work(
            up.new_agent_message([Part(text="Plan"), _data({"event": "plan", "plan": plan}, "progress")])
        )
        if ending == "reject":
            why = "No part of the goal can be served: no advertised skill can order food or book travel. " + CAN_DO
            await self._end(up, "rejected", None, unserved, f"Nothing was done.\n\n{CAN_DO}", why)
            return
        event = {"event": "subtask", "subtask_id": "s1", "skill": "arithmetic", "state": "working", "worker": "calc"}
        await up.update_status(TaskState.TASK_STATE_WORKING, up.new_agent_message([_data(event, "progress")]))
        if ending == "ask":
            await up.requires_input(up.new_agent_message([Part(text="Which city should I use?")]))
        elif ending == "fail":
            await self._end(up, "failed", "failed", [], "s1 failed.", "The goal failed: s1 (arithmetic) failed")
        elif ending == "cancel":
            await up.cancel(up.new_agent_message([Part(text="Canceled by the agent.")]))
        elif ending == "partial":
            text = "Not done: 2 parts of the goal (no advertised skill can order food or book travel).\n\n2 + 2 = 4"
            await self._end(up, "completed", "completed", unserved, text, "Done.")
        elif ending != "drop":
            await self._end(up, "completed", "completed", [], "2 + 2 = 4", "Done.")

    async def _end(
        self, up: TaskUpdater, state: str, subtask: str | None, unserved: list[dict[str, str]], text: str, why: str
    ) -> None:
        parts = [Part(text=text, media_type="text/markdown"), _data(_manifest(state, subtask, unserved), "manifest")]
        await up.add_artifact(parts, artifact_id="result", name="result", last_chunk=True)
        final = {"completed": up.complete, "failed": up.failed, "rejected": up.reject}[state]
        await final(up.new_agent_message([Part(text=why)]))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        up = TaskUpdater(event_queue, context.task_id or "", context.context_id or "")
        await up.cancel()


def build_app(base_url: str) -> Starlette:
    card = AgentCard(
        name="final-states",
        description="Ends each goal in the state its first word names",
        version="0.0.1",
        supported_interfaces=[
            AgentInterface(url=f"{base_url}/a2a/jsonrpc", protocol_binding="JSONRPC", protocol_version="1.0")
        ],
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[AgentSkill(id="end", name="end", description="End a goal as told", tags=["test"])],
    )
    handler = DefaultRequestHandler(
        agent_executor=FinalStateExecutor(), task_store=InMemoryTaskStore(), agent_card=card
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await handler.aclose()

    routes = [*create_agent_card_routes(card), *create_jsonrpc_routes(handler, rpc_url="/a2a/jsonrpc")]
    return Starlette(routes=routes, lifespan=lifespan)
