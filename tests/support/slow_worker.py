"""A worker on the real Switchboard runtime whose one tool works `--seconds` and appends a line per run to
`<data dir>/runs.log`, so restart tests can count runs across processes.

    python -m tests.support.slow_worker --port P --data-dir D [--seconds 2] [--capacity N]

`--capacity N` lets at most N runs work at once in this process (the rest queue, still `working`), like a worker
with N slots, so that replicas of it add capacity; 0 (the default) means unlimited.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from agents.runtime.bootstrap import run_worker
from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer, call
from agents.runtime.spec import WorkerSpec
from agents.runtime.tools import Tool, ToolContext, ToolResult
from tests.support.processes import agent_process, free_ports, wait_for_card

CARDS = Path(__file__).resolve().parent / "cards"


class WorkArgs(BaseModel):
    text: str = Field(description="what to work on")


def runs(data_dir: Path) -> list[str]:
    """One line per tool run so far: `<pid> <text>`."""
    path = data_dir / "runs.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def spec(data_dir: Path, seconds: float, capacity: int = 0) -> WorkerSpec:
    """The slow worker: each run logs a line, then waits for a free slot (if `capacity` > 0) and works."""
    slots = asyncio.Semaphore(capacity) if capacity > 0 else None

    async def work(args: WorkArgs, _ctx: ToolContext) -> ToolResult:
        with (data_dir / "runs.log").open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {args.text}\n")
        async with slots or contextlib.nullcontext():
            await asyncio.sleep(seconds)  # ok-sleep: the work this worker simulates
        return ToolResult(text=f"worked on {args.text}")

    def policy(conversation: Conversation) -> ModelTurn:
        history = conversation.tool_history()
        if history:
            return answer(history[0][1].content)
        return call("work", text=conversation.input.instruction.splitlines()[0][:200])

    return WorkerSpec(
        name="slow",
        system_prompt="You work slowly.",
        tools=[Tool("work", "Work on a text.", WorkArgs, work)],
        policy=policy,
        skill_tools={"slow_work": ["work"]},
    )


@dataclass(frozen=True)
class Replica:
    """One slow worker process; `served()` counts the runs in its own `runs.log`."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def served(self) -> int:
        return len(runs(self.data_dir))


@contextlib.contextmanager
def replicas(base: Path, count: int, seconds: float, capacity: int = 0) -> Iterator[list[Replica]]:
    """`count` slow workers (each `seconds` per run, `capacity` runs at once, 0: unlimited) started together,
    each with its own data dir under `base`; all stopped on exit."""
    with contextlib.ExitStack() as stack:
        started = []
        for i, port in enumerate(free_ports(count)):
            data_dir = base / f"replica{i}"
            data_dir.mkdir()
            args = ["-m", "tests.support.slow_worker", "--port", str(port), "--data-dir", str(data_dir)]
            args += ["--seconds", str(seconds), "--capacity", str(capacity)]
            process = stack.enter_context(agent_process(args, port, wait=False))
            started.append(Replica(f"http://127.0.0.1:{port}", data_dir, process))
        try:
            for replica in started:
                wait_for_card(replica.url, replica.process)
            yield started
        finally:  # all at once: each one's own exit then only waits
            for replica in started:
                if replica.process.poll() is None:
                    replica.process.terminate()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--capacity", type=int, default=0, help="runs working at once; 0: unlimited")
    args = parser.parse_args()
    if args.capacity < 0 or args.seconds < 0:
        parser.error("--capacity and --seconds must not be negative")
    os.environ["SWITCHBOARD_CARDS_DIR"] = str(CARDS)
    worker = spec(Path(args.data_dir), args.seconds, args.capacity)
    return run_worker(worker, ["--port", args.port, "--data-dir", args.data_dir])


if __name__ == "__main__":
    sys.exit(main())
