"""Switchboard benchmarks: every figure against its target, baselines measured side by side in the same run.

    .venv/bin/python bench/run.py [--quick] [--only NAME,...] [--json bench/results/latest.json]

Each benchmark group starts its own processes on free loopback ports and stops them (bench/README.md lists
the figures, their baselines and targets). Prints a table (figure, value, target, PASS/FAIL, detail), writes
the JSON, and exits non-zero when a target is missed.
"""

from __future__ import annotations

import os

# the benchmark's own a2a clients run without the SDK's tracing, like every Switchboard process (set before
# anything imports a2a)
os.environ.setdefault("OTEL_INSTRUMENTATION_A2A_SDK_ENABLED", "false")

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import discovery, figures, planner  # noqa: E402
from bench.common import client_for, pooled, quiet  # noqa: E402

GROUPS = ("dispatch", "fanout", "throughput", "first_event", "memory", "discovery", "planner")


async def network_figures(groups: set[str], quick: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="switchboard-bench-") as tmp, figures.network(Path(tmp)) as (urls, pid):
        async with pooled(600) as http:
            c = {name: await client_for(http, url) for name, url in urls.items()}
            c_stream = {name: await client_for(http, urls[name], streaming=True) for name in ("orchestrator", "echo")}
            steps = {
                "dispatch": lambda: figures.dispatch(c, 40 if quick else 200),
                "fanout": lambda: figures.fanout(c, 3 if quick else 5),
                "throughput": lambda: figures.throughput(c, 3.0 if quick else 5.0),
                "first_event": lambda: figures.first_event(c_stream, 30 if quick else 100),
                "memory": lambda: figures.memory(
                    c, c_stream["orchestrator"], pid, 1000 if quick else 5000, 100 if quick else 200
                ),
            }
            for name, step in steps.items():
                if name in groups:
                    await quiet(pid)  # each group starts on an idle orchestrator
                    rows += await step()
            for client in (*c.values(), *c_stream.values()):
                await client.close()
    return rows


async def measure(groups: set[str], quick: bool) -> list[dict[str, Any]]:
    rows = await network_figures(groups, quick) if groups & set(GROUPS[:5]) else []
    if "discovery" in groups:
        rows += await discovery.figures(quick)
    if "planner" in groups:
        rows += await planner.figures(quick)
    return rows


def report(rows: list[dict[str, Any]]) -> bool:
    """Print the table; marks each row's `pass`; True when every target holds."""
    ok = True
    print(f"{'benchmark':<34} {'value':>9} {'target':>9}  result  detail")
    for r in rows:
        value, target, lower = float(r["value"]), float(r["target"]), r.get("lower_is_better", True)
        r["pass"] = value <= target if lower else value >= target
        ok &= r["pass"]
        bound = f"{'<=' if lower else '>='}{target:g}"
        print(f"{r['name']:<34} {value:9.3f} {bound:>9}  {'PASS' if r['pass'] else 'FAIL':<6}  {r['detail']}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer samples and goals")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    groups = {g.strip() for g in args.only.split(",") if g.strip()}
    if not groups or groups - set(GROUPS):
        parser.error(f"--only takes groups from {', '.join(GROUPS)}; got {args.only!r}")
    started = time.monotonic()
    rows = asyncio.run(measure(groups, args.quick))
    ok = report(rows)
    print(f"{len(rows)} figures in {time.monotonic() - started:.0f} s")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
