"""The schema comes from migrations: exactly what the code declares, on SQLite and on a real PostgreSQL; old
databases (tables made on first use) upgrade in place; `switchboard db` is idempotent and safe to run twice at
once; an agent refuses an un-migrated PostgreSQL database, or another agent's, with an error naming the fix."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Connection, Float, MetaData, String, Table, Text, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

import orchestrator_agent.journal  # noqa: F401  (its tables register themselves with the migration runner)
from agents.host.database import open_engine
from agents.host.errors import ConfigurationError
from agents.host.migrate import (
    OWN_VERSION_TABLE,
    SDK_VERSION_TABLE,
    DatabaseInUse,
    SchemaNotCurrent,
    code_metadata,
    current,
    heads,
    pending,
    prepare,
    upgrade,
)
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.cli import main as switchboard
from tests.support.postgres import PostgresServer
from tests.support.processes import ROOT

VERSION_TABLES = {OWN_VERSION_TABLE, SDK_VERSION_TABLE}


def _differences(conn: Connection) -> list[object]:
    diff = compare_metadata(MigrationContext.configure(conn), code_metadata())
    return [d for d in diff if not (d[0] == "remove_table" and d[1].name in VERSION_TABLES)]


@pytest.fixture(params=["sqlite", "postgresql"])
async def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return await server.create_database(f"t_{uuid.uuid4().hex[:16]}")


async def test_migrations_make_exactly_the_schema_the_code_declares(any_url: str) -> None:
    engine = open_engine(any_url)
    try:
        assert len(await pending(engine)) == 2  # both chains, nothing applied
        await upgrade(engine)
        assert await pending(engine) == [] and await current(engine) == heads()
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await engine.dispose()


def _released_tables(metadata: MetaData) -> None:
    """The project's tables exactly as the previous release created them on first use (before cluster mode)."""
    Table(
        "switchboard_messages",
        metadata,
        Column("owner", String(255), primary_key=True),
        Column("message_id", String(255), primary_key=True),
        Column("task_id", String(64), nullable=False),
        Column("created_at", Float, nullable=False, index=True),
    )
    Table(
        "switchboard_goals",
        metadata,
        Column("goal_id", String(64), primary_key=True),
        Column("owner", String(255), nullable=False),
        Column("context_id", String(64), nullable=False),
        Column("request", Text, nullable=False),
        Column("depth", Float, nullable=False),
        Column("chain", Text, nullable=False),
        Column("plan", Text),
        Column("created_at", Float, nullable=False),
    )
    Table(
        "switchboard_subtasks",
        metadata,
        Column("goal_id", String(64), primary_key=True),
        Column("subtask_id", String(64), primary_key=True),
        *(Column(c, String(2048 if c == "worker_url" else 255), nullable=False) for c in SUBTASK_STRINGS),
        Column("result", Text),
        Column("updated_at", Float, nullable=False),
    )


SUBTASK_STRINGS = ("worker_url", "worker_name", "message_id", "context_id", "remote_task_id")
OLD_GOAL = "INSERT INTO switchboard_goals VALUES ('g1', 'al', 'c', '{}', 0, '[]', NULL, 0)"


async def test_a_database_made_on_first_use_by_the_last_release_upgrades_in_place(tmp_path: Path) -> None:
    from a2a.server.models import PushNotificationConfigModel, TaskModel

    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'orchestrator.db'}")
    old = MetaData()
    _released_tables(old)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(
                TaskModel.metadata.create_all, tables=[TaskModel.__table__, PushNotificationConfigModel.__table__]
            )
            await conn.run_sync(old.create_all)
            await conn.execute(text(OLD_GOAL))
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            rows = (await conn.execute(text("SELECT goal_id, replica_id FROM switchboard_goals"))).all()
        assert [tuple(r) for r in rows] == [("g1", "")]  # kept, and the column added since has its default
        assert await pending(engine) == []
    finally:
        await engine.dispose()


