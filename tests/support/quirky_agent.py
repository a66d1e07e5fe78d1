"""A hand-written A2A 1.0 JSON-RPC agent that misbehaves the way real implementations do.

    python -m tests.support.quirky_agent --port P --quirk QUIRK [--name NAME] [--skill ID] [--no-streaming]

Plain Starlette, not the a2a-sdk server: the SDK server enforces correct behaviour, and these quirks are the
point. The card is valid (one JSON-RPC interface, protocol 1.0, one skill; streaming advertised unless
`--no-streaming`, which makes a 1.x client use the blocking SendMessage). Quirks:

- `nostream`:  SendStreamingMessage answers with a plain JSON body (no SSE) holding a completed Task;
- `streamless`: the card says streaming, but SendStreamingMessage is answered "method not found" (-32601);
- `submitted`: SendMessage and the stream answer a Task in SUBMITTED at once and stop there; GetTask then
  reports WORKING, and COMPLETED with the artifact once `SETTLE_S` has passed;
- `message`:   answers with a Message instead of a Task;
- `badtime`:   timestamps without a zone (as FastA2A sends them) plus fields A2A 1.0 does not have;
- `extra`:     only the unknown fields, timestamps valid;
- `newtask`:   asks a question (input-required); the reply, which names that task, opens a NEW task instead;
- `forever`:   never reaches a terminal state: the stream stays open with a WORKING update every `TICK_S`;
- `http500`:   every JSON-RPC request is answered HTTP 500 with a plain-text body (the card is served fine);
- `badjson`:   HTTP 200 whose JSON-RPC reply is cut off mid-object: the whole body (SendMessage) or the one SSE
  frame (SendStreamingMessage);
- `truncated`: the stream sends the Task in WORKING, then half a `data:` frame, and the response ends; the task
  is in fact done: GetTask answers it COMPLETED with the artifact;
- `dropped`:   as `truncated`, but the connection is torn down mid-body (an incomplete chunked response, as when
  a proxy or load balancer drops it); GetTask answers the task COMPLETED;
- `hang`:      accepts the request and never sends a byte (no status line, no headers) until the client leaves;
- `flood`:     HTTP 200 whose reply never ends: one JSON string (SendMessage) or one SSE `data:` line
  (SendStreamingMessage) that grows without end until the client leaves;
- `gzip`:      a valid reply, gzip-compressed though nobody asked: a completed Task whose artifact inflates to
  `BOMB_BYTES` from a body a thousandth that size;
- `longstatus`: the task fails with a status message of `LONG_STATUS_CHARS` characters.

SubscribeToTask on a finished task answers -32004 (unsupported operation), as the a2a-sdk server does.

Every call is listed at `GET /seen` (`calls`: method names, `canceled`: task ids CancelTask reached,
`tasks`: id -> state, `versions`: the A2A-Version headers received, `messages`: the messageId of every send)
so tests can check the agent's side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

QUIRKS = (
    "nostream",
    "streamless",
    "submitted",
    "message",
    "badtime",
    "extra",
    "newtask",
    "forever",
    "http500",
    "badjson",
    "truncated",
    "dropped",
    "hang",
    "flood",
    "gzip",
    "longstatus",
)
BOMB_BYTES = 50_000_000  # `gzip`: the inflated size of its reply
LONG_STATUS_CHARS = 100_000  # `longstatus`: the length of its failure message
SETTLE_S = 0.5  # `submitted`: how long the task takes after the reply said SUBMITTED
TICK_S = 0.2  # `forever`: the interval of its endless WORKING updates
CUT_OFF = '{"jsonrpc": "2.0", "result": {'  # `badjson`, `truncated`, `dropped`: a reply that stops mid-object
TERMINAL = {"COMPLETED", "FAILED", "CANCELED", "REJECTED"}
Json = dict[str, Any]


@dataclass
class _Task:
    id: str
    context_id: str
    text: str
    state: str
    question: str = ""
    created: float = field(default_factory=time.monotonic)


class QuirkyAgent:
    def __init__(self, base_url: str, quirk: str, name: str, skill: str, streaming: bool) -> None:
        self.base_url, self.quirk, self.name, self.skill = base_url, quirk, name, skill
        self.streaming = streaming
        self.tasks: dict[str, _Task] = {}
        self.calls: list[str] = []
        self.canceled: list[str] = []
        self.versions: list[str] = []
        self.messages: list[str] = []

    def card(self) -> Json:
        return {
            "name": self.name,
            "description": f"A test agent with the {self.quirk!r} quirk",
            "version": "0.0.1",
            "supportedInterfaces": [
                {"url": f"{self.base_url}/a2a/jsonrpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
            ],
            "capabilities": {"streaming": self.streaming},
            "defaultInputModes": ["text/plain"],
            "defaultOutputModes": ["text/plain"],
            "skills": [
                {
                    "id": self.skill,
                    "name": self.skill.replace("_", " "),
                    "description": f"Scripted skill {self.skill}",
                    "tags": [self.skill],
                    "examples": [f"do {self.skill}"],
                }
            ],
        }

    # --- the wire shapes, with this agent's quirks -------------------------------------------------------------

    def _timestamp(self) -> str:
        now = datetime.now(UTC)
        if self.quirk == "badtime":
            return now.replace(tzinfo=None).isoformat()  # no zone: the protobuf Timestamp parser rejects it
        return now.isoformat().replace("+00:00", "Z")

    def _message(self, task_id: str, context_id: str, text: str) -> Json:
        message: Json = {"messageId": str(uuid.uuid4()), "role": "ROLE_AGENT", "parts": [{"text": text}]}
        if task_id:
            message |= {"taskId": task_id, "contextId": context_id}
        return message

    def _status(self, task: _Task) -> Json:
        status: Json = {"state": f"TASK_STATE_{task.state}", "timestamp": self._timestamp()}
        if task.question:
            status["message"] = self._message(task.id, task.context_id, task.question)
        if self.quirk in ("badtime", "extra"):
            status["final"] = task.state in TERMINAL  # a 0.3 leftover, unknown to 1.0
        return status

    def _task(self, task: _Task) -> Json:
        body: Json = {"id": task.id, "contextId": task.context_id, "status": self._status(task)}
        if task.state == "COMPLETED":
            parts = [{"text": f"quirk_echo: {task.text}"}]
            body["artifacts"] = [{"artifactId": "out", "name": "answer", "parts": parts}]
        if self.quirk in ("badtime", "extra"):
            body |= {"kind": "task", "createdAt": self._timestamp(), "vendorExtras": {"shard": 7}}
        return body

    def _status_update(self, task: _Task) -> Json:
        return {"statusUpdate": {"taskId": task.id, "contextId": task.context_id, "status": self._status(task)}}

    # --- behaviour ---------------------------------------------------------------------------------------------

    def _start(self, message: Json) -> _Task:
        """Open a task for `message`: a new one, except a `newtask` follow-up, which also opens a new one."""
        text = " | ".join(p["text"] for p in message.get("parts", []) if "text" in p)
        context_id = message.get("contextId") or str(uuid.uuid4())
        state = {"submitted": "SUBMITTED", "forever": "WORKING", "longstatus": "FAILED"}.get(self.quirk, "COMPLETED")
        task = _Task(str(uuid.uuid4()), context_id, text, state)
        if self.quirk == "longstatus":
            task.question = "the model said: " + "blah " * (LONG_STATUS_CHARS // 5)
        if self.quirk == "newtask" and message.get("taskId") not in self.tasks:
            task.state, task.question = "INPUT_REQUIRED", "Which unit should I use?"
        self.tasks[task.id] = task
        return task

    def _current(self, task: _Task) -> _Task:
        """`submitted` moves on with time alone: WORKING, then COMPLETED after SETTLE_S."""
        if self.quirk == "submitted" and task.state not in TERMINAL:
            task.state = "COMPLETED" if time.monotonic() - task.created >= SETTLE_S else "WORKING"
        return task

    def _result(self, task: _Task) -> Json:
        if self.quirk == "message":
            return {"message": self._message("", task.context_id, f"quirk_echo: {task.text}")}
        return {"task": self._task(task)}

    async def _events(self, task: _Task) -> AsyncIterator[Json]:
        if self.quirk in ("truncated", "dropped"):
            yield {"task": self._task(_Task(task.id, task.context_id, task.text, "WORKING"))}
            return  # `_sse` then sends the half frame
        yield self._result(task)
        while self.quirk == "forever" and task.state not in TERMINAL:
            await asyncio.sleep(TICK_S)  # ok-sleep: this agent's whole point is to keep a stream open forever
            yield self._status_update(task)

    # --- JSON-RPC ----------------------------------------------------------------------------------------------

    async def rpc(self, request: Request) -> Response:
        body = await request.json()
        rpc_id, method, params = body.get("id"), body.get("method", ""), body.get("params") or {}
        self.calls.append(method)
        self.versions.append(request.headers.get("A2A-Version", ""))
        if "message" in params:
            self.messages.append(params["message"].get("messageId", ""))
        if self.quirk == "http500":
            return Response("upstream model unavailable", status_code=500)
        if self.quirk == "hang":
            while (await request.receive())["type"] != "http.disconnect":  # the body is read: waits for the caller
                pass  # to give up; then the answer goes to nobody
            return Response(status_code=204)
        if self.quirk == "flood" and method in ("SendMessage", "SendStreamingMessage"):
            return _flood(method == "SendStreamingMessage")
        if self.quirk == "gzip" and method in ("SendMessage", "SendStreamingMessage"):
            return _bomb(rpc_id, self._task(self._start(params["message"])))
        if self.quirk == "badjson" and method == "SendMessage":
            return Response(CUT_OFF, media_type="application/json")
        if method == "SendMessage":
            return _ok(rpc_id, self._result(self._start(params["message"])))
        if method == "SendStreamingMessage" and self.quirk == "streamless":
            return _error(rpc_id, -32601, f"method not found: {method}")  # though the card said streaming
        if method == "SendStreamingMessage":
            started = self._start(params["message"])
            if self.quirk == "nostream":
                return _ok(rpc_id, self._result(started))  # the card said streaming; this is a plain JSON body
            return _sse(rpc_id, self._events(started), self.quirk)
        if method not in ("GetTask", "CancelTask", "SubscribeToTask"):
            return _error(rpc_id, -32601, f"method not found: {method}")
        found = self.tasks.get(params.get("id", ""))
        if found is None:
            return _error(rpc_id, -32001, "Task not found")
        task = self._current(found)
        if method == "GetTask":
            return _ok(rpc_id, self._task(task))
        if method == "SubscribeToTask" and task.state in TERMINAL:  # as the a2a-sdk server answers
            return _error(rpc_id, -32004, f"Task {task.id} is in terminal state: {task.state}")
        if method == "SubscribeToTask":
            return _sse(rpc_id, self._events(task), self.quirk)
        if task.state in TERMINAL:
            return _error(rpc_id, -32002, "Task cannot be canceled")
        self.canceled.append(task.id)
        task.state = "CANCELED"
        return _ok(rpc_id, self._task(task))

    async def seen(self, _request: Request) -> JSONResponse:
        tasks = {t.id: self._current(t).state.lower() for t in self.tasks.values()}
        seen = {"calls": self.calls, "canceled": self.canceled, "tasks": tasks, "versions": self.versions}
        return JSONResponse(seen | {"messages": self.messages})


def _ok(rpc_id: Any, result: Json) -> JSONResponse:
    return JSONResponse({"jsonrpc": "2.0", "id": rpc_id, "result": result})


def _error(rpc_id: Any, code: int, message: str) -> JSONResponse:
    return JSONResponse({"jsonrpc": "2.0", "id": rpc_id, "error": {"code": code, "message": message}})


class _Dropped(Exception):
    """Raised inside a streaming body: uvicorn then closes the socket without the final chunk."""


def _sse(rpc_id: Any, events: AsyncIterator[Json], quirk: str = "") -> StreamingResponse:
    async def frames() -> AsyncIterator[str]:
        if quirk == "badjson":
            yield f"data: {CUT_OFF}\n\n"
            return
        async for result in events:
            yield f"data: {json.dumps({'jsonrpc': '2.0', 'id': rpc_id, 'result': result})}\n\n"
        if quirk in ("truncated", "dropped"):
            yield f"data: {CUT_OFF}"  # half a frame: no end, no blank line
        if quirk == "dropped":
            raise _Dropped("connection dropped mid-stream")

    return StreamingResponse(frames(), media_type="text/event-stream")


def _flood(streaming: bool) -> StreamingResponse:
    async def endless() -> AsyncIterator[bytes]:
        yield b'data: {"jsonrpc": "2.0", "result": {"task": {"id": "' if streaming else b'{"result": {"task": {"id": "'
        chunk = b"x" * 65536
        while True:  # ends when the client leaves (Starlette stops a streaming body on disconnect)
            yield chunk
            await asyncio.sleep(0)

    return StreamingResponse(endless(), media_type="text/event-stream" if streaming else "application/json")


def _bomb(rpc_id: Any, task: Json) -> Response:
    task["artifacts"] = [{"artifactId": "out", "name": "answer", "parts": [{"text": "PLACEHOLDER"}]}]
    head, tail = json.dumps({"jsonrpc": "2.0", "id": rpc_id, "result": {"task": task}}).split("PLACEHOLDER")
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    body = packer.compress(head.encode())
    zeros = b"0" * 1_000_000
    for _ in range(BOMB_BYTES // len(zeros)):
        body += packer.compress(zeros)
    body += packer.compress(tail.encode()) + packer.flush()
    return Response(body, media_type="application/json", headers={"Content-Encoding": "gzip"})


def build_app(
    base_url: str, quirk: str, *, name: str = "", skill: str = "quirk_echo", streaming: bool = True
) -> Starlette:
    agent = QuirkyAgent(base_url, quirk, name or f"quirky-{quirk}", skill, streaming)

    async def card(_request: Request) -> JSONResponse:
        return JSONResponse(agent.card())

    routes = [
        Route("/.well-known/agent-card.json", card),
        Route("/a2a/jsonrpc", agent.rpc, methods=["POST"]),
        Route("/seen", agent.seen),
    ]
    return Starlette(routes=routes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--quirk", required=True, choices=QUIRKS)
    parser.add_argument("--name", default="")
    parser.add_argument("--skill", default="quirk_echo")
    parser.add_argument("--no-streaming", action="store_true", help="the card says streaming: false")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    app = build_app(base, args.quirk, name=args.name, skill=args.skill, streaming=not args.no_streaming)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
