"""`WriteQueue`: small database writes batched off the request path, in order, with optional waiting.

Why: bookkeeping writes (which task a message went to, which worker runs a subtask) happen several times per
task. Written one by one, each is a transaction and a thread hop on the request's critical path. Here they are
queued and applied by one writer task, many per transaction (group commit), in submission order.

A write is a function of the connection, or a `Row` (a statement and its parameters): consecutive rows for the
same statement object in a batch go to the database as one executemany, so a fan-out's dozens of bookkeeping
rows cost one round trip instead of one each. (SQLite and asyncpg run an executemany row by row, so two rows
with the same key in one run behave as two statements would.)

Guarantees:
- writes are applied in the order they were submitted, each batch in one transaction;
- `submit` returns a future that resolves once the write is committed (await it where durability matters, e.g.
  before a side effect that must be found again after a crash); most callers do not wait;
- a batch that fails is retried write by write, so one bad write fails only its own future (and is logged);
- `flush` waits for everything submitted so far; `aclose` flushes and stops the writer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .sql import write_turn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    """One row of parameters for `statement` (build the statement once and reuse it: runs are grouped by
    identity)."""

    statement: Executable
    params: Mapping[str, Any]


Write = Callable[[AsyncConnection], Awaitable[None]] | Row


class WriteQueue:
    def __init__(self, engine: AsyncEngine, *, name: str, max_batch: int = 256) -> None:
        self._engine = engine
        self._name = name
        self._max_batch = max_batch
        self._pending: list[tuple[Write, asyncio.Future[None]]] = []
        self._wakeup = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._last: asyncio.Future[None] | None = None
        self._closed = False

    def submit(self, write: Write) -> asyncio.Future[None]:
        """Queue `write`; the returned future resolves when it is committed (or fails with its error)."""
        if self._closed:
            raise RuntimeError(f"{self._name}: the write queue is closed")
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((write, done))
        self._last = done
        self._wakeup.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._run(), name=f"{self._name}-writer")
        return done

    async def flush(self) -> None:
        """Wait until everything submitted so far is committed (failures are logged, not raised)."""
        if self._last is not None and not self._last.done():
            await asyncio.wait([self._last])

    async def aclose(self) -> None:
        await self.flush()
        self._closed = True
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.wait([self._writer])
            self._writer = None

    async def _run(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self._pending:
                batch, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
                await self._apply(batch)

    async def _apply(self, batch: list[tuple[Write, asyncio.Future[None]]]) -> None:
        try:
            async with write_turn(self._engine), self._engine.begin() as conn:
                for run in _runs([write for write, _ in batch]):
                    if isinstance(run, list):
                        await conn.execute(run[0].statement, [row.params for row in run])
                    else:
                        await run(conn)
        except Exception:
            if len(batch) > 1:  # find the culprit: the others must not be lost with it
                for one in batch:
                    await self._apply([one])
                return
            log.exception("%s: a write failed", self._name)
            _settle(batch[0][1], failed=True)
            return
        for _, done in batch:
            _settle(done)


def _runs(writes: list[Write]) -> Iterator[list[Row] | Callable[[AsyncConnection], Awaitable[None]]]:
    """The writes in order, consecutive `Row`s of one statement gathered into a list."""
    run: list[Row] = []
    for write in writes:
        if run and not (isinstance(write, Row) and write.statement is run[0].statement):
            yield run
            run = []
        if isinstance(write, Row):
            run.append(write)
        else:
            yield write
    if run:
        yield run


def _settle(done: asyncio.Future[None], *, failed: bool = False) -> None:
    if done.done():
        return
    if failed:
        done.set_exception(RuntimeError("the write failed (see the log)"))
        done.exception()  # retrieved here: a caller that does not wait must not trigger "never retrieved"
    else:
        done.set_result(None)
