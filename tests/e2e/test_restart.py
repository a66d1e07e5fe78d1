"""What survives an orchestrator restart today (full resume of running goals is issue 5's work)."""

from __future__ import annotations

from pathlib import Path

from a2a.types import GetTaskRequest

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, url
from tests.support.processes import agent_process, free_ports, scripted
from tests.support.servers import served


async def test_settled_goals_survive_a_restart_and_a_stale_reply_is_not_taken_for_a_new_goal(
    tmp_path: Path,
) -> None:
    ok_port, ask_port, orch_port = free_ports(3)
    with (
        agent_process(scripted(ok_port, skill="echo_it", name="echoer"), ok_port),
        agent_process(scripted(ask_port, skill="ask_me", name="asker", mode="ask"), ask_port),
    ):
        build = orchestrator_app(tmp_path, [url(ok_port), url(ask_port)])
        async with served(build, port=orch_port) as orch, a2a_client(orch) as client:
            done, _ = await send(
                client, user_message("go", plan_part({"id": "e", "skill": "echo_it", "brief": "kept"}))
            )
            asked, _ = await send(client, user_message("go", plan_part({"id": "q", "skill": "ask_me", "brief": "x"})))
            assert state(done) == "completed" and state(asked) == "input_required", status_text(asked)
        async with served(build, port=orch_port) as orch, a2a_client(orch) as client:
            # settled states were on disk before the caller heard of them
            finished = await client.get_task(GetTaskRequest(id=done.id))
            waiting = await client.get_task(GetTaskRequest(id=asked.id))
            reply = user_message("kilometres", task_id=asked.id, context_id=asked.context_id)
            after, _ = await send(client, reply)
    assert state(finished) == "completed" and "done: kept" in artifact_text(finished)
    manifest = manifest_of(finished)
    assert manifest is not None and manifest["subtasks"][0]["worker"] == "echoer"
    assert state(waiting) == "input_required"
    # the reply cannot resume a goal this process never ran: it fails clearly instead of starting a new goal
    assert state(after) == "failed" and "no longer running" in status_text(after)
