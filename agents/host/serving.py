"""A2A server plumbing shared by every agent process (workers and the orchestrator).

- `load_card`: an agent card from `agent_cards/<name>.json` (no host or port inside) plus the interfaces at
  the process's public URL, validated; problems raise `ConfigurationError` listing all of them.
- `build_a2a_app`: Starlette app with the card (ETag + Cache-Control), JSON-RPC and HTTP+JSON bindings, a
  SQL task store (written behind the request, see `store`), push-notification configs in the same database,
  and a lifespan that closes everything. With `serve_v03`, protocol 0.3 is served alongside 1.0.
- `serve`: run an app under uvicorn.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import uvicorn
from a2a.server.agent_execution import AgentExecutor
from a2a.server.cluster import DatabaseTaskEventStream, VersionedDatabaseTaskStore
from a2a.server.context import ServerCallContext
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes, create_rest_routes
from a2a.server.tasks import BasePushNotificationSender
from a2a.server.tasks.database_push_notification_config_store import DatabasePushNotificationConfigStore
from a2a.types import AgentCard, AgentInterface
from a2a.utils.constants import PROTOCOL_VERSION_0_3, PROTOCOL_VERSION_CURRENT, VERSION_HEADER
from google.protobuf.json_format import ParseDict, ParseError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from . import tracing
from .auth import auth_middleware, declare_schemes
from .errors import ConfigurationError, SwitchboardError
from .handler import SwitchboardRequestHandler
from .ledger import MessageLedger
from .limits import BodyLimit
from .migrate import prepare as prepare_schema
from .store import CachedPushConfigStore, SettledGuardTaskStore, UpsertTaskStore, WriteBehindTaskStore
from .writes import WriteQueue

log = logging.getLogger(__name__)

CARDS_DIR = Path(__file__).resolve().parents[2] / "agent_cards"
JSONRPC_PATH = "/a2a/jsonrpc"
REST_PATH = "/a2a/rest"
CARD_CACHE_CONTROL = "public, max-age=60"
CLUSTER_POLL_S = 0.2  # how often a replica polls the shared event table for tasks running elsewhere
SKILL_FIELDS = ("id", "name", "description", "tags", "examples")


def card_problems(raw: dict[str, Any]) -> list[str]:
    """Everything wrong with a card file's content, beyond what protobuf parsing catches."""
    problems = [f"missing {f}" for f in ("name", "description", "version", "skills") if not raw.get(f)]
    if "supportedInterfaces" in raw or "url" in raw:
        problems.append("interfaces/url must not be in the file: the serving URL comes from settings")
    seen: set[str] = set()
    for i, skill in enumerate(raw.get("skills") or []):
        for f in SKILL_FIELDS:
            if not skill.get(f):
                problems.append(f"skill {i} ({skill.get('id', '?')}): missing {f}")
        if skill.get("id") in seen:
            problems.append(f"duplicate skill id {skill.get('id')!r}")
        seen.add(skill.get("id"))
    return problems


def load_card(name: str, base_url: str, cards_dir: Path | None = None) -> AgentCard:
    path = (cards_dir or CARDS_DIR) / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigurationError([f"agent card {path}: {exc}"]) from None
    problems = card_problems(raw)
    card = AgentCard()
    try:
        ParseDict(raw, card)
    except ParseError as exc:
        problems.append(str(exc))
    if problems:
        raise ConfigurationError([f"agent card {path}: {p}" for p in problems])
    base = base_url.rstrip("/")
    card.supported_interfaces.extend(
        [
            AgentInterface(url=base + JSONRPC_PATH, protocol_binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url=base + REST_PATH, protocol_binding="HTTP+JSON", protocol_version="1.0"),
        ]
    )
    card.capabilities.streaming = True
    return card


