"""Discovery and health against small card servers on real sockets."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from orchestrator_agent.directory import MAX_CARD_BYTES, Directory
from orchestrator_agent.errors import DiscoveryError
from orchestrator_agent.models import Health
from tests.support.processes import free_ports
from tests.support.servers import served

CARD_PATH = "/.well-known/agent-card.json"


@dataclass
class CardServer:
    """Serves a card with an ETag, answers a matching If-None-Match with 304, and records every request."""

    skills: list[str] = field(default_factory=lambda: ["alpha"])
    etag: str = '"v1"'
    interface_host: str = ""  # default: the host the card is served from
    body: bytes | None = None  # served as is instead of the card
    status: int = 200
    extended: bytes | None = None  # if set, the card offers an extended card and GetExtendedAgentCard answers this
    barrier: asyncio.Barrier | None = None  # answer only once every party has asked
    seen: list[dict[str, str]] = field(default_factory=list)  # request headers, in order

    def card(self, base: str) -> dict[str, Any]:
        interface = f"http://{self.interface_host}/a2a" if self.interface_host else f"{base}/a2a/jsonrpc"
        return {
            "name": "cardy",
            "description": "a card for tests",
            "version": "1",
            "capabilities": {"streaming": True, "extendedAgentCard": self.extended is not None},
            "defaultInputModes": ["text/plain"],
            "defaultOutputModes": ["text/plain"],
            "skills": [{"id": s, "name": s, "description": f"does {s}", "tags": [s]} for s in self.skills],
            "supportedInterfaces": [{"url": interface, "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}],
        }

    def build(self, base: str) -> ASGIApp:
        async def card(request: Request) -> Response:
            self.seen.append(dict(request.headers))
            if self.barrier is not None:
                async with asyncio.timeout(5):
                    await self.barrier.wait()
            if request.headers.get("if-none-match") == self.etag:
                return Response(status_code=304, headers={"ETag": self.etag})
            body = self.body if self.body is not None else json.dumps(self.card(base)).encode()
            return Response(body, self.status, headers={"ETag": self.etag}, media_type="application/json")

        async def extended(_request: Request) -> Response:
            return Response(self.extended, media_type="application/json")

        return Starlette(routes=[Route(CARD_PATH, card), Route("/a2a/jsonrpc", extended, methods=["POST"])])


@contextlib.asynccontextmanager
async def directory(card_timeout: float = 3.0, unhealthy_after: int = 2) -> AsyncIterator[Directory]:
    async with httpx.AsyncClient(timeout=30) as http:
        yield Directory(http, card_timeout=card_timeout, unhealthy_after=unhealthy_after)


def skill_ids(d: Directory, url: str) -> list[str]:
    (worker,) = [w for w in d.snapshot() if w.url == url]
    return [s.id for s in worker.skills]


async def test_cards_are_fetched_concurrently() -> None:
    barrier = asyncio.Barrier(3)
    servers = [CardServer(skills=[f"s{i}"], barrier=barrier) for i in range(3)]
    async with (
        served(servers[0].build) as a,
        served(servers[1].build) as b,
        served(servers[2].build) as c,
        directory(card_timeout=3.0) as d,
    ):
        # each card answers only once all three requests are in: a sequential fetch would time out
        await d.add_all([a, b, c])
        assert [(w.health, [s.id for s in w.skills]) for w in d.snapshot()] == [
            (Health.HEALTHY, ["s0"]),
            (Health.HEALTHY, ["s1"]),
            (Health.HEALTHY, ["s2"]),
        ]


async def test_revalidation_uses_the_etag_and_a_card_change_updates_skills() -> None:
    server = CardServer(skills=["alpha"])
    async with served(server.build) as url, directory() as d:
        await d.add(url + "/")
        first = d.card(url)
        await d.refresh()
        assert [h.get("if-none-match") for h in server.seen] == [None, '"v1"']
        assert d.card(url) is first, "a 304 keeps the cached card"
        assert skill_ids(d, url) == ["alpha"] and d.snapshot()[0].health is Health.HEALTHY

        server.skills, server.etag = ["beta", "gamma"], '"v2"'
        await d.refresh()
        assert skill_ids(d, url) == ["beta", "gamma"]
        await d.refresh()
        assert [h.get("if-none-match") for h in server.seen] == [None, '"v1"', '"v1"', '"v2"']


async def test_a_worker_that_goes_away_turns_unhealthy_and_recovers() -> None:
    (port,) = free_ports(1)
    server = CardServer()
    async with directory(unhealthy_after=2) as d:
        async with served(server.build, port=port) as url:
            worker = await d.add(url)
            assert worker.health is Health.HEALTHY and worker.available
        d.changed.clear()
        await d.refresh()
        (worker,) = d.snapshot()
        assert (worker.health, worker.failures, worker.available) == (Health.HEALTHY, 1, True)
        assert not d.changed.is_set()
        await d.refresh()
        (worker,) = d.snapshot()
        assert (worker.health, worker.failures, worker.available) == (Health.UNHEALTHY, 2, False)
        assert "card fetch failed" in worker.error and d.changed.is_set()

        d.changed.clear()
        async with served(server.build, port=port):
            await d.refresh()
        (worker,) = d.snapshot()
        assert (worker.health, worker.failures, worker.error, worker.available) == (Health.HEALTHY, 0, "", True)
        assert [s.id for s in worker.skills] == ["alpha"] and d.changed.is_set()


@pytest.mark.parametrize(
    "server, error",
    [
        pytest.param(CardServer(skills=[]), "card advertises no skills", id="no skills"),
        pytest.param(CardServer(body=b"<html>hello</html>"), "card is not a valid agent card", id="not JSON"),
        pytest.param(CardServer(body=b'{"name": 3, "skills": "x"}'), "card is not a valid agent card", id="bad shape"),
        pytest.param(
            CardServer(body=json.dumps({"name": "x" * MAX_CARD_BYTES}).encode()),
            f"card is larger than {MAX_CARD_BYTES} bytes",
            id="too large",
        ),
        pytest.param(
            CardServer(body=b"{" + b" " * (5 * 1024 * 1024) + b"}"),
            f"card is larger than {MAX_CARD_BYTES} bytes",
            id="5 MB card",
        ),
        pytest.param(CardServer(body=b'{"name": "x", "skills": ['), "card is not a valid agent card", id="cut JSON"),
        pytest.param(
            CardServer(interface_host="169.254.169.254"),
            "card interfaces point away from 127.0.0.1",
            id="interfaces on another host",
        ),
        pytest.param(CardServer(status=500), "card fetch returned HTTP 500", id="HTTP 500"),
    ],
)
async def test_an_invalid_card_keeps_the_worker_out(server: CardServer, error: str) -> None:
    async with served(server.build) as url, directory() as d:
        worker = await d.add(url)
    assert not worker.available and not worker.has_card and worker.skills == ()
    assert worker.health is Health.UNHEALTHY
    assert error in worker.error, worker.error


async def test_remove() -> None:
    async with served(CardServer().build) as a, served(CardServer(skills=["b"]).build) as b, directory() as d:
        await d.add_all([a, b])
        d.changed.clear()
        assert d.remove(a + "/")
        assert [w.url for w in d.snapshot()] == [b] and d.changed.is_set()
        assert not d.remove(a)
        with pytest.raises(DiscoveryError, match="no card known"):
            d.card(a)


@pytest.mark.timeout(10)  # under the card timeout: the refusal ends the fetch, not the timeout
async def test_a_refused_connection_fails_fast() -> None:
    (port,) = free_ports(1)  # nothing listens there
    async with directory(card_timeout=60.0) as d:
        worker = await d.add(f"http://127.0.0.1:{port}")
    assert worker.health is Health.UNHEALTHY and "ConnectError" in worker.error


async def test_a_host_that_never_answers_costs_no_more_than_the_card_timeout() -> None:
    release = asyncio.Event()
    abandoned = asyncio.Event()  # the directory closed the connection itself, before the test ended

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(65536)  # the request; then nothing is written until the client hangs up
        while await reader.read(65536):
            pass
        if not release.is_set():
            abandoned.set()
        writer.close()

    black_hole = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    hole = f"http://127.0.0.1:{black_hole.sockets[0].getsockname()[1]}"
    try:
        async with served(CardServer().build) as good, directory(card_timeout=0.5) as d:
            await d.add_all([hole, good])
            workers = {w.url: w for w in d.snapshot()}
            await asyncio.wait_for(abandoned.wait(), 10)  # gave up on the silent host by itself
    finally:
        release.set()
        black_hole.close()
        await black_hole.wait_closed()
    assert workers[hole].health is Health.UNHEALTHY and "TimeoutError" in workers[hole].error
    assert workers[good].health is Health.HEALTHY


async def test_interfaces_on_other_hosts_are_dropped_so_dispatch_cannot_be_sent_there() -> None:
    server = CardServer()
    base_card = server.card

    def mixed(base: str) -> dict[str, Any]:
        card = base_card(base)
        card["supportedInterfaces"].insert(
            0, {"url": "http://10.1.2.3:80/a2a", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
        )
        return card

    server.card = mixed  # type: ignore[method-assign]
    async with served(server.build) as url, directory() as d:
        worker = await d.add(url)
        interfaces = [i.url for i in d.card(url).supported_interfaces]
    assert worker.available and interfaces == [f"{url}/a2a/jsonrpc"]


@pytest.mark.parametrize("url", ["http://169.254.169.254", "http://[fe80::1]:8080", "http://metadata.google.internal"])
async def test_link_local_and_metadata_addresses_are_refused_before_any_request(url: str) -> None:
    async with directory() as d:
        with pytest.raises(DiscoveryError, match="link-local or metadata"):
            await d.add(url)
        await d.add_all([url])  # from settings: logged and skipped, the rest of the roster is unaffected
        assert d.snapshot() == []


def _extended_reply(card: dict[str, Any]) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": "card", "result": card}).encode()


@pytest.mark.parametrize(
    "extended",
    [
        pytest.param(b'{"jsonrpc": "2.0", "id": "card", "result": {"name": "' + b"x" * (5 * 1024 * 1024), id="5 MB"),
        pytest.param(b'{"jsonrpc": "2.0", "id": "card", "result": {"name": "x", "skills": [', id="cut JSON"),
        pytest.param(b'["not", "an", "object"]', id="not an object"),
        pytest.param(b'{"jsonrpc": "2.0", "id": "card", "error": {"code": -32007, "message": "no"}}', id="refused"),
        pytest.param(_extended_reply({**CardServer().card("http://127.0.0.1:1"), "skills": []}), id="no skills"),
    ],
)
async def test_an_unusable_extended_card_keeps_the_public_one(extended: bytes) -> None:
    server = CardServer(extended=extended)
    async with served(server.build) as url, directory() as d:
        worker = await d.add(url)
    assert worker.available and [s.id for s in worker.skills] == ["alpha"]


async def test_a_valid_extended_card_replaces_the_public_one() -> None:
    server = CardServer()
    async with served(server.build) as url, directory() as d:
        server.extended = _extended_reply(
            {**server.card(url), "skills": CardServer(skills=["alpha", "beta"]).card(url)["skills"]}
        )
        worker = await d.add(url)
    assert [s.id for s in worker.skills] == ["alpha", "beta"]
