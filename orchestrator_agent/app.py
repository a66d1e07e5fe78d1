"""Composition root of the orchestrator: settings -> directory, planner, scheduler, executor -> Starlette app.

Routes besides A2A: `GET /agents` (the roster as JSON, read-only), `GET /ui` (the dashboard page, see
`dashboard`) and, when `SWITCHBOARD_ADMIN_TOKEN` is set, `POST /admin/agents {"url": ...}` and
`DELETE /admin/agents?url=...` with `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from a2a.server.context import ServerCallContext
from a2a.types import AgentCard, AgentExtension, AgentSkill
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from agents.host import tracing
from agents.host.auth import parse_tokens
from agents.host.database import open_engine
from agents.host.handler import Owner, SwitchboardRequestHandler, unsettled_tasks
from agents.host.pool import pooled_transport
from agents.host.process import anthropic_client
from agents.host.serving import build_a2a_app, load_card
from agents.host.store import UpsertTaskStore
from agents.host.wire import SUBTASK_EXTENSION_URI
from agents.host.writes import WriteQueue

from .budget import OFFLINE_MODEL
from .cluster import Membership, new_replica_id
from .credentials import WorkerCredentials, parse_agent_tokens
from .dashboard import UI_PATH, dashboard_routes
from .directory import Directory
from .dispatch import A2AWorkerGateway
from .errors import DiscoveryError
from .executor import OrchestratorExecutor
from .goal import GoalOrigin, GoalRequest, GoalSession
from .journal import GoalJournal, SavedGoal
from .offline_planner import OfflinePlanner
from .planning import Planner
from .scheduler import Limits, Scheduler
from .semantic import NoSimilarity, Similarity, default_similarity
from .settings import OrchestratorSettings
from .synthesis import OfflineSynthesizer, Synthesizer
from .transport import IDENTITY, CappedTransport, response_cap

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # imported only when a key is set (see `_models`)
    import anthropic

NAME = "orchestrator"


@dataclass
class Components:
    """The orchestrator's long-lived parts, exposed on `app.state.components` for tests and the CLI."""

    directory: Directory
    gateway: A2AWorkerGateway
    executor: OrchestratorExecutor


def _models(
    settings: OrchestratorSettings, similarity: Similarity
) -> tuple[Planner, Synthesizer, anthropic.AsyncAnthropic | None]:
    if not settings.model.uses_claude:
        return OfflinePlanner(similarity), OfflineSynthesizer(), None
    from .claude_planning import ClaudePlanner, ClaudeSynthesizer

    client = anthropic_client(settings.model)
    planner = ClaudePlanner(
        client, model=settings.model.model, max_tokens=settings.model.max_tokens, retries=settings.plan_retries
    )
    synthesizer = ClaudeSynthesizer(
        client, model=settings.model.model, max_tokens=settings.model.max_tokens, fallback=OfflineSynthesizer()
    )
    return planner, synthesizer, client


