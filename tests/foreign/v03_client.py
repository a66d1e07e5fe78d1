"""A protocol-0.3 caller built with the a2a-sdk **0.3** client (run it with the 0.3 venv of
`tests/support/v03.py`): what a third party that has not moved to 1.0 does against a Switchboard agent.

    .data/venv-a2a03/bin/python tests/foreign/v03_client.py BASE_URL "request text"

Fetches and parses the card, then for each 0.3 binding the card offers (JSON-RPC, HTTP+JSON) sends the request
blocking and streaming and reads the task back with `get_task`. Prints one JSON line with what it saw.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from typing import Any

import httpx
from a2a.client import A2ACardResolver, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, Task, TaskQueryParams, TextPart, TransportProtocol

BINDINGS = [TransportProtocol.jsonrpc, TransportProtocol.http_json]


def text_of(task: Task) -> str:
    return "".join(p.root.text for a in task.artifacts or [] for p in a.parts if isinstance(p.root, TextPart))


async def one_run(
    http: httpx.AsyncClient, card: Any, binding: TransportProtocol, streaming: bool, text: str
) -> dict[str, Any]:
    config = ClientConfig(
        httpx_client=http, streaming=streaming, supported_transports=[binding], use_client_preference=True
    )
    client = ClientFactory(config).create(card)
    message = Message(role=Role.user, message_id=str(uuid.uuid4()), parts=[Part(root=TextPart(text=text))])
    kinds: list[str] = []
    task: Task | None = None
    async for event in client.send_message(message):
        if isinstance(event, Message):
            kinds.append("message")
            continue
        task, update = event
        kinds.append(update.kind if update is not None else "task")
    assert task is not None, kinds
    stored = await client.get_task(TaskQueryParams(id=task.id))
    return {
        "binding": binding.value,
        "streaming": streaming,
        "events": kinds,
        "state": task.status.state.value,
        "artifact": text_of(task),
        "get_task_state": stored.status.state.value,
        "get_task_artifact": text_of(stored),
        "get_task_history_roles": [m.role.value for m in stored.history or []],
    }


async def main(base_url: str, text: str) -> None:
    async with httpx.AsyncClient(timeout=30.0) as http:
        card = await A2ACardResolver(http, base_url).get_agent_card()
        offered = {card.preferred_transport} | {i.transport for i in card.additional_interfaces or []}
        runs = [
            await one_run(http, card, binding, streaming, text)
            for binding in BINDINGS
            if binding.value in offered
            for streaming in (False, True)
        ]
    summary = {
        "card": {
            "name": card.name,
            "url": card.url,
            "protocol_version": card.protocol_version,
            "transports": sorted(offered),
            "skills": [s.id for s in card.skills],
        },
        "runs": runs,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
