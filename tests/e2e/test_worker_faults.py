"""Faults injected into real worker processes: HTTP 5xx, replies that are not JSON, streams that end or drop
mid-frame, workers that never answer, and a worker killed mid-stream. Each ends in its documented outcome
(docs/quirks.md) within a bound derived from the configured subtask timeout. In-process orchestrator on a real
socket, workers as real processes (`tests/support/quirky_agent.py`, `tests/support/scripted_agent.py`)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

import pytest

from orchestrator_agent.scheduler import MAX_STATUS_CHARS
from orchestrator_agent.transport import response_cap
from tests.e2e.test_quirky_agents import PLAN, agent_side, quirky, subtask_x
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, url
from tests.support.processes import agent_process, free_ports, scripted, seen
from tests.support.quirky_agent import LONG_STATUS_CHARS
from tests.support.servers import served

pytestmark = pytest.mark.timeout(60)
TIMEOUT_S = 1.5  # SWITCHBOARD_SUBTASK_TIMEOUT in these tests
RETRIES = 2  # SWITCHBOARD_RETRIES: a retryable failure is sent 1 + RETRIES times to one worker
REATTACH_S = 0.5  # SWITCHBOARD_REATTACH_WINDOW: how long a task whose stream broke is re-attached to
MAX_OUTPUT = 1_000_000  # SWITCHBOARD_MAX_OUTPUT_BYTES: no single response may exceed 2x this + 1 MB
SETTINGS = {
    "SWITCHBOARD_SUBTASK_TIMEOUT": str(TIMEOUT_S),
    "SWITCHBOARD_RETRIES": str(RETRIES),
    "SWITCHBOARD_REATTACH_WINDOW": str(REATTACH_S),
    "SWITCHBOARD_MAX_OUTPUT_BYTES": str(MAX_OUTPUT),
}
SENDS = ("SendMessage", "SendStreamingMessage")


@pytest.mark.parametrize(
    "quirk, streaming, spare, sends, reason, timeouts",
    [
        # HTTP 5xx is transient: retried on the same worker, then the next candidate (or failed)
        ("http500", True, True, 1 + RETRIES, "HTTP 500 Internal Server Error: upstream model unavailable", 0),
        ("http500", False, False, 1 + RETRIES, "HTTP 500", 0),
        # HTTP 200 with a reply that is not JSON: the worker may have taken the work, so it is not re-sent
        ("badjson", True, True, 1, "not valid JSON", 0),
        ("badjson", False, False, 1, "not valid JSON", 0),
        # no byte at all: the subtask timeout ends the attempt (no remote task id, so nothing to cancel)
        ("hang", True, True, 1, f"timed out after {TIMEOUT_S:g} s", 1),
        ("hang", False, False, 1, f"timed out after {TIMEOUT_S:g} s", 1),
        # a reply that never ends is cut at the response cap; asking again would bring the same flood
        ("flood", True, True, 1, f"is larger than {response_cap(MAX_OUTPUT)} bytes", 0),
        ("flood", False, False, 1, f"is larger than {response_cap(MAX_OUTPUT)} bytes", 0),
        # a compressed reply cannot be counted before it is inflated (this one inflates to 50 MB): refused unread
        ("gzip", True, True, 1, "is gzip-compressed, which was not asked for", 0),
        ("gzip", False, False, 1, "is gzip-compressed", 0),
        # a 100,000-character failure message is kept and relayed clipped
        ("longstatus", True, True, 1, f"{LONG_STATUS_CHARS - MAX_STATUS_CHARS + 16} more characters cut", 0),
        ("longstatus", False, False, 1, "more characters cut", 0),
    ],
)
async def test_a_faulty_worker_fails_its_attempt_and_the_next_candidate_takes_over(
    tmp_path: Path, quirk: str, streaming: bool, spare: bool, sends: int, reason: str, timeouts: int
) -> None:
    # among equally healthy, idle workers the tie breaks on URL, so the faulty one is tried first
    odd, ok = sorted(free_ports(2), key=url)
    agents = [url(odd), url(ok)] if spare else [url(odd)]
    with (
        agent_process(quirky(odd, quirk, streaming=streaming), odd),
        agent_process(scripted(ok, skill="quirk_echo", name="healthy"), ok) if spare else contextlib.nullcontext(),
    ):
        async with served(orchestrator_app(tmp_path, agents, **SETTINGS)) as orch, a2a_client(orch) as client:
            task, _ = await send(client, user_message("go", PLAN))
        side = agent_side(odd)
    attempts = subtask_x(task)["attempts"]
    waited = [a for a in attempts if "timed out" in a.get("reason", "")]
    assert len(waited) == timeouts, f"{quirk}: {len(waited)} attempts waited out the timeout, expected {timeouts}"
    first = attempts[0]
    assert (first["worker_name"], first["state"]) == (f"quirky-{quirk}", "failed"), first
    assert reason in first["reason"], first["reason"][:500]
    assert len(first["reason"]) < MAX_STATUS_CHARS + 100
    assert [c for c in side["calls"] if c in SENDS] == [SENDS[1] if streaming else SENDS[0]] * sends, side["calls"]
    assert len(set(side["messages"])) == 1, "a retry re-sends the same message (same messageId)"
    assert side["canceled"] == [], "no task the worker still runs is left behind"
    if spare:
        assert state(task) == "completed", status_text(task)
        assert "done: hi" in artifact_text(task)
        assert [(a["worker_name"], a["state"]) for a in attempts[1:]] == [("healthy", "completed")]
    else:
        assert state(task) == "failed"
        assert reason in status_text(task), status_text(task)[:500]
        assert len(status_text(task)) < 2 * MAX_STATUS_CHARS
        assert len(attempts) == 1


async def test_a_worker_killed_mid_stream_is_replaced_by_another_with_the_skill(tmp_path: Path) -> None:
    victim, spare = sorted(free_ports(2), key=url)  # the victim ranks first (URL tie-break)
    with (
        agent_process(scripted(victim, name="victim", delay=60), victim) as victim_process,
        agent_process(scripted(spare, name="spare"), spare),
    ):
        build = orchestrator_app(tmp_path, [url(victim), url(spare)], **SETTINGS)
        async with served(build) as orch, a2a_client(orch) as client:
            goal = asyncio.create_task(
                send(client, user_message("go", plan_part({"id": "x", "skill": "slow_echo", "brief": "hi"})))
            )
            await until(lambda: bool(seen(victim)))  # the victim took the task and is streaming WORKING
            victim_process.send_signal(signal.SIGKILL)
            victim_process.wait()
            task, _ = await goal
    assert state(task) == "completed", status_text(task)
    assert "done: hi" in artifact_text(task)
    # the broken stream is noticed at once (not by the subtask timeout: the reason says which); its task is
    # re-attached to for at most the re-attach window (refused: the worker is gone), then the next candidate runs it
    attempts = subtask_x(task)["attempts"]
    assert [(a["worker_name"], a["state"]) for a in attempts] == [("victim", "failed"), ("spare", "completed")]
    assert "transport error" in attempts[0]["reason"] and "timed out" not in attempts[0]["reason"], attempts[0]