def build_app(settings: OrchestratorSettings, *, http: httpx.AsyncClient | None = None) -> Starlette:
    http = http or httpx.AsyncClient(
        auth=WorkerCredentials(parse_agent_tokens(settings.agent_token_entries())),
        timeout=httpx.Timeout(settings.subtask_timeout, connect=settings.connect_timeout),
        headers=IDENTITY,
        # W3C trace context to every worker when tracing is on (workers that ignore it are fine)
        event_hooks={"request": [tracing.inject_headers]} if tracing.enabled() else None,
        transport=CappedTransport(
            response_cap(settings.max_output_bytes),
            pooled_transport(
                # keep as many connections alive as subtasks may run at once: a fan-out reuses them instead of
                # opening (and closing) a TCP connection per subtask (bench/README.md, fanout figures)
                httpx.Limits(
                    max_connections=max(100, settings.max_concurrency * 2),
                    max_keepalive_connections=settings.max_concurrency,
                )
            ),
        ),
    )
    directory = Directory(
        http,
        card_timeout=settings.card_timeout,
        unhealthy_after=settings.unhealthy_after,
        allow_link_local=settings.allow_link_local,
    )
    gateway = A2AWorkerGateway(http)
    limits = Limits(
        max_concurrency=settings.max_concurrency,
        subtask_timeout=settings.subtask_timeout,
        max_attempts=settings.max_attempts,
        retries=settings.retries,
        retry_backoff=settings.retry_backoff,
        reattach_window=settings.reattach_window,
        max_output_bytes=settings.max_output_bytes,
    )
    scheduler = Scheduler(directory, gateway, limits)
    similarity = NoSimilarity() if settings.model.uses_claude else default_similarity()
    planner, synthesizer, model_client = _models(settings, similarity)
    engine = open_engine(settings.server.store_url(NAME))
    journal_writes = WriteQueue(engine, name="journal")
    replica_id = (settings.replica_id or new_replica_id()) if settings.cluster else ""
    journal = GoalJournal(engine, journal_writes, replica_id=replica_id)
    admission = asyncio.Semaphore(settings.max_goals)
    prices = settings.price_table()

    def new_session(origin: GoalOrigin, request: GoalRequest, saved: SavedGoal | None) -> GoalSession:
        return GoalSession(
            origin,
            request,
            saved,
            planner=planner,
            synthesizer=synthesizer,
            scheduler=scheduler,
            journal=journal,
            roster=directory.snapshot,
            max_subtasks=settings.max_subtasks,
            deadline_s=settings.goal_deadline,
            admission=admission,
            prices=prices,
            model_id=settings.model.model if settings.model.uses_claude else OFFLINE_MODEL,
            budget=settings.budget(),
        )

    executor = OrchestratorExecutor(
        new_session,
        journal,
        scheduler,
        max_depth=settings.max_depth,
        self_url=settings.server.base_url(),
        shutdown_grace=settings.shutdown_grace,
        max_goals_per_caller=settings.max_goals_per_caller,
    )
    card = load_card(NAME, settings.server.base_url(), settings.server.cards_dir)
    card.capabilities.push_notifications = True
    card.capabilities.extensions.append(
        AgentExtension(uri=SUBTASK_EXTENSION_URI, description="Takes the skill a delegating orchestrator chose.")
    )

    @contextlib.asynccontextmanager
    async def resources() -> AsyncIterator[None]:
        await journal.sweep()
        if not settings.cluster:  # (a replica's store writes every event: no goal misses its task there)
            await _restore_unstored(journal, engine)
        await directory.add_all(settings.initial_agents())
        background = [asyncio.create_task(directory.run(settings.refresh_interval), name="directory-refresh")]
        background.append(asyncio.create_task(similarity.ready(), name="offline-selection-model"))
        membership = None
        if settings.cluster:
            membership = Membership(
                engine,
                replica_id=replica_id,
                url=settings.server.base_url(),
                lease=settings.cluster_lease,
                resume=_resumer(app, engine, journal, executor.resume_states),
            )
            background.append(asyncio.create_task(membership.run(), name="cluster-membership"))
        try:
            yield
        finally:
            await executor.aclose()  # drains and suspends goals: needs the directory, gateway and journal
            for task in background:
                task.cancel()
            await asyncio.wait(background)
            if membership is not None:
                await membership.leave()  # after the journal flushed: the suspended goals move on at once
            await journal_writes.aclose()
            await gateway.aclose()
            await http.aclose()
            if model_client is not None:
                await model_client.close()

    routes = [
        Route("/agents", _roster_endpoint(directory), methods=["GET"]),
        Route("/admin/agents", _admin_endpoint(directory, settings.admin_token), methods=["POST", "DELETE"]),
        *dashboard_routes(),  # GET /ui: a static page holding no data; it reads the API with the caller's token
    ]
    app = build_a2a_app(
        card,
        executor,
        engine,
        extra_routes=routes,
        resources=resources,
        private_card_modifier=_with_roster(directory),  # for authenticated callers only, when tokens are set
        serve_v03=settings.server.serve_v03,
        auth_tokens=parse_tokens(settings.server.auth_tokens or ""),
        open_paths=frozenset({"/admin/agents", UI_PATH}),  # admin: its own token; /ui: the page holds no data
        max_request_bytes=settings.server.max_request_bytes,
        max_parts=settings.server.max_parts,
        migrate=settings.server.migrate_at_start(),
        cluster=settings.cluster,
        writes=journal_writes,  # a goal's ledger entry and journal row go in one transaction
    )
    app.state.components = Components(directory, gateway, executor)
    return app


