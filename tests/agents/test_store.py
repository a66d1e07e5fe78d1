"""The write-behind task store against the SDK's real SQLite store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from a2a.server.context import ServerCallContext
from a2a.server.tasks import DatabaseTaskStore, InMemoryPushNotificationConfigStore
from a2a.types import ListTasksRequest, Task, TaskPushNotificationConfig, TaskState, TaskStatus
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from agents.host import store as store_module
from agents.host.database import open_engine
from agents.host.store import CachedPushConfigStore, UpsertTaskStore, WriteBehindTaskStore
from agents.host.writes import Row, Write, WriteQueue

CTX = ServerCallContext()


def task(state: TaskState, task_id: str = "t1") -> Task:
    return Task(id=task_id, context_id="c1", status=TaskStatus(state=state))


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'tasks.db'}")
    yield engine
    await engine.dispose()


async def test_settled_saves_are_written_before_save_returns_the_rest_behind(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    # nothing is written in the background during this test
    store = WriteBehindTaskStore(durable, delay=60.0)
    await store.save(task(TaskState.TASK_STATE_SUBMITTED), CTX)
    assert await durable.get("t1", CTX) is None  # a new task is written behind, like its progress
    await store.save(task(TaskState.TASK_STATE_WORKING), CTX)
    assert (await store.get("t1", CTX)).status.state == TaskState.TASK_STATE_WORKING  # type: ignore[union-attr]
    assert await durable.get("t1", CTX) is None  # progress is not yet on disk: off the critical path
    await store.save(task(TaskState.TASK_STATE_COMPLETED), CTX)
    on_disk = await durable.get("t1", CTX)
    assert on_disk is not None and on_disk.status.state == TaskState.TASK_STATE_COMPLETED
    assert (await store.get("t1", CTX)).status.state == TaskState.TASK_STATE_COMPLETED  # type: ignore[union-attr]
    await store.aclose()


async def test_list_and_close_flush_pending_writes(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    store = WriteBehindTaskStore(durable, delay=60.0)
    await store.save(task(TaskState.TASK_STATE_WORKING, "a"), CTX)
    listed = await store.list(ListTasksRequest(), CTX)
    assert [t.id for t in listed.tasks] == ["a"]
    await store.save(task(TaskState.TASK_STATE_WORKING, "b"), CTX)
    await store.aclose()
    reopened = DatabaseTaskStore(engine)
    assert (await reopened.get("b", CTX)) is not None


async def test_a_background_write_lands_after_the_delay(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    store = WriteBehindTaskStore(durable, delay=0.0)
    await store.save(task(TaskState.TASK_STATE_WORKING), CTX)
    await store.aclose()  # waits for (or replaces) the background writer
    on_disk = await durable.get("t1", CTX)
    assert on_disk is not None and on_disk.status.state == TaskState.TASK_STATE_WORKING


async def test_owners_do_not_see_each_others_tasks(engine: AsyncEngine) -> None:
    def who(context: ServerCallContext) -> str:
        return str(context.state.get("who", ""))

    store = WriteBehindTaskStore(DatabaseTaskStore(engine, owner_resolver=who), owner_resolver=who)
    alice, bob = ServerCallContext(state={"who": "alice"}), ServerCallContext(state={"who": "bob"})
    await store.save(task(TaskState.TASK_STATE_WORKING), alice)
    assert await store.get("t1", bob) is None
    assert await store.get("t1", alice) is not None
    await store.aclose()


async def test_push_config_lookups_are_cached_and_invalidated_by_writes() -> None:
    inner = InMemoryPushNotificationConfigStore()
    store = CachedPushConfigStore(inner, ttl=60.0)
    assert await store.get_info_for_dispatch("t1") == []
    config = TaskPushNotificationConfig(id="p1", task_id="t1", url="http://127.0.0.1:9/hook")
    await store.set_info("t1", config, CTX)
    assert [c.id for c in await store.get_info_for_dispatch("t1")] == ["p1"]
    await store.delete_info("t1", CTX, "p1")
    assert await store.get_info_for_dispatch("t1") == []


async def test_expired_push_config_lookups_are_dropped() -> None:
    now = [0.0]
    store = CachedPushConfigStore(InMemoryPushNotificationConfigStore(), ttl=2.0, clock=lambda: now[0])
    for i in range(50):
        await store.get_info_for_dispatch(f"t{i}")
    now[0] = 2.5  # a ttl later
    await store.get_info_for_dispatch("last")
    assert list(store._cache) == ["last"]  # finished tasks' entries do not pile up


async def test_sqlite_writes_go_one_at_a_time_and_write_the_latest_state(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    running = peak = 0
    inner_save = durable.save

    async def counting_save(t: Task, context: ServerCallContext) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            await inner_save(t, context)
        finally:
            running -= 1

    durable.save = counting_save  # type: ignore[method-assign]
    store = WriteBehindTaskStore(durable, delay=60.0)
    await asyncio.gather(*(store.save(task(TaskState.TASK_STATE_COMPLETED, f"t{i}"), CTX) for i in range(20)))
    assert peak == 1  # SQLite admits one writer: more would only contend for its lock
    assert all([await durable.get(f"t{i}", CTX) for i in range(20)])
    await store.aclose()


async def test_the_heap_is_released_once_when_the_store_goes_idle_after_a_burst(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    releases: list[bool] = []
    monkeypatch.setattr(store_module, "release_free_memory", lambda: releases.append(True))
    store = WriteBehindTaskStore(DatabaseTaskStore(engine), delay=60.0, release_after=5)
    await store.save(task(TaskState.TASK_STATE_WORKING, "light"), CTX)
    await store.save(task(TaskState.TASK_STATE_COMPLETED, "light"), CTX)
    await asyncio.sleep(0)
    assert releases == []  # light traffic never triggers it
    for i in range(5):
        await store.save(task(TaskState.TASK_STATE_WORKING, f"t{i}"), CTX)
    for i in range(5):
        await store.save(task(TaskState.TASK_STATE_COMPLETED, f"t{i}"), CTX)
    await asyncio.sleep(0)
    assert releases == [True]  # once, when the last live task settled
    await store.save(task(TaskState.TASK_STATE_COMPLETED, "after"), CTX)
    await asyncio.sleep(0)
    assert releases == [True]
    await store.aclose()


def test_release_free_memory_is_safe_to_call() -> None:
    assert store_module.release_free_memory() in (True, False)  # False off glibc, where it does nothing


async def test_writers_of_one_sqlite_engine_take_turns_instead_of_meeting_the_lock(tmp_path: Path) -> None:
    """With SQLite's busy handler off (timeout 0), a write that meets another connection's open write fails at
    once with "database is locked"; the task store and a write queue on one engine must never meet."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}", connect_args={"timeout": 0})
    notes = Table("notes", MetaData(), Column("id", Integer, primary_key=True), Column("text", String))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("PRAGMA journal_mode=WAL"))
            await conn.run_sync(notes.metadata.create_all)
        tasks = UpsertTaskStore(engine)
        await tasks.save(task(TaskState.TASK_STATE_WORKING, "warm"), CTX)  # creates its table
        queue = WriteQueue(engine, name="notes", max_batch=2)

        def note(i: int) -> Write:
            async def write(conn: AsyncConnection) -> None:
                await conn.execute(notes.insert().values(id=i, text="x" * 1000))

            return write

        saves = [tasks.save(task(TaskState.TASK_STATE_WORKING, f"t{i}"), CTX) for i in range(40)]
        written = [queue.submit(note(i)) for i in range(40)]
        await asyncio.gather(*saves, *written)
        await queue.aclose()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM notes"))).scalar() == 40
        assert all([await tasks.get(f"t{i}", CTX) for i in range(40)])
    finally:
        await engine.dispose()


