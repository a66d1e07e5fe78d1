"""Serve ASGI apps on real sockets (ephemeral ports) inside the test's event loop, lifespan included."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import uvicorn
from starlette.types import ASGIApp


@contextlib.asynccontextmanager
async def served(
    build: Callable[[str], ASGIApp], *, port: int = 0, startup_timeout: float = 10.0
) -> AsyncIterator[str]:
    """Bind 127.0.0.1:`port` (0: ephemeral), build the app for its URL, serve it, yield the base URL, then shut
    down cleanly. A fixed port lets a test stop a server and bring it back at the same URL."""
    config = uvicorn.Config(None, host="127.0.0.1", port=port, log_level="warning", lifespan="on")  # type: ignore[arg-type]
    sock = config.bind_socket()
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    config.app = build(base_url)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(startup_timeout):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.005)  # ok-sleep: polling uvicorn's started flag with a deadline
        yield base_url
    finally:
        server.should_exit = True
        await task
