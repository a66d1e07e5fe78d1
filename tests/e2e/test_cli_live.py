"""`switchboard ask` as a user sees it: on a terminal (a pseudo-terminal here) the plan tree redrawn in place with
ANSI escapes until every subtask is done, then the result; through a pipe the plain line-per-event output, no
escape codes; a goal served in part shows its unserved parts in the tree and a NOT DONE block, and exits 3. The
agents run in-process on real sockets; the CLI is a real process."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.types import ASGIApp

from tests.support import final_state_agent
from tests.support.orchestration import orchestrator_app
from tests.support.processes import ROOT
from tests.support.scripted_agent import build_app
from tests.support.servers import served

pytestmark = pytest.mark.timeout(30)

SKILLS = ["arithmetic", "search", "report"]
PLAN = {
    "subtasks": [
        {"id": "s1", "skill": "arithmetic", "brief": "add the numbers"},
        {"id": "s2", "skill": "search", "brief": "look it up"},
        {"id": "s3", "skill": "report", "brief": "write it up", "depends_on": ["s1"]},
    ]
}
CURSOR_UP = re.compile(r"\x1b\[\d+A")


def worker(url: str) -> ASGIApp:
    return build_app(url, name="helper", skills=SKILLS, tags=[], mode="ok", delay=0.3)


CLI = [sys.executable, "-m", "orchestrator_agent.cli"]


def _command(orchestrator: str, plan: Path, *extra: str) -> list[str]:
    return [*CLI, "ask", "Live tree", "--url", orchestrator, "--plan", str(plan), *extra]


ENV = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}


def _read_terminal(master: int, timeout: float) -> str:
    """Everything written to the terminal until the writer exited (EOF or EIO on the master), within `timeout`."""
    deadline, chunks = time.monotonic() + timeout, []
    while time.monotonic() < deadline:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the slave side closed, the process is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    else:
        raise TimeoutError("switchboard ask did not finish in time")
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


async def _ask_on_a_terminal(orchestrator: str, plan: Path, *extra: str) -> tuple[str, int]:
    return await _on_a_terminal(_command(orchestrator, plan, *extra))


async def _on_a_terminal(command: list[str]) -> tuple[str, int]:
    """Run `command` with a pseudo-terminal as its stdout and stderr; its output and exit code."""
    master, slave = pty.openpty()
    process = None
    try:
        process = await asyncio.create_subprocess_exec(
            *command,
            cwd=ROOT,
            env=ENV,
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
        )
        os.close(slave)
        slave = -1
        output = await asyncio.to_thread(_read_terminal, master, 20.0)
        return output, await asyncio.wait_for(process.wait(), 5)
    finally:
        if process is not None and process.returncode is None:
            process.kill()
            await process.wait()
        os.close(master)
        if slave >= 0:
            os.close(slave)


async def test_ask_on_a_terminal_draws_a_live_tree_and_through_a_pipe_plain_lines(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN), encoding="utf-8")
    async with served(worker) as helper, served(orchestrator_app(tmp_path / "orch", [helper])) as orchestrator:
        output, code = await _ask_on_a_terminal(orchestrator, plan)
        assert code == 0, output
        assert CURSOR_UP.search(output), output  # redrawn in place
        tree, result = output.split("=" * 78, 1)
        final = tree.rsplit("\x1b[J", 1)[1]  # the last drawing: every subtask done, with its worker and time
        assert final.startswith("completed ") and "plan (explicit) 3/3 done" in final, final
        for line in ("s1 arithmetic ✓ helper ", "s2 search ✓ helper ", "└─ s3 report ✓ helper "):
            assert re.search(re.escape(line) + r"\d+\.\ds 0 tok", final), final
        assert "done: " in result and "Provenance:" in result

        piped = await asyncio.create_subprocess_exec(
            *_command(orchestrator, plan), cwd=ROOT, env=ENV, stdout=subprocess.PIPE
        )
        out, _ = await asyncio.wait_for(piped.communicate(), 20)
        text = out.decode()
        assert piped.returncode == 0, text
        assert "\x1b" not in text and "plan (explicit): s1:arithmetic; s2:search; s3:report after s1" in text
        assert re.search(r"\] s3 report @ helper: completed", text) and "Provenance:" in text

        plain, code = await _ask_on_a_terminal(orchestrator, plan, "--plain")  # forced plain on a terminal
        assert code == 0 and "\x1b" not in plain and "s3 report @ helper: completed" in plain, plain


async def test_a_goal_served_in_part_shows_not_served_rows_then_the_not_done_block_and_exits_3() -> None:
    async with served(final_state_agent.build_app) as agent:
        output, code = await _on_a_terminal([*CLI, "ask", "partial the sum, a pizza and a flight", "--url", agent])
    assert code == 3, output
    final, result = output.rsplit("\x1b[J", 1)[1].split("\n\n", 1)
    assert final.splitlines()[1:] == [
        "s1 arithmetic ✓ calculator 0.0s",
        "order a pizza for delivery at 8pm ∅ not served (no advertised skill can order food)",
        "book a flight to Lisbon ∅ not served (no advertised skill can book travel)",
    ], final
    assert result.startswith("NOT DONE (2 parts):\n  - order a pizza for delivery at 8pm: ") and "=" * 78 in result
