"""The two SQL statements SQLite and PostgreSQL spell differently: insert-or-ignore and insert-or-update."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert


def _insert(conn: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    return _insert_for(conn.dialect.name, table)


def _insert_for(name: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"database {name!r} is not supported: use SQLite or PostgreSQL")


def insert_ignoring_duplicates(conn: AsyncConnection, table: Table) -> Insert:
    """INSERT that leaves an existing row with the same primary key as it is (built once, like `upsert`)."""
    return _insert_ignoring(conn.dialect.name, table)


@functools.lru_cache(maxsize=64)
def _insert_ignoring(name: str, table: Table) -> Insert:
    return _insert_for(name, table).on_conflict_do_nothing()


def upsert(conn: AsyncConnection, table: Table, columns: Sequence[str]) -> Insert:
    """INSERT that, on a primary-key conflict, updates `columns` from the inserted values. Built once per
    dialect, table and columns, then reused: building one costs more than executing it (its cache key and column
    proxies), and a statement is immutable, so sharing it is safe."""
    return _upsert(conn.dialect.name, table, tuple(columns))


@functools.lru_cache(maxsize=256)
def _upsert(name: str, table: Table, columns: tuple[str, ...]) -> Insert:
    statement = _insert_for(name, table)
    keys = [c.name for c in table.primary_key.columns]
    return statement.on_conflict_do_update(index_elements=keys, set_={c: statement.excluded[c] for c in columns})
