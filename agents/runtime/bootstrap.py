"""Composition root of a worker process: settings + spec -> model, loop, executor, A2A app; and `main`."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from a2a.types import AgentExtension
from starlette.applications import Starlette

from agents.host import tracing
from agents.host.auth import parse_tokens
from agents.host.database import open_engine
from agents.host.errors import ConfigurationError
from agents.host.fetch import FileFetcher, parse_hosts
from agents.host.process import anthropic_client, configure_logging
from agents.host.serving import build_a2a_app, load_card, serve
from agents.host.wire import SUBTASK_EXTENSION_URI

from .executor import WorkerExecutor
from .loop import AgentLoop
from .model import Model
from .offline import OfflineModel
from .settings import WorkerSettings, load_worker_settings
from .spec import WorkerSpec
from .tools import Toolbox

if TYPE_CHECKING:  # imported when a key is set: the SDK takes seconds to import, and offline runs never need it
    import anthropic


def build_worker_app(spec: WorkerSpec, settings: WorkerSettings, *, model: Model | None = None) -> Starlette:
    """The worker's A2A app. Without `model`, Claude when an API key is set, else the offline policy."""
    client: anthropic.AsyncAnthropic | None = None
    model_id = ""  # reported with usage; unknown for a model given by the caller
    if model is None:
        model_id = settings.model.model if settings.model.uses_claude else "offline"
        if settings.model.uses_claude:
            from .claude import ClaudeModel

            client = anthropic_client(settings.model)
            model = ClaudeModel(client, model=settings.model.model, max_tokens=settings.model.max_tokens)
        else:
            model = OfflineModel(spec.policy)
    loop = AgentLoop(
        model=model,
        system_prompt=spec.system_prompt,
        toolbox=Toolbox(spec.tools),
        max_steps=settings.max_steps,
        tool_timeout=settings.tool_timeout,
    )
    executor = WorkerExecutor(
        loop,
        name=spec.name,
        max_input_bytes=settings.max_input_bytes,
        chunk_chars=settings.artifact_chunk_chars,
        model_id=model_id,
        fetcher=FileFetcher(
            parse_hosts(settings.fetch_hosts), max_bytes=settings.max_input_bytes, timeout=settings.fetch_timeout
        ),
    )
    card = load_card(spec.name, settings.server.base_url(), settings.server.cards_dir)
    card.capabilities.extensions.append(
        AgentExtension(
            uri=SUBTASK_EXTENSION_URI,
            description="Understands Switchboard's structured subtask data part (id, skill, deadline).",
            required=False,
        )
    )

    @contextlib.asynccontextmanager
    async def resources() -> AsyncIterator[None]:
        try:
            yield
        finally:
            if client is not None:
                await client.close()

    return build_a2a_app(
        card,
        executor,
        open_engine(settings.server.store_url(spec.name)),
        resources=resources,
        serve_v03=settings.server.serve_v03,
        auth_tokens=parse_tokens(settings.server.auth_tokens or ""),
        max_request_bytes=settings.server.max_request_bytes,
        max_parts=settings.server.max_parts,
        migrate=settings.server.migrate_at_start(),
    )


def parse_args(name: str, argv: Sequence[str]) -> dict[str, object]:
    parser = argparse.ArgumentParser(prog=f"switchboard worker {name}", description=f"Run the {name} worker.")
    parser.add_argument("--host", help="interface to bind (env SWITCHBOARD_HOST, default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to bind (env SWITCHBOARD_PORT)")
    parser.add_argument("--public-url", help="URL the card advertises (env SWITCHBOARD_PUBLIC_URL)")
    parser.add_argument("--data-dir", help="where the task store lives (env SWITCHBOARD_DATA_DIR)")
    args = parser.parse_args(list(argv))
    return {"host": args.host, "port": args.port, "public_url": args.public_url, "data_dir": args.data_dir}


def run_worker(spec: WorkerSpec, argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m agents.<name>` and `switchboard worker <name>`."""
    try:
        settings = load_worker_settings(spec.name, os.environ, parse_args(spec.name, argv or sys.argv[1:]))
        tracing.configure_tracing(spec.name, settings.server.tracing)  # before the app: it adds the middleware
        app = build_worker_app(spec, settings)
    except ConfigurationError as exc:
        print(f"{spec.name}: {exc.message}", file=sys.stderr)
        return 2
    configure_logging(settings.server, settings.model)
    serve(app, settings.server.host, settings.server.port, settings.server.log_level)
    return 0