async def test_a_task_id_minted_here_is_not_looked_up_until_its_first_save(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    await durable.save(task(TaskState.TASK_STATE_COMPLETED, "minted"), CTX)  # what a lookup would find
    store = WriteBehindTaskStore(durable, delay=60.0)
    store.expect_new("minted")
    assert await store.get("minted", CTX) is None  # answered without the database
    await store.save(task(TaskState.TASK_STATE_WORKING, "minted"), CTX)
    assert (await store.get("minted", CTX)).status.state == TaskState.TASK_STATE_WORKING  # type: ignore[union-attr]
    for i in range(store_module.FRESH_IDS + 1):  # only the newest are remembered: the oldest is looked up again
        store.expect_new(f"id-{i}")
    await durable.save(task(TaskState.TASK_STATE_COMPLETED, "id-0"), CTX)
    assert await store.get("id-0", CTX) is not None
    assert await store.get(f"id-{store_module.FRESH_IDS}", CTX) is None


async def test_rows_of_one_statement_in_a_batch_go_as_one_executemany_in_order(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'rows.db'}")
    notes = Table("notes", MetaData(), Column("id", Integer, primary_key=True), Column("text", String))
    statements: list[tuple[str, bool]] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def seen(_conn: Any, _cursor: Any, sql: str, _params: Any, _context: Any, executemany: bool) -> None:
        statements.append((sql.split()[0], executemany))

    try:
        async with engine.begin() as conn:
            await conn.run_sync(notes.metadata.create_all)
        queue = WriteQueue(engine, name="notes")
        insert, update = notes.insert(), notes.update().where(notes.c.id == bindparam("key")).values(text="b")

        async def wipe(conn: AsyncConnection) -> None:
            await conn.execute(notes.delete().where(notes.c.id == 0))

        writes: list[Write] = [Row(insert, {"id": i, "text": "a"}) for i in range(20)]
        writes += [wipe, Row(update, {"key": 1}), Row(update, {"key": 2}), Row(insert, {"id": 0, "text": "c"})]
        statements.clear()
        await asyncio.gather(*(queue.submit(w) for w in writes))  # submitted together: one batch
        await queue.aclose()
        async with engine.connect() as conn:
            rows = dict((await conn.execute(select(notes.c.id, notes.c.text))).all())
    finally:
        await engine.dispose()
    assert [s for s in statements if s[0] in ("INSERT", "DELETE", "UPDATE")] == [
        ("INSERT", True),  # the 20 rows at once
        ("DELETE", False),
        ("UPDATE", True),
        ("INSERT", False),  # after the delete: order kept
    ]
    assert rows == {0: "c", 1: "b", 2: "b", **{i: "a" for i in range(3, 20)}}
