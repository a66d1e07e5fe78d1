"""The two SQL statements SQLite and PostgreSQL spell differently: insert-or-ignore and insert-or-update."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert


def _insert(conn: AsyncConnection, table: Table) -> postgresql.Insert | sqlite.Insert:
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"database {name!r} is not supported: use SQLite or PostgreSQL")


def insert_ignoring_duplicates(conn: AsyncConnection, table: Table) -> Insert:
    """INSERT that leaves an existing row with the same primary key as it is."""
    return _insert(conn, table).on_conflict_do_nothing()


def upsert(conn: AsyncConnection, table: Table, columns: Sequence[str]) -> Insert:
    """INSERT that, on a primary-key conflict, updates `columns` from the inserted values."""
    statement = _insert(conn, table)
    keys = [c.name for c in table.primary_key.columns]
    return statement.on_conflict_do_update(index_elements=keys, set_={c: statement.excluded[c] for c in columns})
