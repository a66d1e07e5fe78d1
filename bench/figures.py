"""The figures that need a running network: dispatch overhead, fan-out (and the sequential baseline),
throughput, time to first event, and orchestrator memory. One set of processes serves them all:
the calculator, scripted bare-SDK workers that answer after 0 / 0.2 / 1 / 5 s, and an orchestrator over them."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from a2a.client import Client
from a2a.types import Part

from bench.common import REQUEST, closed_loop, message, p50, row, rss_mb, send_once, timings
from tests.support.orchestration import plan_part as plan
from tests.support.processes import agent_process, free_ports, scripted

ENV = {
    "OTEL_INSTRUMENTATION_A2A_SDK_ENABLED": "false",  # the floor is the SDK without its tracing, as Switchboard runs
    "SWITCHBOARD_MAX_SUBTASKS": "64",
    "SWITCHBOARD_MAX_CONCURRENCY": "64",  # the default (16) would run 32 subtasks in two waves
    "SWITCHBOARD_MAX_GOALS": "512",
    "SWITCHBOARD_MAX_GOALS_PER_CALLER": "1024",
}
WORKERS = {"echo": 0.0, "slow_echo": 0.2, "slow_1s": 1.0, "hold": 5.0}  # skill: seconds per request


@contextlib.contextmanager
def network(data: Path) -> Iterator[tuple[dict[str, str], int]]:
    """Every process the figures use: ({skill or 'arithmetic' or 'orchestrator': url}, orchestrator pid)."""
    ports = free_ports(len(WORKERS) + 3)
    urls = {"arithmetic": f"http://127.0.0.1:{ports[0]}"}
    with contextlib.ExitStack() as stack:
        calc = ["-m", "agents.calculator", "--port", str(ports[0]), "--data-dir", str(data)]
        stack.enter_context(agent_process(calc, ports[0], ENV))
        for port, (skill, delay) in zip(ports[1:], WORKERS.items(), strict=False):
            stack.enter_context(agent_process(scripted(port, skill=skill, delay=delay, name=skill), port, ENV))
            urls[skill] = f"http://127.0.0.1:{port}"
        # the calculator's like-for-like baseline: the bare SDK echo on the same kind of SQLite task store
        echo_sql = [*scripted(ports[-2], skill="echo_sql", name="echo_sql"), "--database-url", sqlite_url(data)]
        stack.enter_context(agent_process(echo_sql, ports[-2], ENV))
        urls["echo_sql"] = f"http://127.0.0.1:{ports[-2]}"
        agents = ",".join(urls.values())
        orch = ["-m", "orchestrator_agent", "--port", str(ports[-1]), "--data-dir", str(data), "--agents", agents]
        proc = stack.enter_context(agent_process(orch, ports[-1], ENV))
        urls["orchestrator"] = f"http://127.0.0.1:{ports[-1]}"
        yield urls, proc.pid


def sqlite_url(data: Path) -> str:
    return f"sqlite+aiosqlite:///{data / 'echo_sql.db'}"


def one(skill: str, brief: str = REQUEST) -> tuple[Part, Part]:
    return Part(text="run"), plan({"id": "a", "skill": skill, "brief": brief})


def fan(skill: str, n: int) -> tuple[Part, Part]:
    return Part(text="fan out"), plan(*({"id": f"s{i}", "skill": skill, "brief": f"item {i}"} for i in range(n)))


async def first_status(client: Client, *parts: Part) -> float:
    """Seconds from SendStreamingMessage to the first TaskStatusUpdateEvent; reads the stream to its end."""
    t0, first = time.perf_counter(), 0.0
    async for event in client.send_message(message(*parts)):
        if not first and event.HasField("status_update"):
            first = time.perf_counter() - t0
    return first


async def dispatch(c: dict[str, Client], n: int) -> list[dict[str, Any]]:
    t_echo = await p50(lambda: send_once(c["echo_sql"], Part(text=REQUEST)), n)
    t_calc = await p50(lambda: send_once(c["arithmetic"], Part(text=REQUEST)), n)
    t_orch = await p50(lambda: send_once(c["orchestrator"], *one("arithmetic")), n)
    return [
        row(
            "worker_vs_echo",
            t_calc / t_echo,
            1.3,
            f"calculator p50 {t_calc * 1e3:.1f} ms, bare SDK echo p50 {t_echo * 1e3:.1f} ms (SQLite store)",
        ),
        row(
            "dispatch_overhead",
            t_orch / t_calc,
            2.2,
            f"one-subtask goal via the orchestrator p50 "
            f"{t_orch * 1e3:.1f} ms / the same request straight to the calculator p50 {t_calc * 1e3:.1f} ms",
        ),
    ]


async def fanout(c: dict[str, Client], runs: int) -> list[dict[str, Any]]:
    async def direct(skill: str, k: int) -> None:
        await asyncio.gather(*(send_once(c[skill], Part(text=f"item {i}")) for i in range(k)))

    d16 = await p50(lambda: direct("slow_1s", 16), runs, warmup=1)
    t16 = await p50(lambda: send_once(c["orchestrator"], *fan("slow_1s", 16)), runs, warmup=1)
    d32 = await p50(lambda: direct("slow_echo", 32), runs, warmup=1)
    t32 = await p50(lambda: send_once(c["orchestrator"], *fan("slow_echo", 32)), runs, warmup=1)

    async def sequential() -> None:  # the naive orchestrator: one subtask after another, same worker, same client
        for i in range(32):
            await send_once(c["slow_echo"], Part(text=f"item {i}"))

    (seq,) = await timings(sequential, 1, warmup=0)
    return [
        row(
            "fanout_16x1s_s",
            t16,
            1.15,
            f"16 x 1 s subtasks via the orchestrator p50 {t16 * 1e3:.0f} ms; "
            f"the same 16 straight to the worker at once {d16 * 1e3:.0f} ms (p50 of {runs})",
        ),
        row(
            "fanout_32x200ms_s",
            t32,
            0.40,
            f"32 x 200 ms subtasks via the orchestrator p50 {t32 * 1e3:.0f} ms "
            f"(warm client); straight to the worker at once {d32 * 1e3:.0f} ms (p50 of {runs})",
        ),
        row(
            "fanout_32x200ms_speedup",
            seq / t32,
            20.0,
            f"sequential dispatcher (32 requests one after another, "
            f"same worker and client) {seq:.2f} s / fan-out {t32:.2f} s",
            lower_is_better=False,
        ),
    ]


async def throughput(c: dict[str, Client], seconds: float, callers: int = 16) -> list[dict[str, Any]]:
    loops = [
        await closed_loop(lambda: send_once(c["arithmetic"], Part(text=REQUEST)), callers, seconds),
        await closed_loop(lambda: send_once(c["orchestrator"], *one("arithmetic")), callers, seconds),
    ]
    if failed := [e for loop in loops for e in loop.errors]:
        raise RuntimeError(f"{len(failed)} requests failed, e.g. {failed[0][:300]}")
    direct, via = (loop.per_second for loop in loops)
    return [
        row(
            "throughput_ratio",
            via / direct,
            0.4,
            f"{via:.1f} goals/s via the orchestrator / {direct:.1f} requests/s "
            f"straight to the calculator ({callers} callers, {seconds:.0f} s each)",
            lower_is_better=False,
        ),
    ]


async def first_event(c: dict[str, Client], n: int) -> list[dict[str, Any]]:
    for _ in range(30):  # warm (the first goals of a fresh process are slower)
        await first_status(c["orchestrator"], *one("echo", "hi"))
    via = statistics.median([await first_status(c["orchestrator"], *one("echo", "hi")) for _ in range(n)])
    direct = statistics.median([await first_status(c["echo"], Part(text="hi")) for _ in range(n)])
    return [
        row(
            "first_event_ms",
            via * 1e3,
            15.0,
            f"SendStreamingMessage to the first status update, via the "
            f"orchestrator p50 {via * 1e3:.1f} ms (straight to a bare SDK worker {direct * 1e3:.1f} ms)",
        ),
    ]


async def memory(
    c: dict[str, Client], streaming: Client, pid: int, goals: int, in_flight: int, callers: int = 16
) -> list[dict[str, Any]]:
    """RSS growth after `goals` goals (16 callers) over the warm baseline, and RSS per goal held in flight."""
    goal = one("echo", "hi")
    for _ in range(50):
        await send_once(c["orchestrator"], *goal)
    warm = rss_mb(pid)
    left = [goals]

    async def caller() -> None:
        while left[0] > 0:
            left[0] -= 1
            await send_once(c["orchestrator"], *goal)

    t0 = time.perf_counter()
    await asyncio.gather(*(caller() for _ in range(callers)))
    elapsed = time.perf_counter() - t0
    after = base = rss_mb(pid)
    started = asyncio.Event()
    working = [0]

    async def held() -> None:  # streams until the worker (5 s per request) has the subtask, then to the end
        async for event in streaming.send_message(message(*one("hold", "wait"))):
            text = str(event.status_update.status.message) if event.HasField("status_update") else ""
            if "working" in text and "a (hold)" in text:
                working[0] += 1
                if working[0] == in_flight:
                    started.set()

    hold = [asyncio.create_task(held()) for _ in range(in_flight)]
    await asyncio.wait_for(started.wait(), 30)
    peak = rss_mb(pid)
    await asyncio.gather(*hold)
    per_goal = (peak - base) * 1024 / in_flight
    return [
        row(
            f"memory_growth_mb_{goals}_goals",
            after - warm,
            30.0,
            f"RSS {warm:.1f} -> {after:.1f} MB after {goals} goals ({goals / elapsed:.0f} goals/s, {callers} callers)",
        ),
        row(
            "memory_kb_per_inflight_goal",
            per_goal,
            50.0,
            f"RSS {base:.1f} -> {peak:.1f} MB with {in_flight} goals in flight (each waiting on a 5 s subtask)",
        ),
    ]
