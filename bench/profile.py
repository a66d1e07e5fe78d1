"""Profile the one-subtask goal path: py-spy on the orchestrator and the worker while a client sends goals.

    .venv/bin/python bench/profile.py [--seconds 15] [--out bench/profiles]

Starts the calculator and an orchestrator over it (processes on free loopback ports, stopped on exit), sends
one-subtask goals (an explicit plan) back to back, and records both processes with `py-spy record --format raw`
(needs py-spy: the `dev` extra). Writes small text summaries, `<out>/<process>.txt`: the CPU time per goal and
the functions with the most samples, inclusive and self, as a share of all samples (only samples holding the
GIL: Python CPU time), and the self samples by package.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from a2a.types import Part

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import REQUEST, client_for, cpu_seconds, send_once  # noqa: E402
from tests.support.orchestration import plan_part as plan  # noqa: E402
from tests.support.processes import agent_process, free_ports  # noqa: E402

RUN = Part(text="run")


def summarise(raw: Path, title: str, goals: int, cpu: float, top: int = 30) -> str:
    """Inclusive and self sample shares per function from py-spy's collapsed stacks."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    package: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        for frame in set(frames[1:]):  # the root frames (every sample has them) are dropped below
            inclusive[frame] += n
        own[frames[-1]] += n
        package[_package(stack.split(";")[-1])] += n
    lines = [f"# {title}: {goals} goals, {cpu / max(1, goals) * 1e3:.1f} ms CPU per goal, {total} samples", ""]
    lines.append("## inclusive (share of samples; frames on more than half of them, the event loop, left out)")
    shown = [(f, n) for f, n in inclusive.most_common() if n < 0.5 * total][:top]  # below the event loop's frames
    lines += [f"{n / max(1, total) * 100:5.1f}%  {f}" for f, n in shown]
    lines += ["", "## self, by package (share of samples)"]
    lines += [f"{n / max(1, total) * 100:5.1f}%  {p}" for p, n in package.most_common(12)]
    lines += ["", "## self (share of samples)"]
    lines += [f"{n / max(1, total) * 100:5.1f}%  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines) + "\n"


def _short(frame: str) -> str:
    """`function (file.py)` of a py-spy frame `function (/full/path/file.py:line)`."""
    function, _, where = frame.rpartition(" (")
    return f"{function} ({where.split(':')[0].rsplit('/', 1)[-1]})"


def _package(frame: str) -> str:
    """The installed package (or the repository's top-level package, or the stdlib module) a frame is in."""
    path = frame.rsplit(" (", 1)[-1].rsplit(":", 1)[0]
    if "site-packages/" in path:
        return path.split("site-packages/")[1].split("/")[0]
    if str(ROOT) in path:
        return path.split(str(ROOT) + "/")[1].split("/")[0]
    return "stdlib " + path.rsplit("/", 1)[-1]


async def drive(url: str, seconds: float) -> int:
    """Send one-subtask goals back to back for `seconds`; the number sent."""
    one = plan({"id": "a", "skill": "arithmetic", "brief": REQUEST})
    async with httpx.AsyncClient(timeout=60) as http:
        client = await client_for(http, url)
        for _ in range(20):
            await send_once(client, RUN, one)
        goals, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            await send_once(client, RUN, one)
            goals += 1
        await client.close()
    return goals


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--out", default=str(ROOT / "bench" / "profiles"))
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    calc_port, orch_port = free_ports(2)
    with tempfile.TemporaryDirectory(prefix="switchboard-profile-") as tmp:
        calc = ["-m", "agents.calculator", "--port", str(calc_port), "--data-dir", tmp]
        agents = f"http://127.0.0.1:{calc_port}"
        orch = ["-m", "orchestrator_agent", "--port", str(orch_port), "--data-dir", tmp, "--agents", agents]
        with agent_process(calc, calc_port) as worker, agent_process(orch, orch_port) as orchestrator:
            procs = {"orchestrator": orchestrator.pid, "worker": worker.pid}
            cpu0 = {k: cpu_seconds(p) for k, p in procs.items()}
            spies = {
                k: subprocess.Popen(
                    [
                        spy,
                        "record",
                        "--pid",
                        str(p),
                        "--format",
                        "raw",
                        "--rate",
                        "200",
                        "--nonblocking",
                        "--gil",
                        "--full-filenames",
                        "--duration",
                        str(int(args.seconds) + 2),
                        "-o",
                        f"{tmp}/{k}.raw",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                for k, p in procs.items()
            }
            goals = asyncio.run(drive(f"http://127.0.0.1:{orch_port}", args.seconds))
            cpu = {k: cpu_seconds(p) - cpu0[k] for k, p in procs.items()}
            for s in spies.values():
                s.wait(args.seconds + 30)
        for name in procs:
            text = summarise(Path(tmp) / f"{name}.raw", name, goals, cpu[name])
            (out / f"{name}.txt").write_text(text, encoding="utf-8")
            print(text.splitlines()[0])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
