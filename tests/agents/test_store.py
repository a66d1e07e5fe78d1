"""The write-behind task store against the SDK's real SQLite store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from a2a.server.context import ServerCallContext
from a2a.server.tasks import DatabaseTaskStore, InMemoryPushNotificationConfigStore
from a2a.types import ListTasksRequest, Task, TaskPushNotificationConfig, TaskState, TaskStatus
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.runtime.serving import open_engine
from agents.runtime.store import CachedPushConfigStore, WriteBehindTaskStore

CTX = ServerCallContext()


def task(state: TaskState, task_id: str = "t1") -> Task:
    return Task(id=task_id, context_id="c1", status=TaskStatus(state=state))


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'tasks.db'}")
    yield engine
    await engine.dispose()


async def test_working_states_are_written_behind_and_settled_ones_before_save_returns(engine: AsyncEngine) -> None:
    durable = DatabaseTaskStore(engine)
    store = WriteBehindTaskStore(durable, delay=60.0)  # nothing is written in the background during this test
    await store.save(task(TaskState.TASK_STATE_SUBMITTED), CTX)
    await store.save(task(TaskState.TASK_STATE_WORKING), CTX)
    assert (await store.get("t1", CTX)).status.state == TaskState.TASK_STATE_WORKING  # type: ignore[union-attr]
    assert await durable.get("t1", CTX) is None  # not yet on disk: off the critical path
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
    store = WriteBehindTaskStore(DatabaseTaskStore(engine), owner_resolver=lambda c: str(c.state.get("who", "")))
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
