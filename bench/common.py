"""Helpers shared by the benchmarks: requests, clients, timing, and per-process CPU and memory."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types import Part, SendMessageRequest, TaskState

from agents.host.pool import pooled_transport
from tests.support.a2a import user_message

REQUEST = "What is (17 + 25) * 3 - 2^5?"


def message(*parts: Part) -> SendMessageRequest:
    return SendMessageRequest(message=user_message("", *parts))


async def client_for(http: httpx.AsyncClient, url: str, streaming: bool = False) -> Client:
    """An a2a client for the agent at `url` over `http` (its connections are reused across requests)."""
    card = await A2ACardResolver(http, url).get_agent_card()
    return ClientFactory(ClientConfig(httpx_client=http, streaming=streaming)).create(card)


def pooled(connections: int = 100, timeout: float = 60) -> httpx.AsyncClient:
    """An httpx client with room for `connections` keep-alive connections (shorter keep-alive than the servers'),
    on the same connection pool as the orchestrator's (httpcore's own costs the client ~9 ms of CPU per request
    when 32 are sent at once over warm connections, which would be charged to the direct and the orchestrated
    figures alike)."""
    limits = httpx.Limits(max_connections=connections + 10, max_keepalive_connections=connections, keepalive_expiry=2)
    return httpx.AsyncClient(timeout=timeout, transport=pooled_transport(limits))


async def timings(call: Callable[[], Awaitable[object]], n: int, warmup: int = 10) -> list[float]:
    """Wall time of `n` sequential calls after `warmup` untimed ones."""
    for _ in range(warmup):
        await call()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        await call()
        times.append(time.perf_counter() - t0)
    return times


async def p50(call: Callable[[], Awaitable[object]], n: int, warmup: int = 10) -> float:
    return statistics.median(await timings(call, n, warmup))


async def send_once(client: Client, *parts: Part) -> None:
    """One blocking request; raises unless the task completed (a benchmark of failures measures nothing)."""
    last = None
    async for event in client.send_message(message(*parts)):
        last = event
    if last is None or last.task.status.state != TaskState.TASK_STATE_COMPLETED:
        raise RuntimeError(f"request did not complete: {str(last)[:300]}")


async def quiet(pid: int, *, window: float = 0.25, busy: float = 0.05, timeout: float = 15.0) -> None:
    """Return once process `pid` used less than `busy` of a core over `window` seconds, or after `timeout`: the
    previous benchmark's deferred work (journal rows deleted 5 s after a goal, tasks written behind) must not
    be charged to the next one's latencies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(window)  # ok-sleep: sampling the process's CPU use over a window
        if cpu_seconds(pid) - before < busy * window:
            return


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Loop:
    per_second: float  # completions per second after the warm-up
    errors: list[str]
    completed: int  # in all, warm-up included


async def closed_loop(call: Callable[[], Awaitable[object]], callers: int, seconds: float, warmup: float = 1.0) -> Loop:
    """`callers` calling back to back for `warmup` + `seconds`: completions per second after the warm-up, taken
    between the first and the last completion in the window (exact for evenly spaced completions, where counting
    them in the window would be off by up to one); failed calls are counted, not raised."""
    start = time.monotonic()
    done: list[float] = []
    errors: list[str] = []

    async def caller() -> None:
        while time.monotonic() < start + warmup + seconds:
            try:
                await call()
            except Exception as exc:  # a benchmark counts failures instead of stopping at the first
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            done.append(time.monotonic())

    await asyncio.gather(*(caller() for _ in range(callers)))
    counted = sorted(t for t in done if t >= start + warmup)
    per_second = (len(counted) - 1) / (counted[-1] - counted[0]) if len(counted) > 1 else 0.0
    return Loop(per_second, errors, len(done))


def row(
    name: str, value: float, target: float, detail: str, lower_is_better: bool = True, **extra: Any
) -> dict[str, Any]:
    """One benchmark result as the table and the JSON report show it."""
    return {
        "name": name,
        "value": value,
        "target": target,
        "lower_is_better": lower_is_better,
        "detail": detail,
        **extra,
    }
