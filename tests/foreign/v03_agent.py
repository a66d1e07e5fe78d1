"""A worker built with the a2a-sdk **0.3** API (run it with the 0.3 venv of `tests/support/v03.py`, never with
Switchboard's own venv): the kind of third-party agent that has not moved to protocol 1.0.

    .data/venv-a2a03/bin/python tests/foreign/v03_agent.py --port P

Its one skill, `rot13` (a ROT13 cipher), is one no Switchboard worker has, so a goal that needs it can only be
done through this agent. It encodes the quoted text of the request ('...' or "..."), else the whole request.
Served with `A2AStarletteApplication` over JSON-RPC, with a 0.3 card (`url`, `preferredTransport`,
`protocolVersion: 0.3.0`): the orchestrator's 1.x client has to go through the SDK's compat transport.
"""

from __future__ import annotations

import argparse
import codecs
import re

import uvicorn
from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.apps import A2AStarletteApplication
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.tasks import InMemoryTaskStore, TaskUpdater
from a2a.types import AgentCapabilities, AgentCard, AgentSkill, Part, TextPart
from a2a.utils import new_agent_text_message, new_task

QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"")


def rot13_of(request: str) -> str:
    quoted = [a or b for a, b in QUOTED.findall(request)]
    return "\n".join(codecs.encode(q, "rot13") for q in quoted) if quoted else codecs.encode(request, "rot13")


class Rot13Executor(AgentExecutor):
    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        assert context.message is not None
        task = context.current_task
        if task is None:
            task = new_task(context.message)
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        await updater.start_work(new_agent_text_message("encoding", task.context_id, task.id))
        text = "\n".join(p.root.text for p in context.message.parts if isinstance(p.root, TextPart))
        await updater.add_artifact([Part(root=TextPart(text=rot13_of(text)))], name="rot13")
        await updater.complete()

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        updater = TaskUpdater(event_queue, context.task_id or "", context.context_id or "")
        await updater.cancel()


def build_app(base_url: str) -> object:
    card = AgentCard(
        name="rot13 (a2a-sdk 0.3)",
        description="Encodes and decodes text with the ROT13 letter-substitution cipher.",
        url=base_url + "/",
        version="0.3.26",
        protocol_version="0.3.0",
        preferred_transport="JSONRPC",
        capabilities=AgentCapabilities(streaming=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[
            AgentSkill(
                id="rot13",
                name="ROT13 cipher",
                description="Encode or decode text with the ROT13 cipher (rotate every letter by 13 places).",
                tags=["rot13", "cipher", "encode", "decode", "obfuscation"],
                examples=["Encode 'hello world' with ROT13.", "Decode 'uryyb' from rot13."],
            )
        ],
    )
    handler = DefaultRequestHandler(agent_executor=Rot13Executor(), task_store=InMemoryTaskStore())
    return A2AStarletteApplication(agent_card=card, http_handler=handler).build()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(build_app(f"http://127.0.0.1:{args.port}"), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
