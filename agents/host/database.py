"""The database every agent's task store (and the orchestrator's journal) lives in: one engine per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


def open_engine(url: str) -> AsyncEngine:
    """An async engine for the task store. SQLite runs in WAL mode with `synchronous=NORMAL`: commits stay
    atomic and durable across process crashes (not power loss), at a fraction of the fsync cost per event.
    Other databases (PostgreSQL) get a pool of `PG_POOL_SIZE` connections plus `PG_MAX_OVERFLOW` under load, so
    six agents stay within the server's default 100 connections; a request waits `PG_POOL_TIMEOUT` s at most."""
    if not url.startswith("sqlite"):
        return create_async_engine(
            url, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW, pool_timeout=PG_POOL_TIMEOUT
        )
    db_path = url.split(":///", 1)[-1]
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


PG_POOL_SIZE = 5
PG_MAX_OVERFLOW = 10
PG_POOL_TIMEOUT = 10.0
