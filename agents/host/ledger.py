"""`MessageLedger`: which task each message went to, so a message sent twice does not start work twice.

A2A clients resend: a timeout or a dropped connection leaves them unsure whether their message arrived, and
every message carries a `messageId` its sender creates. The ledger maps (owner, message id) to the task the
message went to; the request handler answers a resent message from that task instead of running it again.

- `claim` first: it returns the task a known message went to, or reserves the message for this request, so a
  duplicate arriving meanwhile waits for the first to `bind` its task id (or to `release` it on failure).
- Lookups hit memory first (the last `cache_size` messages), then the database, so a resend after a restart, or
  to another replica on the same database, is recognised too. With SQLite (one process per database) and at
  most `cache_size` entries on disk, `open` loads them all and the database is not asked again until the cache
  first evicts one: a new message then costs no query on the request path.
- Entries are written through a `WriteQueue` (batched, off the request path) and kept `retention` seconds.
- Message ids longer than `MAX_ID_CHARS` are not tracked (such a message is simply run).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict

from sqlalchemy import Column, Float, MetaData, String, Table, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from .sql import insert_ignoring_duplicates
from .writes import Row, WriteQueue

MAX_ID_CHARS = 255

metadata = MetaData()
messages_table = Table(
    "switchboard_messages",
    metadata,
    Column("owner", String(255), primary_key=True),
    Column("message_id", String(MAX_ID_CHARS), primary_key=True),
    Column("task_id", String(64), nullable=False),
    Column("created_at", Float, nullable=False, index=True),
)

Key = tuple[str, str]  # (owner, message id)


class MessageLedger:
    def __init__(
        self, engine: AsyncEngine, writes: WriteQueue, *, retention: float = 86_400.0, cache_size: int = 50_000
    ) -> None:
        self._engine = engine
        self._writes = writes
        self._retention = retention
        self._cache_size = cache_size
        self._known: OrderedDict[Key, str] = OrderedDict()
        self._claims: dict[Key, asyncio.Future[str | None]] = {}
        self._complete = False  # every stored entry is in `_known`: the database need not be asked

    async def open(self) -> None:
        """Drop entries older than the retention. The table is made by the migrations (`migrate`)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(messages_table).where(messages_table.c.created_at < time.time() - self._retention)
            )

    @staticmethod
    def tracks(message_id: str) -> bool:
        return 0 < len(message_id) <= MAX_ID_CHARS

    async def claim(self, owner: str, message_id: str) -> str | None:
        """The task `message_id` already went to; or None, and the message is reserved for the caller, who must
        then `bind` or `release` it."""
        key = (owner, message_id)
        while True:
            known = self._known.get(key)
            if known is not None:
                return known
            pending = self._claims.get(key)
            if pending is None:
                break
            await asyncio.shield(pending)  # the first request binds (or releases) it
        self._claims[key] = asyncio.get_running_loop().create_future()
        if self._complete:
            return None
        try:
            stored = await self._lookup(key)
        except BaseException:
            self.release(owner, message_id)
            raise
        if stored is not None:
            self._remember(key, stored)
            self._settle(key, stored)
        return stored

    def bind(self, owner: str, message_id: str, task_id: str) -> None:
        """`message_id` went to `task_id` (called as soon as the task id is known)."""
        key = (owner, message_id)
        if self._known.get(key) == task_id:
            return
        self._remember(key, task_id)
        self._settle(key, task_id)
        row = {"owner": owner, "message_id": message_id, "task_id": task_id, "created_at": time.time()}
        self._writes.submit(Row(insert_ignoring_duplicates(self._engine, messages_table), row))

    def release(self, owner: str, message_id: str) -> None:
        """The reserving request ended before any task existed: a resend may run."""
        self._settle((owner, message_id), None)

    def _remember(self, key: Key, task_id: str) -> None:
        self._known[key] = task_id
        self._known.move_to_end(key)
        while len(self._known) > self._cache_size:
            self._known.popitem(last=False)
            self._complete = False

    def _settle(self, key: Key, task_id: str | None) -> None:
        pending = self._claims.pop(key, None)
        if pending is not None and not pending.done():
            pending.set_result(task_id)

    async def _lookup(self, key: Key) -> str | None:
        query = select(messages_table.c.task_id).where(
            messages_table.c.owner == key[0], messages_table.c.message_id == key[1]
        )
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).scalar_one_or_none()
