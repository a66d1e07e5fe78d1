"""The two SQL statements SQLite and PostgreSQL spell differently (insert-or-ignore and insert-or-update), and
`write_turn`, which makes an agent's SQLite writers take turns."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import weakref
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.dml import Insert


def _insert_for(name: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"database {name!r} is not supported: use SQLite or PostgreSQL")


def insert_ignoring_duplicates(conn: AsyncConnection | AsyncEngine, table: Table) -> Insert:
    """INSERT that leaves an existing row with the same primary key as it is (built once, like `upsert`)."""
    return _insert_ignoring(conn.dialect.name, table)


@functools.lru_cache(maxsize=64)
def _insert_ignoring(name: str, table: Table) -> Insert:
    return _insert_for(name, table).on_conflict_do_nothing()


def upsert(conn: AsyncConnection | AsyncEngine, table: Table, columns: Sequence[str]) -> Insert:
    """INSERT that, on a primary-key conflict, updates `columns` from the inserted values. Built once per
    dialect, table and columns, then reused: building one costs more than executing it (its cache key and column
    proxies), and a statement is immutable, so sharing it is safe (and `writes.Row`s of it are grouped)."""
    return _upsert(conn.dialect.name, table, tuple(columns))


@functools.lru_cache(maxsize=256)
def _upsert(name: str, table: Table, columns: tuple[str, ...]) -> Insert:
    statement = _insert_for(name, table)
    keys = [c.name for c in table.primary_key.columns]
    return statement.on_conflict_do_update(index_elements=keys, set_={c: statement.excluded[c] for c in columns})


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, weakref.WeakKeyDictionary[Engine, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def write_turn(engine: AsyncEngine) -> contextlib.AbstractAsyncContextManager[Any]:
    """Hold it around a write transaction. SQLite admits one writer at a time, and a second connection that
    tries to write waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15 ms... between attempts: an
    agent whose task store, journal and ledger write through separate connections lost 4-10 ms per write that
    way (bench/README.md). With SQLite, the writers of one engine in one event loop therefore queue on a lock
    and never meet in the database; other databases take concurrent writers and get no lock."""
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    per_engine = _turns.setdefault(asyncio.get_running_loop(), weakref.WeakKeyDictionary())
    return per_engine.setdefault(engine.sync_engine, asyncio.Lock())
