"""A worker on the real Switchboard runtime whose one tool works `--seconds` and appends a line per run to
`<data dir>/runs.log`, so restart tests can count runs across processes.

    python -m tests.support.slow_worker --port P --data-dir D [--seconds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from pydantic import BaseModel, Field

from agents.runtime.bootstrap import run_worker
from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer, call
from agents.runtime.spec import WorkerSpec
from agents.runtime.tools import Tool, ToolContext, ToolResult

CARDS = Path(__file__).resolve().parent / "cards"


class WorkArgs(BaseModel):
    text: str = Field(description="what to work on")


def runs(data_dir: Path) -> list[str]:
    """One line per tool run so far: `<pid> <text>`."""
    path = data_dir / "runs.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def spec(data_dir: Path, seconds: float) -> WorkerSpec:
    async def work(args: WorkArgs, _ctx: ToolContext) -> ToolResult:
        with (data_dir / "runs.log").open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {args.text}\n")
        await asyncio.sleep(seconds)
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    os.environ["SWITCHBOARD_CARDS_DIR"] = str(CARDS)
    worker = spec(Path(args.data_dir), args.seconds)
    return run_worker(worker, ["--port", args.port, "--data-dir", args.data_dir])


if __name__ == "__main__":
    sys.exit(main())
