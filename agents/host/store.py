"""Store adapters that take the SDK's SQL stores off the request's critical path.

`WriteBehindTaskStore`: a task store that keeps each live task's latest state in memory and writes it to
the durable store behind the request, coalescing the many intermediate saves of one task into few writes.

Why: the SDK saves the whole task (history and artifacts included) on every event; with a SQL store that is
one round trip through SQLAlchemy and a thread hop per status or artifact update, on the request's critical
path, and it grows with the task. An orchestrator relaying dozens of subtasks spent most of its time there.

Guarantees:
- `get` always returns the latest saved state (from memory while a write is pending);
- a new task is not written at its first save: a worker task lost in its first second is sent again by the
  orchestrator, with the same message id; the orchestrator journals a goal before its caller hears of it and
  restores a lost goal task from there (`orchestrator_agent.journal`);
- `get` of a task id the process just minted (`expect_new`) answers None without asking the database;
- a task reaching a terminal or interrupted state (completed, failed, canceled, rejected, input-required,
  auth-required) is durably written before `save` returns, so what a caller is told is on disk;
- writes of one task are applied in order; intermediate states may be skipped (only the latest is written);
- a running task's latest state is on disk at most `delay` seconds after it changed (plus the write itself);
- `list` and `delete` first flush pending writes, so they see what `get` sees;
- `aclose` flushes everything. A crash can lose intermediate progress of running tasks (and a task younger than
  `delay`), never a settled state.

Writes to the durable store are bounded: at most `max_writers` at once, one for SQLite (it admits a single
writer; more only wait in its busy handler, each holding a pooled connection and its thread, and past 5 s fail
with "database is locked"). A write waiting for its turn picks up the latest state of its task when it starts.

After a burst (at least `release_after` tasks live at once) the store's going idle returns the C heap's free
pages to the OS (`release_free_memory`): the burst's task copies, JSON and protobuf buffers are freed by then,
but glibc keeps the pages mapped (measured: 20-30 MB free in the heap after 200 concurrent goals), so resident
memory would otherwise stay at the burst's high-water mark. It takes a few milliseconds, once per burst.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from a2a.server.agent_execution.active_task import TERMINAL_TASK_STATES
from a2a.server.cluster import VersionedDatabaseTaskStore
from a2a.server.cluster.task_store import ConcurrentTaskModificationError
from a2a.server.cluster.version import TaskVersion
from a2a.server.context import ServerCallContext
from a2a.server.events import Event
from a2a.server.owner_resolver import resolve_user_scope
from a2a.server.tasks import DatabaseTaskStore, PushNotificationConfigStore, TaskStore
from a2a.types import ListTasksRequest, ListTasksResponse, Task, TaskPushNotificationConfig, TaskState
from sqlalchemy import Table, inspect

from .sql import upsert, write_turn

log = logging.getLogger(__name__)

SETTLED_STATES = frozenset(
    {
        TaskState.TASK_STATE_COMPLETED,
        TaskState.TASK_STATE_FAILED,
        TaskState.TASK_STATE_CANCELED,
        TaskState.TASK_STATE_REJECTED,
        TaskState.TASK_STATE_INPUT_REQUIRED,
        TaskState.TASK_STATE_AUTH_REQUIRED,
    }
)

Key = tuple[str, str]  # (owner, task id)
FRESH_IDS = 10_000

_malloc_trim: Callable[[int], int] | None = None
_malloc_trim_loaded = False


def release_free_memory() -> bool:
    """Return the C heap's free pages to the OS (glibc `malloc_trim(0)`, all arenas); False where the C library
    has no such call (musl, macOS), where it is a no-op. Memory in use is untouched: only already-freed pages
    that glibc would otherwise keep mapped go back."""
    global _malloc_trim, _malloc_trim_loaded
    if not _malloc_trim_loaded:
        _malloc_trim_loaded = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _malloc_trim = libc.malloc_trim
            _malloc_trim.argtypes = [ctypes.c_size_t]
            _malloc_trim.restype = ctypes.c_int
        except (OSError, AttributeError):
            _malloc_trim = None
    if _malloc_trim is None:
        return False
    _malloc_trim(0)
    return True


def _is_sqlite(store: TaskStore) -> bool:
    engine = getattr(store, "engine", None)
    return getattr(getattr(engine, "dialect", None), "name", "") == "sqlite"


class WriteBehindTaskStore(TaskStore):
    def __init__(
        self,
        inner: TaskStore,
        owner_resolver: Callable[[ServerCallContext], str] = resolve_user_scope,
        *,
        delay: float = 1.0,
        max_writers: int | None = None,
        release_after: int = 64,
    ) -> None:
        self._inner = inner
        self._delay = delay
        self._write_slots = asyncio.Semaphore(max_writers or (1 if _is_sqlite(inner) else 8))
        self._release_after = release_after
        self._peak = 0  # most tasks live at once since the store was last idle after a burst
        self._owner = owner_resolver
        self._latest: dict[Key, tuple[Task, ServerCallContext]] = {}
        self._dirty: set[Key] = set()
        self._locks: dict[Key, asyncio.Lock] = {}
        self._users: dict[Key, int] = {}
        self._writers: dict[Key, asyncio.Task[None]] = {}
        self._fresh: OrderedDict[str, None] = OrderedDict()  # ids minted here, not saved yet (`expect_new`)

    def expect_new(self, task_id: str) -> None:
        """`task_id` was just minted in this process (a random UUID): until its first save, `get` answers None
        without asking the database, which the SDK does two or three times before a new task's first event.
        Only the newest `FRESH_IDS` are remembered; an older one is simply looked up."""
        self._fresh[task_id] = None
        if len(self._fresh) > FRESH_IDS:
            self._fresh.popitem(last=False)

    async def save(self, task: Task, context: ServerCallContext) -> None:
        self._fresh.pop(task.id, None)
        key = (self._owner(context), task.id)
        # kept by reference, not copied: the SDK hands over the task it goes on updating, so the reference is
        # always the latest state, and every read (get, a write's serialization) happens between awaits
        self._latest[key] = (task, context)
        self._peak = max(self._peak, len(self._latest))
        self._dirty.add(key)
        if task.status.state in SETTLED_STATES:
            await self._write(key)
        elif key not in self._writers:
            self._writers[key] = asyncio.create_task(self._write_in_background(key))

    async def get(self, task_id: str, context: ServerCallContext) -> Task | None:
        entry = self._latest.get((self._owner(context), task_id))
        if entry is None:
            return None if task_id in self._fresh else await self._inner.get(task_id, context)
        copy = Task()
        copy.CopyFrom(entry[0])
        return copy

    async def list(self, params: ListTasksRequest, context: ServerCallContext) -> ListTasksResponse:
        await self.flush()
        return await self._inner.list(params, context)

    async def delete(self, task_id: str, context: ServerCallContext) -> None:
        key = (self._owner(context), task_id)
        await self._write(key)
        self._latest.pop(key, None)
        await self._inner.delete(task_id, context)

    async def flush(self) -> None:
        """Write every pending change now."""
        for key in list(self._dirty):
            await self._write(key)

    async def aclose(self) -> None:
        writers = list(self._writers.values())
        for writer in writers:
            writer.cancel()  # their pending changes are written by the flush below
        if writers:
            await asyncio.wait(writers)
        await self.flush()

    async def _write_in_background(self, key: Key) -> None:
        try:
            await asyncio.sleep(self._delay)  # debounce: a task that settles by then is written once, settled
            await self._write(key)
        except Exception:  # the next save or flush of this task retries; the failure must not be silent
            log.exception("background write of task %s failed", key[1])
        finally:
            self._writers.pop(key, None)

    async def _write(self, key: Key) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                while key in self._dirty:
                    async with self._write_slots:
                        self._dirty.discard(key)
                        task, context = self._latest[key]  # the latest state, read once it is this write's turn
                        try:
                            await self._inner.save(task, context)
                        except BaseException:
                            self._dirty.add(key)
                            raise
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody else is writing this task: drop what is no longer needed
                del self._users[key], self._locks[key]
                entry = self._latest.get(key)
                if entry is not None and key not in self._dirty and entry[0].status.state in SETTLED_STATES:
                    del self._latest[key]  # settled and on disk
                    if not self._latest and self._peak >= self._release_after:
                        self._peak = 0  # idle after a burst: hand the burst's freed heap back, once
                        asyncio.get_running_loop().call_soon(release_free_memory)


class UpsertTaskStore(DatabaseTaskStore):
    """The SDK's SQL task store, saving with one INSERT ... ON CONFLICT DO UPDATE instead of the ORM's `merge`
    (a SELECT, then an INSERT or UPDATE, through the unit of work): the same row, in one statement. The
    profiles in bench/profiles/ showed the database path at about half of the CPU a goal costs."""

    async def save(self, task: Task, context: ServerCallContext) -> None:
        await self._ensure_initialized()
        model = self._to_orm(task, self.owner_resolver(context))
        attributes = inspect(self.task_model).column_attrs
        row = {a.columns[0].name: getattr(model, a.key) for a in attributes}
        table = self.task_model.__table__
        assert isinstance(table, Table)  # a declarative model's table
        async with write_turn(self.engine), self.engine.begin() as conn:
            await conn.execute(upsert(conn, table, [c for c in row if c != "id"]), [row])


class CachedPushConfigStore(PushNotificationConfigStore):
    """Caches the dispatch-path lookup of push configs per task.

    The SDK asks the config store on every event of every task whether a webhook is registered; with a SQL
    store that is a query per status or artifact update, on the critical path, almost always answering "none".
    This cache answers from memory for `ttl` seconds and is invalidated by every write through it. A config
    registered through another replica (cluster mode) is picked up within `ttl`. Expired entries are dropped at
    most once per `ttl`, so the cache holds only the tasks looked up in the last `ttl` or two.
    """

    def __init__(
        self, inner: PushNotificationConfigStore, *, ttl: float = 2.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._inner = inner
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, list[TaskPushNotificationConfig]]] = {}
        self._pruned = clock()

    async def set_info(
        self, task_id: str, notification_config: TaskPushNotificationConfig, context: ServerCallContext
    ) -> TaskPushNotificationConfig | None:
        self._cache.pop(task_id, None)
        return await self._inner.set_info(task_id, notification_config, context)

    async def get_info(self, task_id: str, context: ServerCallContext) -> list[TaskPushNotificationConfig]:
        return await self._inner.get_info(task_id, context)

    async def get_info_for_dispatch(self, task_id: str) -> list[TaskPushNotificationConfig]:
        now = self._clock()
        hit = self._cache.get(task_id)
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        configs = await self._inner.get_info_for_dispatch(task_id)
        if now - self._pruned >= self._ttl:  # drop expired entries (finished tasks are never asked about again)
            self._cache = {k: v for k, v in self._cache.items() if now - v[0] < self._ttl}
            self._pruned = now
        self._cache[task_id] = (now, configs)
        return configs

    async def delete_info(self, task_id: str, context: ServerCallContext, config_id: str | None = None) -> None:
        self._cache.pop(task_id, None)
        await self._inner.delete_info(task_id, context, config_id)


class SettledGuardTaskStore(VersionedDatabaseTaskStore):
    """The SDK's cluster store, with one more rule: a task settled in the database (completed, failed, rejected,
    or cancelled through another replica) is not written over.

    When another replica cancels a task, the replica running it learns of it on its next save (the version moved)
    and stops the agent; but events the agent had already queued are then saved on top of the reloaded version
    and would turn CANCELED back into working or completed. Reading the stored state first closes that: a write
    is refused as a concurrent modification when the stored task is settled, and a settle that lands between the
    read and the write moves the version, which the store's compare-and-swap refuses as well."""

    async def save(
        self,
        task: Task,
        *,
        event: Event | None = None,
        prev: Task | None = None,
        prev_version: TaskVersion,
        context: ServerCallContext,
    ) -> TaskVersion:
        if not prev_version.is_missing:
            stored = await self.get(task.id, context)
            if stored is not None and stored.task.status.state in TERMINAL_TASK_STATES:
                raise ConcurrentTaskModificationError(task.id)
        return await super().save(task, event=event, prev=prev, prev_version=prev_version, context=context)