async def test_a_table_in_the_way_fails_the_upgrade_naming_it_and_changes_nothing(pg_url: str) -> None:
    engine = open_engine(pg_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE switchboard_messages (id integer PRIMARY KEY)"))
        with pytest.raises(RuntimeError, match=r"switchboard_messages.*lacks column"):
            await upgrade(engine)
        async with engine.connect() as conn:  # one transaction on PostgreSQL: nothing else was created
            names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert names == ["switchboard_messages"]
    finally:
        await engine.dispose()


def _db(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`switchboard db ...` in this process (the CLI's own code; a subprocess would cost seconds of imports)."""
    code = switchboard(["db", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_db_upgrade_run_twice_at_once_then_again_is_a_no_op(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    codes: list[int] = []
    replicas = [  # two replicas deploying at once: each `asyncio.run`s on its own thread and connection
        threading.Thread(target=lambda: codes.append(switchboard(["db", "upgrade", "--database-url", pg_url])))
        for _ in range(2)
    ]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(30)
    out, err = capsys.readouterr()
    assert codes == [0, 0], err
    assert out.count("already at head") == 1 and out.count("upgraded") == 1  # one did it, once
    code, out, _ = _db(capsys, "upgrade", "--database-url", pg_url)
    assert code == 0 and "already at head" in out
    code, out, _ = _db(capsys, "current", "--database-url", pg_url)
    assert code == 0 and out.count("(head)") == 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "unusable database URL"),
        ("mysql+aiomysql://u@127.0.0.1/x", "No module named 'aiomysql'"),
        ("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere", "ConnectionRefusedError"),
    ],
)
def test_db_with_a_bad_url_says_why(url: str, reason: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _db(capsys, "upgrade", "--database-url", url)
    assert code == 1 and reason in err, err


def test_db_without_a_url_says_how_to_give_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SWITCHBOARD_DATABASE_URL", raising=False)
    code, _, err = _db(capsys, "current")
    assert code == 2 and "--database-url" in err


def test_an_agent_on_an_unmigrated_postgres_database_exits_telling_to_run_db_upgrade(pg_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SWITCHBOARD_DATABASE_URL": pg_url, "SWITCHBOARD_PORT": "0"}
    env.pop("SWITCHBOARD_MIGRATE", None)
    done = subprocess.run(
        [sys.executable, "-m", "agents.calculator"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode != 0
    assert "is not at the schema this version needs" in done.stderr and "switchboard db upgrade" in done.stderr


async def _prepared(engine: AsyncEngine, agent: str, *, auto: bool) -> None:
    await prepare(engine, agent, auto=auto, url="db")


async def test_start_up_checks_or_upgrades_and_one_database_serves_one_agent(pg_url: str) -> None:
    engine = open_engine(pg_url)
    try:
        with pytest.raises(SchemaNotCurrent, match="switchboard db upgrade"):
            await _prepared(engine, "calculator", auto=False)
        await _prepared(engine, "calculator", auto=True)  # SWITCHBOARD_MIGRATE=auto
        await _prepared(engine, "calculator", auto=False)  # a replica, or the next start
        with pytest.raises(DatabaseInUse, match="belongs to agent 'calculator', not 'writer'"):
            await _prepared(engine, "writer", auto=False)
        await _prepared(engine, "calculator", auto=False)  # the refused agent left no trace
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("value", "at_start"), [("", None), ("auto", True), ("check", False)])
def test_the_migrate_setting(value: str, at_start: bool | None) -> None:
    settings = load_worker_settings("calculator", {"SWITCHBOARD_MIGRATE": value})
    assert settings.server.migrate_at_start() is at_start


def test_a_bad_migrate_setting_is_named_at_start() -> None:
    with pytest.raises(ConfigurationError, match="SWITCHBOARD_MIGRATE: Input should be 'auto' or 'check'"):
        load_worker_settings("calculator", {"SWITCHBOARD_MIGRATE": "yes"})
