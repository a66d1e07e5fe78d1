"""The real network as a user runs it: every built-in worker and the orchestrator as separate processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToJson

from orchestrator_agent.cli import DEMO_GOAL
from orchestrator_agent.client import ask
from orchestrator_agent.network import LocalNetwork, free_ports
from orchestrator_agent.render import manifest_of
from tests.support.a2a import state, status_text

pytestmark = pytest.mark.timeout(90)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNetwork]:
    ports = free_ports(6)
    net = LocalNetwork(port=ports[0], worker_ports=ports[1:], data_dir=tmp_path_factory.mktemp("network"))
    with net.running(timeout=60):
        yield net


async def test_a_goal_needing_three_workers_with_a_dependency(network: LocalNetwork) -> None:
    task = await ask(network.orchestrator_url, DEMO_GOAL, token=network.token)
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    by_id = {s["id"]: s for s in manifest["subtasks"]}
    assert {s["worker"] for s in by_id.values()} == {"calculator", "librarian", "writer"}
    assert by_id["s3"]["depends_on"] == ["s1", "s2"]
    result = next(a for a in task.artifacts if a.artifact_id == "result").parts[0].text
    assert "calculator" in result and "librarian" in result  # provenance in the text
    assert "Sources" in result


async def test_no_token_appears_in_any_log_or_result(network: LocalNetwork) -> None:
    task = await ask(network.orchestrator_url, DEMO_GOAL, token=network.token)
    secrets = [network.token, *network.worker_tokens.values()]
    assert len(secrets) == 6 and all(secrets)
    logs = {p.name: p.read_text(errors="replace") for p in (network.data_dir / "logs").glob("*.log")}
    assert len(logs) == 6 and all(logs.values())  # every agent logged something, and none of it is a token
    leaked = [(name, s[:6]) for name, text in logs.items() for s in secrets if s in text]
    assert leaked == []
    assert not any(s in MessageToJson(task) for s in secrets)


async def test_one_skill_goal_takes_the_single_agent_path(network: LocalNetwork) -> None:
    task = await ask(network.orchestrator_url, "Convert 10 km to miles.", token=network.token)
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None and len(manifest["subtasks"]) == 1
    assert manifest["subtasks"][0]["worker"] == "calculator"
    result = next(a for a in task.artifacts if a.artifact_id == "result").parts[0].text
    relayed = [a for a in task.artifacts if a.artifact_id.startswith("s1.")]
    assert relayed and result.strip() == "".join(p.text for p in relayed[0].parts if p.text).strip()
    assert "6.21" in result


def _cli(*args: str, token: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrator_agent.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SWITCHBOARD_TOKEN": token},
    )


def test_cli_agents_and_ask(network: LocalNetwork) -> None:
    refused = _cli("agents", "--url", network.orchestrator_url)  # the local network is authenticated by default
    assert refused.returncode == 1 and "HTTP 401" in refused.stderr
    listed = _cli("agents", "--url", network.orchestrator_url, token=network.token)
    assert listed.returncode == 0, listed.stderr
    for name in ("calculator", "text_analyst", "data_analyst", "librarian", "writer"):
        assert name in listed.stdout
    assert "healthy" in listed.stdout
    asked = _cli("ask", "What is (17 + 25) * 3 - 2^5?", "--url", network.orchestrator_url, token=network.token)
    assert asked.returncode == 0, asked.stderr
    assert "94" in asked.stdout and "Provenance:" in asked.stdout and "plan (offline)" in asked.stdout


def test_the_readme_demo_command_runs_and_stops_everything() -> None:
    demo = subprocess.run(
        [sys.executable, "-m", "orchestrator_agent.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=80,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert "Provenance:" in demo.stdout and "completed" in demo.stdout
