"""The built-in network in one process for the quality suite: every worker and the orchestrator on real sockets
(ephemeral ports on 127.0.0.1), offline models, data under a temporary folder."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from starlette.types import ASGIApp

from agents.registry import WORKERS, worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.app import build_app
from orchestrator_agent.settings import load_settings
from tests.support.servers import served


def _worker(name: str, data_dir: Path) -> Callable[[str], ASGIApp]:
    def build(url: str) -> ASGIApp:
        settings = load_worker_settings(name, {}, {"public_url": url, "data_dir": str(data_dir / name)})
        return build_worker_app(worker_spec(name), settings)

    return build


def _orchestrator(agents: list[str], data_dir: Path) -> Callable[[str], ASGIApp]:
    def build(url: str) -> ASGIApp:
        env = {"SWITCHBOARD_AGENTS": ",".join(agents), "SWITCHBOARD_RETRY_BACKOFF": "0.05"}
        return build_app(load_settings(env, {"public_url": url, "data_dir": str(data_dir / "orchestrator")}))

    return build


@contextlib.asynccontextmanager
async def network(data_dir: Path) -> AsyncIterator[str]:
    """Serve every built-in worker and an offline orchestrator over them; yields the orchestrator's URL."""
    async with contextlib.AsyncExitStack() as stack:
        urls = [await stack.enter_async_context(served(_worker(name, data_dir))) for name in WORKERS]
        yield await stack.enter_async_context(served(_orchestrator(urls, data_dir)))
