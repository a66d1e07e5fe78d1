"""A foreign worker built with the official JavaScript SDK (`@a2a-js/sdk` 1.x), run as a real Node.js process.

It advertises a skill none of Switchboard's workers has (`reverse_words`). The a2a-sdk client reaches it over
both bindings its card offers; the orchestrator discovers it by its card, selects it by skill from a goal in
plain words and from an explicit plan, and feeds its output to a built-in worker.
"""

from __future__ import annotations

import asyncio
import os
import sys
from asyncio.subprocess import PIPE
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from a2a.types import GetTaskRequest, Task

from orchestrator_agent.render import manifest_of
from tests.support.a2a import BINDINGS, a2a_client, artifact_text, kinds, send, state, status_text, user_message
from tests.support.foreign import NodeAgent, process
from tests.support.foreign import js_agent as js_agent  # the session fixture (installs the npm packages)
from tests.support.orchestration import orchestrator_app, plan_part, url
from tests.support.processes import ROOT, agent_process, free_ports
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)

JS_NAME = "js-word-reverser"


@pytest.fixture(scope="module")
def js_url(js_agent: NodeAgent) -> Iterator[str]:
    (port,) = free_ports(1)
    with process(js_agent.command(port), port):
        yield url(port)


@pytest.fixture(scope="module")
def writer_url() -> Iterator[str]:
    (port,) = free_ports(1)
    with agent_process(["-m", "agents.writer", "--port", str(port)], port):
        yield url(port)


def result_text(task: Task) -> str:
    result = next(a for a in task.artifacts if a.artifact_id == "result")
    return "".join(p.text for p in result.parts if p.text)


async def test_its_card_offers_both_bindings_of_protocol_1_0(js_url: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        card = (await http.get(js_url + "/.well-known/agent-card.json")).json()
    assert {(i["protocolBinding"], i["protocolVersion"]) for i in card["supportedInterfaces"]} == {
        ("JSONRPC", "1.0"),
        ("HTTP+JSON", "1.0"),
    }
    assert card["capabilities"]["streaming"] is True
    assert [s["id"] for s in card["skills"]] == ["reverse_words"]


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "blocking"])
@pytest.mark.parametrize("binding", sorted(BINDINGS))
async def test_the_a2a_sdk_client_talks_to_it(js_url: str, binding: str, streaming: bool) -> None:
    async with a2a_client(js_url, binding=binding, streaming=streaming) as client:
        task, events = await send(client, user_message("Reverse the words of: alpha beta gamma"))
        stored = await client.get_task(GetTaskRequest(id=task.id))
    assert state(task) == "completed", status_text(task)
    assert artifact_text(task) == "gamma beta alpha"
    if streaming:
        # a Task first, then its updates in order: working, the artifact, completed
        assert kinds(events) == ["task", "status_update", "artifact_update", "status_update"]
        assert [state(Task(status=e.status_update.status)) for e in events if e.HasField("status_update")] == [
            "working",
            "completed",
        ]
    else:
        assert kinds(events) == ["task"]
    assert state(stored) == "completed" and artifact_text(stored) == "gamma beta alpha"


async def switchboard_agents(orchestrator: str) -> str:
    """`switchboard agents --url ORCH` as a user runs it (async: the orchestrator is served in this loop)."""
    cli = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "orchestrator_agent.cli",
        "agents",
        "--url",
        orchestrator,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=PIPE,
        stderr=PIPE,
    )
    out, err = await asyncio.wait_for(cli.communicate(), timeout=30)
    assert cli.returncode == 0, err.decode()
    return out.decode()


async def test_the_orchestrator_lists_its_skill(tmp_path: Path, js_url: str, writer_url: str) -> None:
    async with served(orchestrator_app(tmp_path, [js_url, writer_url])) as orch, httpx.AsyncClient() as http:
        roster = (await http.get(orch + "/agents")).json()["agents"]
        listed = await switchboard_agents(orch)
    row = next(line.split() for line in listed.splitlines() if line.startswith(JS_NAME))
    assert row == [JS_NAME, js_url, "healthy", "0", "reverse_words"]
    js = next(a for a in roster if a["url"] == js_url)
    assert js["name"] == JS_NAME and js["health"] == "healthy" and js["streaming"] is True
    (skill,) = js["skills"]
    assert skill["id"] == "reverse_words" and skill["name"] == "Reverse words"
    assert "text/plain" in skill["input_modes"]


async def test_a_goal_in_plain_words_is_routed_to_it(tmp_path: Path, js_url: str, writer_url: str) -> None:
    async with served(orchestrator_app(tmp_path, [js_url, writer_url])) as orch, a2a_client(orch) as client:
        task, _ = await send(client, user_message("Reverse the words of: alpha beta gamma"))
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    (subtask,) = manifest["subtasks"]
    assert (subtask["skill"], subtask["worker"], subtask["state"]) == ("reverse_words", JS_NAME, "completed")
    assert subtask["remote_task_id"]
    assert result_text(task).strip() == "gamma beta alpha"


async def test_an_explicit_plan_naming_its_skill_runs_on_it(tmp_path: Path, js_url: str, writer_url: str) -> None:
    plan = plan_part({"id": "flip", "skill": "reverse_words", "brief": "Reverse the words of: one two three four"})
    async with served(orchestrator_app(tmp_path, [writer_url, js_url])) as orch, a2a_client(orch) as client:
        task, _ = await send(client, user_message("run my plan", plan))
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    (subtask,) = manifest["subtasks"]
    assert (subtask["id"], subtask["worker"], subtask["state"]) == ("flip", JS_NAME, "completed")
    assert "four three two one" in result_text(task)


async def test_its_output_feeds_a_built_in_worker(tmp_path: Path, js_url: str, writer_url: str) -> None:
    goal = "Reverse the words of: mat the on sat cat the, then write a short report on the result"
    async with served(orchestrator_app(tmp_path, [js_url, writer_url])) as orch, a2a_client(orch) as client:
        task, _ = await send(client, user_message(goal))
    assert state(task) == "completed", status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None
    by_id = {s["id"]: s for s in manifest["subtasks"]}
    assert (by_id["s1"]["skill"], by_id["s1"]["worker"]) == ("reverse_words", JS_NAME)
    assert (by_id["s2"]["skill"], by_id["s2"]["worker"]) == ("write_report", "writer")
    assert by_id["s2"]["depends_on"] == ["s1"]
    assert all(s["state"] == "completed" for s in by_id.values())
    # the writer's report is built from the JS agent's output, which only that agent produced
    writer_part = next(a for a in task.artifacts if a.artifact_id.startswith("s2."))
    assert "the cat sat on the mat" in "".join(p.text for p in writer_part.parts if p.text)
