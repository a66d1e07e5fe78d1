"""Protocol 0.3 in both directions, with the REAL a2a-sdk 0.3 (its own venv, see `tests/support/v03.py`):

- callers: with SWITCHBOARD_PROTOCOL_V03=true a worker and the orchestrator serve 0.3 beside 1.0, and the 0.3
  client parses their cards and gets blocking and streaming sends and `get_task` answered on both bindings;
- workers: an agent built with the 0.3 server API is discovered by the orchestrator (its 1.x client goes
  through the SDK's compat transport) and completes goals, from an explicit plan and from natural language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from agents.registry import worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, url
from tests.support.processes import free_ports
from tests.support.servers import served
from tests.support.v03 import ensure_v03_python, run_v03, v03_agent

# the first run installs the 0.3 venv (about 20 s) inside the first test that needs it
pytestmark = pytest.mark.timeout(180)

CARD = "/.well-known/agent-card.json"
GOAL = "What is (17 + 25) * 3?"


@pytest.fixture(scope="session")
def v03_python() -> Path:
    return ensure_v03_python()


def calculator(data_dir: Path, **env: str) -> Callable[[str], ASGIApp]:
    def build(base: str) -> ASGIApp:
        settings = load_worker_settings("calculator", env, {"public_url": base, "data_dir": str(data_dir)})
        return build_worker_app(worker_spec("calculator"), settings)

    return build


async def _v03_client(python: Path, base: str, text: str) -> Any:
    # a subprocess that calls back into servers running on this event loop: keep the loop free
    return await asyncio.to_thread(run_v03, python, "v03_client.py", base, text)


def _check_runs(report: Any, expected: str) -> None:
    runs = report["runs"]
    assert [(r["binding"], r["streaming"]) for r in runs] == [
        ("JSONRPC", False),
        ("JSONRPC", True),
        ("HTTP+JSON", False),
        ("HTTP+JSON", True),
    ]
    for run in runs:
        assert run["state"] == "completed" and run["get_task_state"] == "completed", run
        assert expected in run["artifact"] and expected in run["get_task_artifact"], run
        assert run["get_task_history_roles"][0] == "user", run
        if run["streaming"]:
            assert run["events"][0] == "task" and run["events"][-1] == "status-update", run
            assert "artifact-update" in run["events"], run


async def test_a_v03_client_uses_a_worker_and_the_orchestrator_when_v03_is_enabled(
    v03_python: Path, tmp_path: Path
) -> None:
    async with (
        served(calculator(tmp_path, SWITCHBOARD_PROTOCOL_V03="true")) as worker,
        served(orchestrator_app(tmp_path, [worker], SWITCHBOARD_PROTOCOL_V03="true")) as orch,
    ):
        for base, name in ((worker, "calculator"), (orch, "orchestrator")):
            report = await _v03_client(v03_python, base, GOAL)
            assert report["card"]["name"] == name
            assert report["card"]["protocol_version"] == "0.3"
            assert report["card"]["url"] == base + "/a2a/jsonrpc"
            assert report["card"]["transports"] == ["HTTP+JSON", "JSONRPC"]
            _check_runs(report, "126")
        # known SDK deviation (docs/conformance.md): the 0.3 adapter answers invalid params with -32600
        async with httpx.AsyncClient() as http:
            bad = {"jsonrpc": "2.0", "id": 1, "method": "message/send", "params": {"message": {"role": "user"}}}
            assert (await http.post(worker + "/a2a/jsonrpc", json=bad)).json()["error"]["code"] == -32600
        # 1.0 callers are unaffected: the 1.0 interfaces come first and 1.0 requests still work
        async with a2a_client(orch, binding="rest") as client:
            task, _ = await send(client, user_message(GOAL))
        assert state(task) == "completed" and "126" in artifact_text(task)


async def test_without_the_setting_no_v03_is_advertised_or_served(tmp_path: Path) -> None:
    async with served(calculator(tmp_path)) as worker, httpx.AsyncClient() as http:
        card = (await http.get(worker + CARD)).json()
        legacy = await http.post(
            worker + "/a2a/jsonrpc",
            json={"jsonrpc": "2.0", "id": 1, "method": "message/send", "params": {}},
        )
        legacy_rest = await http.post(worker + "/a2a/rest/v1/message:send", json={})
    assert {i["protocolVersion"] for i in card["supportedInterfaces"]} == {"1.0"}
    assert "url" not in card and "preferredTransport" not in card
    assert legacy.json()["error"]["code"] == -32601  # method not found: 0.3 names are not served
    assert legacy_rest.status_code == 404


async def test_the_orchestrator_completes_goals_through_a_v03_worker(v03_python: Path, tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with v03_agent(v03_python, port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch:
            async with httpx.AsyncClient() as http:
                roster = (await http.get(orch + "/agents")).json()["agents"]
            (worker,) = roster
            assert worker["has_card"] and worker["health"] != "unhealthy", worker
            assert [s["id"] for s in worker["skills"]] == ["rot13"]
            async with a2a_client(orch) as client:
                planned, _ = await send(
                    client,
                    user_message("go", plan_part({"id": "c", "skill": "rot13", "brief": "Encode 'attack at dawn'."})),
                )
                natural, _ = await send(client, user_message("Encode the phrase 'meet me at noon' with ROT13."))
    for task, expected in ((planned, "nggnpx ng qnja"), (natural, "zrrg zr ng abba")):
        assert state(task) == "completed", status_text(task)
        assert expected in artifact_text(task)
        manifest = manifest_of(task)
        assert manifest is not None
        (subtask,) = manifest["subtasks"]
        assert subtask["skill"] == "rot13" and subtask["state"] == "completed"
        assert subtask["worker_url"] == url(port)
