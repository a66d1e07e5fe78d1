"""The orchestrator's HTTP transport: no response from another agent may be larger than a cap.

Everything the orchestrator reads from the network (cards, replies, event streams) passes through one httpx
client. `CappedTransport` counts the bytes of each response body as they arrive and ends the read with
`ResponseTooLarge` past the cap, so a hostile or broken agent cannot fill the orchestrator's memory with one
endless reply. Bodies are counted before decoding, so the client asks for uncompressed bodies and refuses a
compressed one it did not ask for (a small gzip body can inflate a thousandfold past any count).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

IDENTITY = {"Accept-Encoding": "identity"}


def response_cap(max_output_bytes: int) -> int:
    """The cap on one response: a subtask's whole output, encoded twice over (JSON, base64, an SSE stream that
    relays each chunk and then the task), plus a megabyte for status events and envelopes."""
    return 2 * max_output_bytes + 1_000_000


class ResponseTooLarge(httpx.DecodingError):
    """A response body went past the cap (or came compressed, which cannot be counted): nothing of it is used."""


class _CountedStream(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, limit: int, url: str) -> None:
        self._stream = stream
        self._limit = limit
        self._url = url

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._stream:
            seen += len(chunk)
            if seen > self._limit:
                raise ResponseTooLarge(f"the response from {self._url} is larger than {self._limit} bytes")
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


class CappedTransport(httpx.AsyncBaseTransport):
    """Wraps a transport (by default httpx's own) so that each response body is at most `limit` bytes."""

    def __init__(self, limit: int, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.limit = limit
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        where = f"{request.url.scheme}://{request.url.netloc.decode()}"
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            await response.aclose()
            raise ResponseTooLarge(f"the response from {where} is {encoding}-compressed, which was not asked for")
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _CountedStream(response.stream, self.limit, where)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
