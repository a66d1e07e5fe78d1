"""Agents that misbehave the way real ones do: each quirk ends in its documented outcome (docs/quirks.md) within a
bound, never a crash or a hang. In-process orchestrator on a real socket, the quirky agent as a real process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, url
from tests.support.processes import agent_process, free_ports, scripted
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)
PLAN = plan_part({"id": "x", "skill": "quirk_echo", "brief": "hi"})
# Each test's own timeout (60 s) is under the default subtask timeout (120 s): an outcome these tests reach at all
# was not reached by timing out, and where a timeout is the point, the attempt's reason says so.


def quirky(port: int, quirk: str, *, streaming: bool = True) -> list[str]:
    args = ["-m", "tests.support.quirky_agent", "--port", str(port), "--quirk", quirk]
    return args if streaming else [*args, "--no-streaming"]


def agent_side(port: int) -> dict[str, Any]:
    """What the quirky agent saw: `calls`, `canceled`, `tasks` (id -> state), `versions`."""
    result: dict[str, Any] = httpx.get(f"http://127.0.0.1:{port}/seen", timeout=5).json()
    return result


def subtask_x(task: Any) -> dict[str, Any]:
    manifest = manifest_of(task)
    assert manifest is not None, "the task carries no manifest"
    (x,) = manifest["subtasks"]
    return dict(x)


@pytest.mark.parametrize(
    "quirk, streaming, expected_call",
    [
        ("nostream", True, "SendStreamingMessage"),  # a plain JSON body where SSE was due: read as the one event
        ("submitted", True, "GetTask"),  # the stream said SUBMITTED and closed: the orchestrator polls
        ("submitted", False, "GetTask"),  # the blocking send said SUBMITTED at once: the orchestrator polls
        ("truncated", True, "GetTask"),  # the stream ended mid-frame after WORKING: polled, the result recovered
        ("dropped", True, "GetTask"),  # the connection dropped after WORKING: re-attached, the result recovered
        ("message", True, "SendStreamingMessage"),  # a Message is taken as the completed answer
        ("message", False, "SendMessage"),
        ("extra", True, "SendStreamingMessage"),  # fields A2A 1.0 does not define are ignored
    ],
)
async def test_a_quirk_with_a_usable_answer_completes(
    tmp_path: Path, quirk: str, streaming: bool, expected_call: str
) -> None:
    (port,) = free_ports(1)
    with agent_process(quirky(port, quirk, streaming=streaming), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", PLAN))
        side = agent_side(port)
    assert state(task) == "completed", status_text(task)
    assert "quirk_echo: hi" in artifact_text(task)
    x = subtask_x(task)
    assert x["worker"] == f"quirky-{quirk}" and x["state"] == "completed"
    assert expected_call in side["calls"], side["calls"]
    sends = [c for c in side["calls"] if c in ("SendMessage", "SendStreamingMessage")]
    assert sends == ["SendStreamingMessage" if streaming else "SendMessage"], "the work is sent once, never re-sent"
    assert set(side["versions"]) == {"1.0"}
    if quirk in ("submitted", "truncated", "dropped"):
        assert list(side["tasks"].values()) == ["completed"]


async def test_an_agent_that_refuses_to_stream_gets_the_blocking_send(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(quirky(port, "streamless"), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            first, _ = await send(client, user_message("go", PLAN))
            second, _ = await send(client, user_message("again", PLAN))
        side = agent_side(port)
    assert [state(first), state(second)] == ["completed", "completed"], status_text(first) + status_text(second)
    assert "quirk_echo: hi" in artifact_text(second)
    # the refusal came before any event, so the one re-send is safe; the second goal does not try streaming
    assert side["calls"] == ["SendStreamingMessage", "SendMessage", "SendMessage"]


async def test_unparseable_timestamps_fail_clearly_without_a_resend(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(quirky(port, "badtime"), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", PLAN))
        side = agent_side(port)
    assert state(task) == "failed"
    (attempt,) = subtask_x(task)["attempts"]
    assert attempt["worker_name"] == "quirky-badtime" and attempt["state"] == "failed"
    assert "could not be parsed" in attempt["reason"] and "timestamp" in attempt["reason"].lower(), attempt
    assert side["calls"] == ["SendStreamingMessage"], "a reply we cannot read is not a transient error"


async def test_a_follow_up_that_opens_a_new_task_completes_from_the_new_task(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(quirky(port, "newtask"), port):
        async with served(orchestrator_app(tmp_path, [url(port)])) as orch, a2a_client(orch) as client:
            asked, _ = await send(client, user_message("go", PLAN))
            assert state(asked) == "input_required", status_text(asked)
            assert "Which unit" in status_text(asked)
            reply = user_message("kilometres", task_id=asked.id, context_id=asked.context_id)
            task, _ = await send(client, reply)
        side = agent_side(port)
    assert state(task) == "completed", status_text(task)
    assert "quirk_echo: kilometres" in artifact_text(task)
    first, second = side["tasks"].items()
    assert second[1] == "completed"
    assert side["canceled"] == [first[0]], "the abandoned task that asked is canceled"
    x = subtask_x(task)
    assert x["remote_task_id"] == second[0], "the manifest names the task that did the work"


@pytest.mark.parametrize("streaming", [True, False], ids=["stream-stays-open", "polled-forever"])
async def test_an_agent_that_never_finishes_times_out_and_is_canceled(tmp_path: Path, streaming: bool) -> None:
    (port,) = free_ports(1)
    with agent_process(quirky(port, "forever", streaming=streaming), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_SUBTASK_TIMEOUT="0.5")
        async with served(build) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", PLAN))
            await until(lambda: bool(agent_side(port)["canceled"]))
        side = agent_side(port)
    assert state(task) == "failed"
    x = subtask_x(task)
    (attempt,) = x["attempts"]
    assert "timed out" in attempt["reason"], attempt
    assert side["canceled"] == [x["remote_task_id"]]
    assert list(side["tasks"].values()) == ["canceled"]


@pytest.mark.parametrize("quirk", ["forever", "badtime"])
async def test_a_healthy_agent_with_the_same_skill_takes_over(tmp_path: Path, quirk: str) -> None:
    # among equally healthy, idle workers the tie breaks on URL, so the quirky one is tried first
    odd, ok = sorted(free_ports(2), key=url)
    with (
        agent_process(quirky(odd, quirk), odd),
        agent_process(scripted(ok, skill="quirk_echo", name="healthy"), ok),
    ):
        build = orchestrator_app(tmp_path, [url(odd), url(ok)], SWITCHBOARD_SUBTASK_TIMEOUT="0.5")
        async with served(build) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", PLAN))
    assert state(task) == "completed", status_text(task)
    assert "done: hi" in artifact_text(task)
    attempts = subtask_x(task)["attempts"]
    assert [(a["worker_name"], a["state"]) for a in attempts] == [
        (f"quirky-{quirk}", "failed"),
        ("healthy", "completed"),
    ]
