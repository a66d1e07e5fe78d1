"""Goals survive restarts: of the orchestrator (graceful, SIGTERM, and `kill -9`) and of a worker.

Real processes throughout where the restart is the point. Workers are counted on their side (`/seen`, or the
slow worker's runs log), so "not re-run" is checked where the work happens."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from a2a.types import GetTaskRequest, ListTasksRequest, SendMessageConfiguration, SendMessageRequest, Task

from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, until_async, url
from tests.support.processes import agent_process, free_ports, scripted, seen
from tests.support.servers import served
from tests.support.slow_worker import runs

SETTLED = {"completed", "failed", "canceled", "rejected"}


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of another process's SQLite database, read as it is on disk (empty if it does not exist yet)."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # the table is not created yet
            return []


def _remote_recorded(data_dir: Path, subtask_id: str) -> bool:
    sql = f"SELECT remote_task_id FROM switchboard_subtasks WHERE subtask_id = '{subtask_id}'"
    return any(row[0] for row in _rows(data_dir / "orchestrator.db", sql))


def _orchestrator(port: int, data_dir: Path, agents: list[str], **env: str) -> list[str]:
    return ["-m", "orchestrator_agent", "--port", str(port), "--data-dir", str(data_dir), "--agents", ",".join(agents)]


@contextmanager
def _orchestrator_process(
    port: int, data_dir: Path, agents: list[str], **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    environment = {"SWITCHBOARD_RETRY_BACKOFF": "0.05", **env}
    with agent_process(_orchestrator(port, data_dir, agents), port, env=environment) as process:
        yield process


async def _start(orchestrator_url: str, *subtasks: dict[str, object]) -> str:
    """Send a goal with an explicit plan and return at once with its id."""
    async with a2a_client(orchestrator_url, streaming=False) as client:
        request = SendMessageRequest(
            message=user_message("go", plan_part(*subtasks)),
            configuration=SendMessageConfiguration(return_immediately=True),
        )
        (reply,) = [e async for e in client.send_message(request)]
        return reply.task.id


async def _settled(orchestrator_url: str, goal_id: str, timeout: float = 30.0) -> Task:
    async with a2a_client(orchestrator_url) as client:
        final: dict[str, Task] = {}

        async def done() -> bool:
            final["task"] = await client.get_task(GetTaskRequest(id=goal_id))
            return state(final["task"]) in SETTLED

        await until_async(done, timeout=timeout)
    return final["task"]


def _history_text(task: Task) -> str:
    return " ".join(p.text for m in task.history for p in m.parts if p.text)


PLAN = (
    {"id": "a", "skill": "quick", "brief": "first"},
    {"id": "b", "skill": "slow_echo", "brief": "second"},
    {"id": "c", "skill": "merge", "brief": "both", "depends_on": ["a", "b"]},
)


async def test_settled_goals_survive_a_restart_and_a_waiting_goal_takes_its_reply_afterwards(tmp_path: Path) -> None:
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
            current: dict[str, Task] = {}

            async def asking_again() -> bool:  # resumed: re-attached to the worker's question, asked again
                current["task"] = await client.get_task(GetTaskRequest(id=asked.id))
                return state(current["task"]) == "input_required"

            await until_async(asking_again, timeout=10)
            waiting = current["task"]
            reply = user_message("kilometres", task_id=asked.id, context_id=asked.context_id)
            after, _ = await send(client, reply)
        asker = seen(ask_port)
    assert state(finished) == "completed" and "done: kept" in artifact_text(finished)
    manifest = manifest_of(finished)
    assert manifest is not None and manifest["subtasks"][0]["worker"] == "echoer"
    assert state(waiting) == "input_required"
    # the goal was resumed from the journal: the reply reached the worker task that asked, on the same goal
    assert state(after) == "completed", status_text(after)
    assert after.id == asked.id and "kilometres" in artifact_text(after)
    assert len(asker) == 1


async def test_a_goal_killed_mid_flight_completes_after_restart_without_rerunning_finished_work(
    tmp_path: Path,
) -> None:
    quick, slow, merge, orch_port = free_ports(4)
    workers = [url(quick), url(slow), url(merge)]
    with (
        agent_process(scripted(quick, skill="quick", name="quick"), quick),
        agent_process(scripted(slow, skill="slow_echo", name="slowpoke", delay=3.0), slow),
        agent_process(scripted(merge, skill="merge", name="merger"), merge),
    ):
        with _orchestrator_process(orch_port, tmp_path, workers) as first:
            goal_id = await _start(url(orch_port), *PLAN)
            # `a` is done and `b` is running on its worker, with its remote task on disk
            await until(lambda: _remote_recorded(tmp_path, "b") and _remote_recorded(tmp_path, "a"), timeout=15)
            await until(lambda: [r["state"] for r in seen(quick).values()] == ["completed"], timeout=15)
            first.send_signal(signal.SIGKILL)
            first.wait(5)
        with _orchestrator_process(orch_port, tmp_path, workers):
            final = await _settled(url(orch_port), goal_id)
        quick_seen, slow_seen, merge_seen = seen(quick), seen(slow), seen(merge)
    assert state(final) == "completed", status_text(final)
    assert "Resumed after a restart" in _history_text(final)
    # each subtask ran exactly once: `a` was not re-run, `b` was re-attached (not sent again)
    assert [r["state"] for r in quick_seen.values()] == ["completed"]
    assert [r["state"] for r in slow_seen.values()] == ["completed"]
    assert [r["state"] for r in merge_seen.values()] == ["completed"]
    manifest = manifest_of(final)
    assert manifest is not None
    by_id = {s["id"]: s for s in manifest["subtasks"]}
    assert by_id["b"]["remote_task_id"] == next(iter(slow_seen))


async def test_a_goal_killed_before_its_task_was_stored_is_restored_from_the_journal_and_completes(
    tmp_path: Path,
) -> None:
    worker, orch_port = free_ports(2)
    db = tmp_path / "orchestrator.db"
    with agent_process(scripted(worker, skill="quick", name="quick", delay=0.5), worker):
        with _orchestrator_process(orch_port, tmp_path, [url(worker)]) as first:
            goal_id = await _start(url(orch_port), {"id": "a", "skill": "quick", "brief": "kept"})
            first.send_signal(signal.SIGKILL)  # at once: the task store writes a running goal's task 1 s behind
            first.wait(5)
        # the caller has the goal's id; only the journal has the goal
        assert _rows(db, f"SELECT id FROM tasks WHERE id = '{goal_id}'") == []
        assert _rows(db, f"SELECT owner FROM switchboard_goals WHERE goal_id = '{goal_id}'") == [("",)]
        with _orchestrator_process(orch_port, tmp_path, [url(worker)]):
            final = await _settled(url(orch_port), goal_id)
    assert state(final) == "completed", status_text(final)
    assert "done: kept" in artifact_text(final)
    assert final.history[0].parts[0].text == "go"  # the caller's message, as the task first had it


async def test_sigterm_drains_suspends_and_exits_0_then_the_goal_resumes(tmp_path: Path) -> None:
    quick, slow, merge, orch_port = free_ports(4)
    workers = [url(quick), url(slow), url(merge)]
    grace = 2.0
    with (
        agent_process(scripted(quick, skill="quick", name="quick", delay=1.0), quick),
        agent_process(scripted(slow, skill="slow_echo", name="slowpoke", delay=6.0), slow),
        agent_process(scripted(merge, skill="merge", name="merger"), merge),
    ):
        with _orchestrator_process(orch_port, tmp_path, workers, SWITCHBOARD_SHUTDOWN_GRACE=str(grace)) as first:
            goal_id = await _start(url(orch_port), *PLAN)
            await until(lambda: len(seen(quick)) == 1 and len(seen(slow)) == 1, timeout=15)
            first.send_signal(signal.SIGTERM)
            code = first.wait(grace + 10)
            # the quick subtask finished within the grace period; the slow one was left running, not canceled
            assert [r["state"] for r in seen(quick).values()] == ["completed"]
            assert [r["state"] for r in seen(slow).values()] == ["working"]
            assert seen(merge) == {}
        assert code == 0  # and it did not wait for the slow subtask (still working above) to stop
        with _orchestrator_process(orch_port, tmp_path, workers):
            final = await _settled(url(orch_port), goal_id)
        quick_seen, slow_seen = seen(quick), seen(slow)
    assert state(final) == "completed", status_text(final)
    assert len(quick_seen) == 1 and [r["state"] for r in slow_seen.values()] == ["completed"]


def _slow_worker(port: int, data_dir: Path, seconds: float) -> list[str]:
    return [
        "-m",
        "tests.support.slow_worker",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--seconds",
        str(seconds),
    ]


def _worker_task_on_disk(data_dir: Path) -> bool:
    sql = "SELECT id FROM tasks WHERE json_extract(status, '$.state') = 'TASK_STATE_WORKING'"
    return bool(_rows(data_dir / "slow.db", sql))


async def test_a_worker_restarted_with_its_store_finishes_the_task_and_the_orchestrator_reattaches(
    tmp_path: Path,
) -> None:
    (worker_port,) = free_ports(1)
    worker_dir = tmp_path / "worker"
    worker_dir.mkdir()
    build = orchestrator_app(tmp_path / "orchestrator", [url(worker_port)])
    with agent_process(_slow_worker(worker_port, worker_dir, 3.0), worker_port) as worker:
        async with served(build) as orch:
            goal_id = await _start(orch, {"id": "s", "skill": "slow_work", "brief": "resilient"})
            await until(lambda: _worker_task_on_disk(worker_dir), timeout=15)
            worker.send_signal(signal.SIGKILL)
            worker.wait(5)
            with agent_process(_slow_worker(worker_port, worker_dir, 0.2), worker_port):
                final = await _settled(orch, goal_id)
                async with a2a_client(url(worker_port)) as worker_client:
                    worker_tasks = (await worker_client.list_tasks(ListTasksRequest())).tasks
    assert state(final) == "completed", status_text(final)
    manifest = manifest_of(final)
    assert manifest is not None
    (subtask,) = manifest["subtasks"]
    # one attempt, one worker task: the orchestrator re-attached to it and the restarted worker finished it
    assert len(subtask["attempts"]) == 1 and [t.id for t in worker_tasks] == [subtask["remote_task_id"]]
    logged = runs(worker_dir)
    assert len(logged) == 2 and logged[0].split()[0] != logged[1].split()[0]  # run once by each process
    assert "worked on" in artifact_text(final)
