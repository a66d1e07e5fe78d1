"""The admin endpoint: adding and removing workers at run time, in process and through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, url
from tests.support.processes import ROOT, agent_process, free_ports, scripted
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)

TOKEN = "s3cret-admin"
SKILL = "haiku_echo"


async def test_the_admin_endpoint_is_disabled_without_a_token(tmp_path: Path) -> None:
    async with served(orchestrator_app(tmp_path, [])) as orch, httpx.AsyncClient(base_url=orch) as http:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        added = await http.post("/admin/agents", json={"url": "http://127.0.0.1:1"}, headers=headers)
        removed = await http.delete("/admin/agents", params={"url": "http://127.0.0.1:1"}, headers=headers)
        roster = (await http.get("/agents")).json()
    assert (added.status_code, removed.status_code) == (404, 404)
    assert "SWITCHBOARD_ADMIN_TOKEN" in added.json()["error"]
    assert roster == {"agents": []}


async def test_add_use_and_remove_a_worker_at_run_time(tmp_path: Path) -> None:
    port, other_port = free_ports(2)
    worker, other = url(port), url(other_port)
    build = orchestrator_app(tmp_path, [other], SWITCHBOARD_ADMIN_TOKEN=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}

    async def roster(http: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
        return {a["url"]: a for a in (await http.get("/agents")).json()["agents"]}

    with (
        agent_process(scripted(port, skill=SKILL, name="poet"), port),
        agent_process(scripted(other_port, skill="shout", name="other"), other_port),
    ):
        async with served(build) as orch, httpx.AsyncClient(base_url=orch) as http, a2a_client(orch) as client:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN + "x"}):
                denied = await http.post("/admin/agents", json={"url": worker}, headers=headers)
                assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
                assert (await http.delete("/admin/agents", params={"url": worker}, headers=headers)).status_code == 401

            bad_json = await http.post("/admin/agents", content=b"{not json", headers=auth)
            no_url = await http.post("/admin/agents", json={"address": worker}, headers=auth)
            not_http = await http.post("/admin/agents", json={"url": "ftp://127.0.0.1/x"}, headers=auth)
            assert [r.status_code for r in (bad_json, no_url, not_http)] == [400, 400, 400]
            assert '{"url"' in bad_json.json()["error"] and "not an http(s) URL" in not_http.json()["error"]
            assert list(await roster(http)) == [other]

            added = await http.post("/admin/agents", json={"url": worker + "/"}, headers=auth)
            assert added.status_code == 201, added.text
            assert added.json()["added"]["health"] == "healthy"
            listed = (await roster(http))[worker]
            assert (listed["url"], listed["name"], listed["health"]) == (worker, "poet", "healthy")
            assert [s["id"] for s in listed["skills"]] == [SKILL]

            task, _ = await send(client, user_message("haiku echo: the autumn moon"))
            assert state(task) == "completed", status_text(task)
            assert "the autumn moon" in artifact_text(task)

            removed = await http.delete("/admin/agents", params={"url": worker}, headers=auth)
            assert removed.status_code == 200 and removed.json() == {"removed": True, "url": worker}
            again = await http.delete("/admin/agents", params={"url": worker}, headers=auth)
            assert again.status_code == 404 and again.json()["removed"] is False
            assert list(await roster(http)) == [other]

            task, _ = await send(client, user_message("go", plan_part({"id": "a", "skill": SKILL, "brief": "moon"})))
            assert state(task) == "failed" and f"unknown skill {SKILL!r}" in status_text(task), status_text(task)


def cli(*args: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SWITCHBOARD_ADMIN_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "orchestrator_agent.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.e2e
@pytest.mark.timeout(120)  # two agents and five CLI processes, each a Python start-up: slow on a busy machine
def test_switchboard_agents_add_and_remove_through_the_cli(tmp_path: Path) -> None:
    orch_port, worker_port = free_ports(2)
    orch, worker = url(orch_port), url(worker_port)
    env = {
        "SWITCHBOARD_ADMIN_TOKEN": TOKEN,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_AGENTS": "",
        "SWITCHBOARD_PUBLIC_URL": "",
        "ANTHROPIC_API_KEY": "",
    }
    with (
        agent_process(scripted(worker_port, skill=SKILL, name="poet"), worker_port),
        agent_process(["-m", "orchestrator_agent", "--port", str(orch_port)], orch_port, env),
    ):
        denied = cli("agents", "add", worker, "--url", orch, token="wrong")
        assert denied.returncode == 1 and "HTTP 401" in denied.stderr, denied.stderr

        added = cli("agents", "add", worker, "--url", orch)
        assert added.returncode == 0, added.stderr
        assert json.loads(added.stdout)["added"]["health"] == "healthy"

        listed = cli("agents", "--url", orch)
        assert listed.returncode == 0, listed.stderr
        (row,) = listed.stdout.splitlines()[1:]
        assert row.split() == ["poet", worker, "healthy", "0", SKILL]

        removed = cli("agents", "remove", worker, "--url", orch)
        assert removed.returncode == 0, removed.stderr
        assert json.loads(removed.stdout) == {"removed": True, "url": worker}
        assert cli("agents", "--url", orch).stdout.splitlines()[1:] == []

        missing = cli("agents", "add", "--url", orch)
        assert missing.returncode == 2 and "agents add|remove needs a URL" in missing.stderr
