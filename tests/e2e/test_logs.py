"""Structured logs from real processes: JSON lines (stderr is not a terminal), every record about a goal naming
the goal, subtask and worker in the orchestrator and in the worker that served it, and no token anywhere, even
at debug level where the SDK logs whole requests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.orchestration import plan_part, url
from tests.support.processes import ROOT, free_ports, wait_for_card

pytestmark = pytest.mark.timeout(60)
CALLER, WORKER = "caller-token-0123456789abcdef", "worker-token-0123456789abcdef"


@contextmanager
def _logged(args: list[str], port: int, log: Path, env: dict[str, str]) -> Iterator[None]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "SWITCHBOARD_LOG_LEVEL": "debug", **env}
    with log.open("w") as sink:
        process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=full_env, stdout=sink, stderr=sink)
        try:
            wait_for_card(url(port), process)
            yield
        finally:
            process.terminate()
            process.wait(10)


def _records(log: Path) -> list[dict[str, str]]:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line is one JSON object


async def test_logs_are_json_lines_naming_the_goal_subtask_and_worker_and_never_a_token(tmp_path: Path) -> None:
    worker_port, orch_port = free_ports(2)
    worker_log, orch_log = tmp_path / "calculator.log", tmp_path / "orchestrator.log"
    worker_env = {"SWITCHBOARD_AUTH_TOKENS": f"orchestrator:{WORKER}", "SWITCHBOARD_DATA_DIR": str(tmp_path / "w")}
    orch_env = {
        "SWITCHBOARD_AUTH_TOKENS": f"caller:{CALLER}",
        "SWITCHBOARD_AGENT_TOKENS": f"{url(worker_port)}={WORKER}",
        "SWITCHBOARD_AGENTS": url(worker_port),
        "SWITCHBOARD_DATA_DIR": str(tmp_path / "o"),
    }
    with (
        _logged(["-m", "agents.calculator", "--port", str(worker_port)], worker_port, worker_log, worker_env),
        _logged(["-m", "orchestrator_agent", "--port", str(orch_port)], orch_port, orch_log, orch_env),
    ):
        async with a2a_client(url(orch_port), headers={"Authorization": f"Bearer {CALLER}"}) as client:
            plan = plan_part({"id": "s1", "skill": "arithmetic", "brief": "What is 6 * 7?"})
            goal, _ = await send(client, user_message("go", plan))
    assert state(goal) == "completed", status_text(goal)
    orchestrator, worker = _records(orch_log), _records(worker_log)
    for record in orchestrator + worker:
        assert {"ts", "level", "logger", "msg"} <= set(record), record
    about_subtask = [r for r in orchestrator if r.get("goal_id") == goal.id and r.get("subtask_id") == "s1"]
    assert any(r.get("worker") == "calculator" for r in about_subtask), orchestrator[-20:]
    assert any("goal" in r["msg"] and r.get("goal_id") == goal.id for r in orchestrator)
    served = [r for r in worker if r.get("goal_id") == goal.id]
    assert served and all(r.get("subtask_id") == "s1" and r.get("task_id") for r in served)
    text = orch_log.read_text() + worker_log.read_text()
    assert CALLER not in text and WORKER not in text