def add_v03_interfaces(card: AgentCard) -> None:
    """Advertise every 1.0 interface a second time at protocol 0.3, after the 1.0 ones (a 1.x client keeps
    choosing 1.0). Same URLs: the SDK's compat JSON-RPC endpoint dispatches on the method name, and a 0.3
    REST client appends `/v1/...` to the URL, where the compat REST routes are mounted. The served card then
    also carries the legacy 0.3 fields (`url`, `preferredTransport`, ...) without which a 0.3 client cannot
    parse it."""
    current = [i for i in card.supported_interfaces if i.protocol_version == PROTOCOL_VERSION_CURRENT]
    card.supported_interfaces.extend(
        AgentInterface(url=i.url, protocol_binding=i.protocol_binding, protocol_version=PROTOCOL_VERSION_0_3)
        for i in current
    )


class VersionQueryParameter:
    """ASGI middleware: the A2A spec (§3.6.1) lets a client send `?A2A-Version=1.0` instead of the header, but
    a2a-sdk 1.3 reads only the header (and takes its absence for 0.3). When the header is missing, the
    parameter's value is copied into it, so such a request is negotiated as the client asked."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers: list[tuple[bytes, bytes]] = scope["headers"]
            if not any(name.lower() == VERSION_HEADER.lower().encode() for name, _ in headers):
                query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                version = query.get(VERSION_HEADER)
                if version:
                    header = (VERSION_HEADER.lower().encode(), version[0].encode("latin-1"))
                    scope = {**scope, "headers": [*headers, header]}
        await self.app(scope, receive, send)


def build_a2a_app(
    card: AgentCard,
    executor: AgentExecutor,
    engine: AsyncEngine,
    *,
    extra_routes: Sequence[BaseRoute] = (),
    resources: Callable[[], AbstractAsyncContextManager[None]] | None = None,
    card_modifier: Callable[[AgentCard], Awaitable[AgentCard]] | None = None,
    private_card_modifier: Callable[[AgentCard], Awaitable[AgentCard]] | None = None,
    push_timeout: float = 10.0,
    serve_v03: bool = False,
    auth_tokens: Mapping[str, str] | None = None,
    open_paths: frozenset[str] = frozenset(),
    max_request_bytes: int = 10_000_000,
    max_parts: int = 64,
    cluster: bool = False,
    migrate: bool | None = None,
    writes: WriteQueue | None = None,
) -> Starlette:
    """The A2A app of one agent. `resources` opens and closes the agent's own clients in the lifespan.
    `serve_v03` (opt-in, SWITCHBOARD_PROTOCOL_V03) adds 0.3 interfaces to `card` and the SDK's 0.3 compat
    routes to both bindings, so callers still on protocol 0.3 can use the agent. `auth_tokens` ({token: caller})
    makes every route but the card and `open_paths` require a token, and is declared on the card (see `auth`).
    `private_card_modifier` adds what only callers may see: with tokens configured it shapes the extended card
    (GetExtendedAgentCard, authenticated) and the public card stays without it; without tokens there is no one
    to hide it from, so it applies to the public card. `cluster`: replicas of this agent share `engine` through
    the SDK's cluster mode (versioned task store, events tailed from the database); resuming interrupted tasks
    is then left to the caller (see `orchestrator_agent.cluster`). `migrate`: at start-up, upgrade the database
    schema (True), or only check it is at head and fail otherwise (False); None: upgrade SQLite, check others
    (see `migrate.prepare`; the tables are made only by migrations). `writes`: the queue for the agent's
    bookkeeping writes (message ledger), if the agent has one for its own: sharing it lets them share
    transactions."""
    if serve_v03:
        add_v03_interfaces(card)
    extended: AgentCard | None = None
    extended_modifier: Callable[[AgentCard, ServerCallContext], Awaitable[AgentCard]] | None = None
    public_modifier = card_modifier
    if auth_tokens:
        declare_schemes(card)
        if private_card_modifier is not None:
            card.capabilities.extended_agent_card = True
            extended = card
            private = private_card_modifier

            async def extended_modifier(extended_card: AgentCard, _context: ServerCallContext) -> AgentCard:
                return await private(extended_card)

    elif private_card_modifier is not None:
        shown = private_card_modifier

        async def public_modifier(public: AgentCard) -> AgentCard:
            shaped = await card_modifier(public) if card_modifier is not None else public
            return await shown(shaped)

    push_http = httpx.AsyncClient(timeout=push_timeout)
    push_store = None
    push_sender = None
    if card.capabilities.push_notifications:
        push_store = CachedPushConfigStore(DatabasePushNotificationConfigStore(engine, create_table=False))
        push_sender = BasePushNotificationSender(push_http, push_store)
    task_store: WriteBehindTaskStore | VersionedDatabaseTaskStore
    event_stream: DatabaseTaskEventStream | None = None
    if cluster:  # every write goes to the shared database, versioned; other replicas tail the events
        task_store = SettledGuardTaskStore(engine, create_table=False)
        event_stream = DatabaseTaskEventStream(engine, poll_interval_s=CLUSTER_POLL_S, create_table=False)
    else:
        task_store = WriteBehindTaskStore(UpsertTaskStore(engine, create_table=False))
    writes = writes or WriteQueue(engine, name=card.name)
    ledger = MessageLedger(engine, writes)
    handler = SwitchboardRequestHandler(
        ledger=ledger,
        engine=engine,
        max_parts=max_parts,
        agent_executor=executor,
        task_store=task_store,
        agent_card=card,
        push_config_store=push_store,
        push_sender=push_sender,
        validate_input_modes=True,
        extended_agent_card=extended,
        extended_card_modifier=extended_modifier,
        event_stream=event_stream,
    )
    routes = [
        # first: the SDK's REST routes include a catch-all `Mount("/{tenant}")` that would swallow any
        # two-segment path such as /admin/agents
        *extra_routes,
        *create_agent_card_routes(card, card_modifier=public_modifier, cache_control=CARD_CACHE_CONTROL),
        *create_jsonrpc_routes(handler, rpc_url=JSONRPC_PATH, enable_v0_3_compat=serve_v03),
        *create_rest_routes(handler, path_prefix=REST_PATH, enable_v0_3_compat=serve_v03),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.callback(tracing.shutdown)  # runs last: flushes the spans of everything closed after it
            stack.push_async_callback(engine.dispose)
            stack.push_async_callback(push_http.aclose)
            stack.push_async_callback(writes.aclose)
            if isinstance(task_store, WriteBehindTaskStore):
                stack.push_async_callback(task_store.aclose)
            stack.push_async_callback(handler.aclose)
            await _prepare_schema(engine, card.name, migrate)
            await ledger.open()
            if resources is not None:
                await stack.enter_async_context(resources())
            if not cluster:  # in a cluster, the replicas hand interrupted tasks over among themselves
                await handler.resume_interrupted(getattr(executor, "resume_states", frozenset()))
            yield

    middleware = [  # outermost first: a caller without a token is refused before its body is read
        Middleware(VersionQueryParameter),
        *auth_middleware(auth_tokens or {}, open_paths),
        Middleware(BodyLimit, max_bytes=max_request_bytes),
    ]
    if tracing.enabled():  # continue the caller's trace (W3C traceparent) in this request's work
        middleware.insert(0, Middleware(tracing.TraceContext))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.handler = handler
    app.state.card = card
    app.state.engine = engine
    app.state.writes = writes
    return app


async def _prepare_schema(engine: AsyncEngine, agent: str, migrate: bool | None) -> None:
    auto = engine.dialect.name == "sqlite" if migrate is None else migrate
    try:
        await prepare_schema(engine, agent, auto=auto, url=engine.url.render_as_string(hide_password=True))
    except SwitchboardError as exc:  # said once, plainly, before uvicorn's "Application startup failed"
        log.critical("%s: %s", agent, exc.message)
        raise


def _exit_cleanly(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def serve(app: Starlette, host: str, port: int, log_level: str = "info") -> None:
    """Run `app` until SIGINT/SIGTERM; uvicorn drives the lifespan, so shutdown closes every resource.

    SIGTERM is the normal way a service manager stops a process: after the graceful shutdown (open requests
    get 5 s, then the lifespan closes everything) the process exits 0. uvicorn re-raises the signal it caught
    once it is done, which would otherwise end the process "killed by SIGTERM"."""
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level=log_level.lower(),
            log_config=None,  # uvicorn's records go through the process's structured handler (`logs`)
            timeout_graceful_shutdown=5,
            # longer than httpx's 5 s keep-alive expiry: a client must never reuse a connection the server closes
            timeout_keep_alive=30,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
