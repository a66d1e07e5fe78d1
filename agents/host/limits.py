"""Request limits every Switchboard server enforces before any handler runs.

`BodyLimit` (ASGI middleware): a request body larger than `max_bytes` is answered HTTP 413 in the binding's
error shape and never reaches the SDK, which would otherwise read and parse it whole. A declared Content-Length
is checked at once (the server holds the body to it); a body without one is counted while it streams in, the
only case where it is read here first. `check_parts` caps the parts of one message and the length of the task
and context ids a caller may choose (the SDK's task table holds 36 characters: PostgreSQL enforces that, SQLite
does not, so it is checked here the same way for both).
"""

from __future__ import annotations

import json

from a2a.types import Message
from a2a.utils.errors import InvalidParamsError
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as AsgiMessage

MAX_ID_CHARS = 36  # a2a.server.models: tasks.id and tasks.context_id are String(36)


def check_parts(message: Message, max_parts: int) -> None:
    if len(message.parts) > max_parts:
        raise InvalidParamsError(message=f"the message has {len(message.parts)} parts; the limit is {max_parts}")
    for name, value in (("contextId", message.context_id), ("taskId", message.task_id)):
        if len(value) > MAX_ID_CHARS:
            raise InvalidParamsError(message=f"{name} has {len(value)} characters; the limit is {MAX_ID_CHARS}")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit():  # the server holds the body to its declared length
            if int(declared) > self.max_bytes:
                await self._refuse(scope, send)
            else:
                await self.app(scope, receive, send)
            return
        body: list[AsgiMessage] = []
        size = 0
        while True:  # read the body (bounded) before the app sees it; replay it afterwards
            message = await receive()
            body.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> AsgiMessage:
            return body.pop(0) if body else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        text = f"Request body too large: the limit is {self.max_bytes} bytes"
        if str(scope.get("path", "")).endswith("/jsonrpc"):
            payload: dict[str, object] = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": text}}
        else:
            payload = {"error": {"code": 413, "status": "INVALID_ARGUMENT", "message": text}}
        data = json.dumps(payload).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": data})
