"""The linear connection pool (agents/host/pool.py) against a real HTTP server: it must behave as httpcore's
pool does (reuse, limits, dead connections) while matching requests to connections in linear time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from agents.host.pool import LinearConnectionPool, pooled_transport
from tests.support.servers import served


class Peers:
    """What a test server saw: the client ports of its requests, and the most requests open at once."""

    def __init__(self) -> None:
        self.ports: set[int] = set()
        self.open = 0
        self.most_open = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.expected = 0
        self.all_in = asyncio.Event()  # set once `expected` requests are open at once

    def hold(self, n: int) -> None:
        """Keep requests open from now on until `gate` is set; `all_in` tells when `n` of them are."""
        self.gate.clear()
        self.expected = n
        self.all_in.clear()

    def app(self, _url: str) -> Starlette:
        async def hit(request: Request) -> PlainTextResponse:
            assert request.client is not None
            self.ports.add(request.client.port)
            self.open += 1
            self.most_open = max(self.most_open, self.open)
            if self.expected and self.open >= self.expected:
                self.all_in.set()
            try:
                await self.gate.wait()
            finally:
                self.open -= 1
            return PlainTextResponse(request.query_params.get("n", ""))

        return Starlette(routes=[Route("/hit", hit)])


@contextlib.asynccontextmanager
async def client(limits: httpx.Limits) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=pooled_transport(limits), timeout=10) as http:
        yield http


async def burst(http: httpx.AsyncClient, url: str, n: int) -> list[str]:
    responses = await asyncio.gather(*(http.get(f"{url}/hit", params={"n": i}) for i in range(n)))
    return [r.text for r in responses]


def pool_of(http: httpx.AsyncClient) -> LinearConnectionPool:
    pool = http._transport._pool  # type: ignore[attr-defined]
    assert isinstance(pool, LinearConnectionPool)
    return pool


async def test_a_burst_is_answered_in_full_and_the_next_burst_reuses_its_connections() -> None:
    peers = Peers()
    async with served(peers.app) as url, client(httpx.Limits(max_keepalive_connections=32)) as http:
        peers.hold(32)  # every request holds its own connection until the gate opens
        first = asyncio.gather(*(http.get(f"{url}/hit", params={"n": i}) for i in range(32)))
        await peers.all_in.wait()
        peers.gate.set()
        assert [r.text for r in await first] == [str(i) for i in range(32)]
        assert len(peers.ports) == 32
        assert await burst(http, url, 32) == [str(i) for i in range(32)]
        assert len(peers.ports) == 32, "the second burst opened new connections instead of reusing idle ones"


async def test_max_connections_holds_and_queued_requests_still_complete() -> None:
    peers = Peers()
    async with served(peers.app) as url, client(httpx.Limits(max_connections=4, max_keepalive_connections=4)) as http:
        assert await burst(http, url, 40) == [str(i) for i in range(40)]
        assert peers.most_open <= 4
        assert len(pool_of(http).connections) <= 4


async def test_idle_connections_beyond_the_keepalive_limit_are_closed() -> None:
    peers = Peers()
    async with served(peers.app) as url, client(httpx.Limits(max_keepalive_connections=3)) as http:
        peers.hold(12)
        held = asyncio.gather(*(http.get(f"{url}/hit") for _ in range(12)))
        await peers.all_in.wait()
        assert len(pool_of(http).connections) == 12  # all busy: none is surplus
        peers.gate.set()
        await held
        await http.get(f"{url}/hit")  # the pool is tidied when a request starts
        assert len(pool_of(http).connections) <= 3


@pytest.mark.timeout(30)
async def test_connections_a_restarted_server_dropped_are_not_reused() -> None:
    peers = Peers()
    async with client(httpx.Limits(max_keepalive_connections=16)) as http:
        async with served(peers.app) as url:
            await burst(http, url, 16)
        port = int(url.rsplit(":", 1)[1])
        async with served(peers.app, port=port):  # same URL; the 16 idle connections now lead nowhere
            assert await burst(http, url, 16) == [str(i) for i in range(16)]
            assert await burst(http, url, 16) == [str(i) for i in range(16)]


async def test_a_proxied_transport_keeps_httpcores_proxy_pool() -> None:
    transport = pooled_transport(proxy="http://127.0.0.1:9")
    assert not isinstance(transport._pool, LinearConnectionPool)
    await transport.aclose()