async def _restore_unstored(journal: GoalJournal, engine: AsyncEngine) -> None:
    """Store the task of each goal the journal holds but the task store lost in a crash (its first writes are
    behind), so that the start-up resume finds and continues it like any other interrupted goal."""
    store = UpsertTaskStore(engine, create_table=False)
    for owner, task in await journal.unstored():
        log.info("goal %s: restored from the journal after a crash", task.id)
        await store.save(task, ServerCallContext(user=Owner(owner)))


def _resumer(
    app: Starlette, engine: AsyncEngine, journal: GoalJournal, states: frozenset[int]
) -> Callable[[Collection[str]], Awaitable[int]]:
    """Cluster takeover: resume goals claimed from a stopped replica on this one, as after a restart."""

    async def resume(goal_ids: Collection[str]) -> int:
        unsettled = await unsettled_tasks(engine, goal_ids)
        for settled in set(goal_ids) - {task_id for task_id, *_ in unsettled}:
            journal.close(settled, delay=0)  # it ended before its replica stopped: nothing to resume
        handler: SwitchboardRequestHandler = app.state.handler
        return await handler.resume(unsettled, states)

    return resume


def _with_roster(directory: Directory) -> Callable[[AgentCard], Awaitable[AgentCard]]:
    """The card with the current roster's skills appended (tagged `via:<worker>`), so callers and parent
    orchestrators can see what this network can do; behind authentication, only on the extended card."""

    async def modify(card: AgentCard) -> AgentCard:
        served = AgentCard()
        served.CopyFrom(card)
        own = {s.id for s in card.skills}
        for worker in directory.snapshot():
            if not worker.available:
                continue
            for skill in worker.skills:
                if skill.id in own:
                    continue
                own.add(skill.id)
                served.skills.append(
                    AgentSkill(
                        id=skill.id,
                        name=skill.name,
                        description=skill.description,
                        tags=[*skill.tags, f"via:{worker.name}"],
                        examples=list(skill.examples),
                    )
                )
        return served

    return modify


def _roster_endpoint(directory: Directory) -> Callable[[Request], Awaitable[Response]]:
    async def roster(_request: Request) -> Response:
        return JSONResponse({"agents": [w.model_dump(mode="json") for w in directory.snapshot()]})

    return roster


def _admin_endpoint(directory: Directory, token: str | None) -> Callable[[Request], Awaitable[Response]]:
    async def admin(request: Request) -> Response:
        if not token:
            return JSONResponse({"error": "the admin endpoint is disabled: set SWITCHBOARD_ADMIN_TOKEN"}, 404)
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse(
                {"error": "missing or invalid bearer token"}, 401, headers={"WWW-Authenticate": "Bearer"}
            )
        if request.method == "DELETE":
            url = request.query_params.get("url", "")
            removed = directory.remove(url)
            return JSONResponse({"removed": removed, "url": url}, 200 if removed else 404)
        try:
            body: Any = json.loads(await request.body() or b"{}")
            url = str(body["url"])
            worker = await directory.add(url)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": 'send {"url": "http://host:port"}'}, 400)
        except DiscoveryError as exc:
            return JSONResponse({"error": exc.message}, 400)
        return JSONResponse({"added": worker.model_dump(mode="json")}, 201)

    return admin
