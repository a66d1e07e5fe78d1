"""Load test: many concurrent goals through the whole local network (not part of the default test run).

    .venv/bin/python bench/load.py [--goals 200] [--concurrency 200]

Starts every worker and the orchestrator as separate processes on free loopback ports, warms up, records the
orchestrator's resident memory, sends `--goals` goals with at most `--concurrency` in flight (a mix of one-skill
goals and three-worker goals with a dependency), then reports errors, p50/p99 latency, throughput and the
orchestrator's memory before and after. Exits non-zero on any error or if memory did not come back within
30 MB of the warm baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types import Message, Part, Role, SendMessageRequest, TaskState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.registry import WORKERS  # noqa: E402
from orchestrator_agent.network import LocalNetwork, free_ports  # noqa: E402

GOALS = (
    "What is (17 + 25) * 3 - 2^5?",
    "Convert 10 km to miles.",
    "Compute the mean and median of 4, 8, 15, 16, 23, 42. Search the library for how agent cards describe "
    "skills. Then write a short report that combines these results.",
)
MEMORY_BOUND_MB = 30.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def one_goal(client: Client, text: str) -> float:
    started = time.perf_counter()
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), parts=[Part(text=text)])
    last = None
    async for event in client.send_message(SendMessageRequest(message=message)):
        last = event
    if last is None or last.task.status.state != TaskState.TASK_STATE_COMPLETED:
        raise RuntimeError(f"goal did not complete: {text[:40]}")
    return time.perf_counter() - started


async def run(url: str, token: str, pid: int, goals: int, concurrency: int, rounds: int) -> int:
    # keep-alive shorter than the server's, so the client never reuses a connection the server is closing
    limits = httpx.Limits(max_connections=concurrency + 10, max_keepalive_connections=concurrency, keepalive_expiry=2)
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with httpx.AsyncClient(timeout=120, limits=limits, headers=headers) as http:
        card = await A2ACardResolver(http, url).get_agent_card()
        client = ClientFactory(ClientConfig(httpx_client=http, streaming=False)).create(card)
        for text in GOALS * 5:  # warm up every path
            await one_goal(client, text)
        warm = rss_mb(pid)
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []
        errors: list[str] = []

        async def guarded(i: int) -> None:
            async with gate:
                try:
                    latencies.append(await one_goal(client, GOALS[i % len(GOALS)]))
                except Exception as exc:  # a load test counts failures instead of stopping at the first
                    errors.append(f"{type(exc).__name__}: {exc}")

        started = time.perf_counter()
        peaks = []
        for _ in range(rounds):  # later rounds show whether memory keeps growing (a leak) or plateaus
            async with asyncio.TaskGroup() as group:
                for i in range(goals):
                    group.create_task(guarded(i))
            peaks.append(rss_mb(pid))
        wall = time.perf_counter() - started
        peak = max(peaks)
        for text in GOALS:  # after the load: the same light traffic as the warm-up
            await one_goal(client, text)
        after = rss_mb(pid)
        await client.close()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    goals *= rounds
    print(
        f"goals {goals}, concurrency {concurrency}, errors {len(errors)}, wall {wall:.1f} s, {goals / wall:.1f} goals/s"
    )
    if latencies:
        print(f"latency p50 {statistics.median(latencies) * 1e3:.0f} ms, p99 {p99 * 1e3:.0f} ms")
    print("RSS after each round: " + ", ".join(f"{p:.1f} MB" for p in peaks))
    print(
        f"orchestrator RSS: warm {warm:.1f} MB, peak {peak:.1f} MB, after {after:.1f} MB "
        f"(growth {after - warm:+.1f} MB, bound {MEMORY_BOUND_MB:.0f} MB)"
    )
    for e in errors[:5]:
        print("  error:", e)
    return 0 if not errors and after - warm <= MEMORY_BOUND_MB else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    ports = free_ports(len(WORKERS) + 1)
    with tempfile.TemporaryDirectory(prefix="switchboard-load-") as tmp:
        network = LocalNetwork(port=ports[0], worker_ports=ports[1:], data_dir=Path(tmp))
        with network.running(timeout=60):
            orchestrator = next(a for a in network.agents if a.name == "orchestrator")
            return asyncio.run(
                run(
                    network.orchestrator_url,
                    network.token,
                    orchestrator.process.pid,
                    args.goals,
                    args.concurrency,
                    args.rounds,
                )
            )


if __name__ == "__main__":
    raise SystemExit(main())
