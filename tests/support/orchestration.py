"""Build an in-process orchestrator for `served`, state explicit plans, and poll for a condition with a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from a2a.types import Part
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value
from starlette.types import ASGIApp

from orchestrator_agent.app import build_app
from orchestrator_agent.settings import load_settings


def orchestrator_app(tmp_path: Path, agents: list[str], **env: str) -> Callable[[str], ASGIApp]:
    """A builder for `served`: the offline orchestrator over `agents`, its data under `tmp_path`."""

    def build(url: str) -> ASGIApp:
        environment = {"SWITCHBOARD_AGENTS": ",".join(agents), "SWITCHBOARD_RETRY_BACKOFF": "0.05", **env}
        return build_app(load_settings(environment, {"public_url": url, "data_dir": str(tmp_path)}))

    return build


def plan_part(*subtasks: dict[str, Any]) -> Part:
    """A data part holding an explicit plan."""
    return Part(data=ParseDict({"subtasks": list(subtasks)}, Value()), media_type="application/json")


def url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


async def until(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Return once `check()` holds; `TimeoutError` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.02)  # ok-sleep: polling another process's state with a deadline


async def until_async(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Return once `await check()` holds; `TimeoutError` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.05)  # ok-sleep: polling with a deadline
