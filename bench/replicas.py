"""Replica scaling: goals/s through the orchestrator with 1, 2 and 4 replicas of a slow worker.

    .venv/bin/python bench/replicas.py [--quick] [--work 0.1] [--capacity 1] [--duration 5]

Starts 4 replicas of the slow test worker (`tests/support/slow_worker.py`: each subtask works `--work` seconds
and each replica runs at most `--capacity` of them at once, queueing the rest, so that replicas add capacity),
and an orchestrator process over the first one; the others join it at run time (`POST /admin/agents`), giving
1, 2 and 4 replicas in one pool. A closed loop of enough callers to saturate 4 replicas (2 x 4 x capacity goals
in flight, the same for every count) sends one-subtask goals (an explicit plan); completions after a warm-up
give goals/s. The figure is the ratio of 4 replicas to 1 (ideal: 4; target >= 3.2), measured in the same run.
It also prints how the 4-replica run's subtasks were spread, and the CPU time the orchestrator and the replicas
spent per goal, hence the most goals/s this machine's cores allow whatever the replicas: replicas scale
throughput only while 4 x capacity / work stays below that. Every process is stopped on exit; exits non-zero
below target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
from a2a.types import Part

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Loop, client_for, closed_loop, cpu_seconds, pooled, send_once  # noqa: E402
from tests.support.orchestration import plan_part as plan  # noqa: E402
from tests.support.processes import agent_process, free_ports  # noqa: E402
from tests.support.slow_worker import replicas  # noqa: E402

COUNTS = (1, 2, 4)
TARGET = 3.2


def goal() -> tuple[Part, Part]:
    return Part(text="work"), plan({"id": "w", "skill": "slow_work", "brief": f"item {uuid.uuid4().hex[:8]}"})


async def goals_per_second(url: str, callers: int, warmup: float, duration: float) -> Loop:
    """Closed loop of `callers` sending one-subtask goals back to back through the orchestrator at `url`."""
    async with pooled(callers) as http:
        client = await client_for(http, url)
        loop = await closed_loop(lambda: send_once(client, *goal()), callers, duration, warmup)
        await client.close()
    return loop


async def scaling(work: float, capacity: int, duration: float, warmup: float) -> dict[str, object]:
    """Goals/s for each replica count and the 4:1 ratio, as one benchmark row (see the module docstring)."""
    callers = 2 * max(COUNTS) * capacity
    rates: dict[int, float] = {}
    spread: list[int] = []
    errors, cpu_per_goal = 0, 0.0
    admin = secrets.token_urlsafe(16)
    with (
        tempfile.TemporaryDirectory(prefix="switchboard-replicas-") as tmp,
        replicas(Path(tmp), max(COUNTS), work, capacity) as pool,
    ):
        (port,) = free_ports(1)
        url = f"http://127.0.0.1:{port}"
        orch = ["-m", "orchestrator_agent", "--port", str(port), "--data-dir", str(Path(tmp) / "orchestrator")]
        env = {"SWITCHBOARD_AGENTS": pool[0].url, "SWITCHBOARD_MAX_GOALS": str(2 * callers)}
        with agent_process(orch, port, {**env, "SWITCHBOARD_ADMIN_TOKEN": admin}) as orchestrator:
            pids = [orchestrator.pid] + [r.process.pid for r in pool]
            for count in COUNTS:
                await join(url, admin, [r.url for r in pool[:count]])
                before = [r.served() for r in pool]
                cpu = sum(cpu_seconds(p) for p in pids)
                loop = await goals_per_second(url, callers, warmup, duration)
                rates[count] = loop.per_second
                cpu_per_goal = (sum(cpu_seconds(p) for p in pids) - cpu) / max(1, loop.completed)
                errors += len(loop.errors)
                spread = [r.served() - b for r, b in zip(pool, before, strict=True)]
    ratio = rates[max(COUNTS)] / rates[1]
    table = ", ".join(f"{n} replica(s) {rates[n]:.1f} goals/s ({rates[n] / rates[1]:.2f}x)" for n in COUNTS)
    cores = os.cpu_count() or 1
    return {
        "name": "replica_scaling_4x",
        "value": ratio,
        "target": TARGET,
        "lower_is_better": False,
        "detail": f"{table}; {work * 1e3:.0f} ms subtasks, capacity {capacity} per replica, {callers} goals in "
        f"flight; 4-replica spread {spread}; {errors} errors; CPU {cpu_per_goal * 1e3:.0f} ms per goal "
        f"(orchestrator + replicas): at most {cores / cpu_per_goal:.0f} goals/s on {cores} cores",
        "rates": {str(n): rates[n] for n in COUNTS},
        "errors": errors,
    }


async def join(url: str, admin: str, members: list[str]) -> None:
    """Make sure the orchestrator at `url` has every replica in `members` (run-time add, admin API)."""
    async with httpx.AsyncClient(timeout=10, headers={"Authorization": f"Bearer {admin}"}) as http:
        for member in members:
            reply = await http.post(f"{url}/admin/agents", json={"url": member})
            if reply.status_code != 201:
                raise RuntimeError(f"adding {member}: HTTP {reply.status_code}: {reply.text}")
            if reply.json()["added"]["health"] != "healthy":
                raise RuntimeError(f"{member} joined unhealthy: {reply.text}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter windows")
    parser.add_argument("--work", type=float, default=0.1, help="seconds per subtask")
    parser.add_argument("--capacity", type=int, default=1, help="subtasks one replica works on at once")
    parser.add_argument("--duration", type=float, help="measuring window per replica count, seconds")
    args = parser.parse_args()
    if args.work <= 0 or args.capacity < 1 or (args.duration is not None and args.duration <= 0):
        parser.error("--work and --duration must be positive and --capacity at least 1")
    duration = args.duration or (2.0 if args.quick else 5.0)
    row = asyncio.run(scaling(args.work, args.capacity, duration, warmup=1.0))
    passed = float(row["value"]) >= TARGET and row["errors"] == 0  # type: ignore[arg-type]
    print(f"{'benchmark':<24} {'value':>7} {'target':>7}  result  detail")
    print(f"{row['name']:<24} {float(row['value']):7.2f} {'>=' + str(TARGET):>7}  "  # type: ignore[arg-type]
          f"{'PASS' if passed else 'FAIL':<6}  {row['detail']}")  # fmt: skip
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
