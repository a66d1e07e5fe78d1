"""A local stand-in of the Anthropic Messages API, so tests run the REAL anthropic client over HTTP.

`FakeClaude` is a Starlette app with `POST /v1/messages` that answers from a FIFO of scripted replies (real
Messages API JSON, or an HTTP error such as 529 overloaded), then, once the queue is empty, from an optional
`responder(body) -> Reply` that computes a reply from the request. It records every request it received
(JSON body and headers) for assertions. With nothing left to answer it returns a non-retryable 400 whose
message says so, so a test that scripted too few replies fails loudly instead of hanging.

Usage:

    fake = FakeClaude(tool_use_reply("compose_report", {"title": "Q3"}), text_reply("Done."))
    async with serve_fake_claude(fake) as url:
        settings = ModelSettings(anthropic_api_key="test-key", anthropic_base_url=url)
        ...
    assert fake.bodies()[1]["messages"][2]["content"][0]["type"] == "tool_result"

Only non-streaming requests are supported (a request with `"stream": true` gets a 400).
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.servers import served

MODEL = "claude-fake-1"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, JSON body and extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    """One request the stand-in received: its JSON body and its headers (names lower-cased)."""

    body: dict[str, Any]
    headers: dict[str, str]


Responder = Callable[[dict[str, Any]], Reply]


# --- reply builders ---------------------------------------------------------------------------------------


def usage(
    input_tokens: int = 10,
    output_tokens: int = 5,
    cache_creation_input_tokens: int | None = 0,
    cache_read_input_tokens: int | None = 0,
) -> dict[str, Any]:
    """A Messages API `usage` object (the cache fields may be null, as some compatible servers send)."""
    return {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "cache_creation_input_tokens": cache_creation_input_tokens,
        "cache_read_input_tokens": cache_read_input_tokens,
    }


def text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


def tool_use_block(name: str, arguments: dict[str, Any], tool_id: str | None = None) -> dict[str, Any]:
    return {
        "type": "tool_use",
        "id": tool_id or f"toolu_fake{next(_ids):04d}",
        "name": name,
        "input": arguments,
    }


def message(
    content: Iterable[dict[str, Any]],
    stop_reason: str = "end_turn",
    *,
    tokens: dict[str, Any] | None = None,
    model: str = MODEL,
) -> Reply:
    """A successful Messages API response with these content blocks."""
    return Reply(
        200,
        {
            "id": f"msg_fake{next(_ids):04d}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": list(content),
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": tokens or usage(),
        },
    )


def text_reply(text: str, stop_reason: str = "end_turn", *, tokens: dict[str, Any] | None = None) -> Reply:
    """A final text answer (or, with stop_reason="max_tokens", one cut off at the output limit)."""
    return message([text_block(text)], stop_reason, tokens=tokens)


def tool_use_reply(
    name: str,
    arguments: dict[str, Any],
    *,
    tool_id: str | None = None,
    text: str = "",
    tokens: dict[str, Any] | None = None,
) -> Reply:
    """A turn that calls one tool (optionally preceded by some text), stop_reason "tool_use"."""
    blocks = ([text_block(text)] if text else []) + [tool_use_block(name, arguments, tool_id)]
    return message(blocks, "tool_use", tokens=tokens)


def tool_uses_reply(*calls: tuple[str, dict[str, Any]], tokens: dict[str, Any] | None = None) -> Reply:
    """A turn that calls several tools at once."""
    return message([tool_use_block(name, args) for name, args in calls], "tool_use", tokens=tokens)


def error_reply(status: int, error_type: str, text: str, headers: dict[str, str] | None = None) -> Reply:
    """An API error in the Messages API's shape, e.g. error_reply(400, "invalid_request_error", "...")."""
    body = {"type": "error", "error": {"type": error_type, "message": text}}
    return Reply(status, body, dict(headers or {}))


def overloaded(retry_after_ms: int | None = 1) -> Reply:
    """HTTP 529 overloaded_error; `retry-after-ms` keeps the client's retry back-off short (None: default)."""
    headers = {} if retry_after_ms is None else {"retry-after-ms": str(retry_after_ms)}
    return error_reply(529, "overloaded_error", "Overloaded", headers)


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The `tool_result` blocks of a request's last message (what the caller fed back after tool use)."""
    last = body["messages"][-1]
    content = last["content"] if last["role"] == "user" and isinstance(last["content"], list) else []
    return [block for block in content if block.get("type") == "tool_result"]


# --- the stand-in -----------------------------------------------------------------------------------------


class FakeClaude:
    """Scripted Messages API. Replies are served in FIFO order, then by `responder` if one is given."""

    def __init__(self, *replies: Reply, responder: Responder | None = None) -> None:
        self._replies: deque[Reply] = deque(replies)
        self._responder = responder
        self.requests: list[Received] = []

    def script(self, *replies: Reply) -> None:
        """Queue more replies after those already queued."""
        self._replies.extend(replies)

    @property
    def pending(self) -> int:
        """How many scripted replies have not been served yet."""
        return len(self._replies)

    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies received, in order."""
        return [r.body for r in self.requests]

    def _next(self, body: dict[str, Any]) -> Reply:
        if body.get("stream"):
            return error_reply(400, "invalid_request_error", "fake Claude does not stream", {"x-should-retry": "false"})
        if self._replies:
            return self._replies.popleft()
        if self._responder is not None:
            return self._responder(body)
        return error_reply(
            400,
            "invalid_request_error",
            "fake Claude has no scripted reply left",
            {"x-should-retry": "false"},
        )

    async def _messages(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        self.requests.append(Received(body=body, headers={k.lower(): v for k, v in request.headers.items()}))
        reply = self._next(body)
        return JSONResponse(reply.body, status_code=reply.status, headers=reply.headers)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/messages", self._messages, methods=["POST"])])


@contextlib.asynccontextmanager
async def serve_fake_claude(fake: FakeClaude) -> AsyncIterator[str]:
    """Serve `fake` on a real socket (127.0.0.1, ephemeral port); yields its base URL."""
    async with served(lambda _url: fake.app()) as url:
        yield url
