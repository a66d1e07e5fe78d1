"""Workers and the orchestrator on a real PostgreSQL server, over real sockets: a goal completes, is resumed by
the journal after `kill -9`, and stays readable; the ledger answers a resent message from the database."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from a2a.types import ListTasksRequest
from a2a.utils.errors import InvalidParamsError
from starlette.types import ASGIApp

from agents.host.database import open_engine
from agents.host.migrate import upgrade
from agents.registry import worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.render import manifest_of
from tests.e2e.test_restart import _history_text, _orchestrator_process, _settled, _start
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import until_async, url
from tests.support.postgres import PostgresServer
from tests.support.processes import agent_process, free_ports
from tests.support.servers import served
from tests.support.slow_worker import runs


async def _rows(database_url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()


def _calculator(database_url: str) -> Callable[[str], ASGIApp]:
    env = {"SWITCHBOARD_DATABASE_URL": database_url, "SWITCHBOARD_MIGRATE": "auto"}

    def build(base_url: str) -> ASGIApp:
        settings = load_worker_settings("calculator", env, {"public_url": base_url})
        return build_worker_app(worker_spec("calculator"), settings)

    return build


async def test_a_resent_message_is_answered_from_its_task_also_by_a_new_process(pg_url: str) -> None:
    message = user_message("What is 6 * 7?")
    async with served(_calculator(pg_url)) as worker, a2a_client(worker, streaming=False) as client:
        first, _ = await send(client, message)
        again, _ = await send(client, message)

        async def recorded() -> bool:  # the ledger writes behind the request
            return bool(
                await _rows(pg_url, f"SELECT 1 FROM switchboard_messages WHERE message_id = '{message.message_id}'")
            )

        await until_async(recorded, timeout=10)
    async with served(_calculator(pg_url)) as worker, a2a_client(worker, streaming=False) as client:
        after_restart, _ = await send(client, message)
        listed = (await client.list_tasks(ListTasksRequest())).tasks
    assert state(first) == "completed" and "42" in artifact_text(first)
    assert again.id == first.id and after_restart.id == first.id  # run once
    assert [t.id for t in listed] == [first.id]


async def test_a_goal_on_postgres_is_resumed_after_kill_9_and_stays_readable(
    tmp_path: Path, pg_url: str, postgres_server: PostgresServer
) -> None:
    worker_db = await postgres_server.create_database(f"w_{uuid.uuid4().hex[:16]}")
    engine = open_engine(pg_url)
    await upgrade(engine)  # what `switchboard db upgrade` does; the orchestrator only checks
    await engine.dispose()
    worker_port, orch_port = free_ports(2)
    worker = url(worker_port)
    slow = [
        "-m",
        "tests.support.slow_worker",
        "--port",
        str(worker_port),
        "--data-dir",
        str(tmp_path),
        "--seconds",
        "2",
    ]
    env = {"SWITCHBOARD_DATABASE_URL": pg_url}
    # a process (not in this event loop, which the orchestrator's start-up poll blocks), its tasks on PostgreSQL
    with agent_process(slow, worker_port, env={"SWITCHBOARD_DATABASE_URL": worker_db, "SWITCHBOARD_MIGRATE": "auto"}):
        with _orchestrator_process(orch_port, tmp_path, [worker], **env) as first:
            goal_id = await _start(url(orch_port), {"id": "s", "skill": "slow_work", "brief": "durable"})

            async def sent() -> bool:
                return bool(await _rows(pg_url, "SELECT 1 FROM switchboard_subtasks WHERE remote_task_id <> ''"))

            await until_async(sent, timeout=15)
            first.send_signal(signal.SIGKILL)
            first.wait(5)
        with _orchestrator_process(orch_port, tmp_path, [worker], **env):  # reads the goal the first one wrote
            final = await _settled(url(orch_port), goal_id)
            async with a2a_client(url(orch_port)) as client:
                listed = (await client.list_tasks(ListTasksRequest())).tasks
    assert state(final) == "completed", status_text(final)
    assert "Resumed after a restart" in _history_text(final) and "worked on durable" in artifact_text(final)
    assert len(runs(tmp_path)) == 1  # re-attached, not sent again
    manifest = manifest_of(final)
    assert manifest is not None and manifest["subtasks"][0]["state"] == "completed"
    assert [(t.id, state(t)) for t in listed] == [(goal_id, "completed")]
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".db")]  # nothing went to SQLite


async def test_a_context_id_longer_than_the_task_table_holds_is_refused_plainly(pg_url: str) -> None:
    async with served(_calculator(pg_url)) as worker, a2a_client(worker, streaming=False) as client:
        with pytest.raises(InvalidParamsError, match="contextId has 37 characters; the limit is 36"):
            await send(client, user_message("What is 6 * 7?", context_id="c" * 37))
        task, _ = await send(client, user_message("What is 6 * 7?", context_id="c" * 36))  # the agent goes on
    assert state(task) == "completed"
