"""alembic environment of Switchboard's own chain, for the `alembic` command (authoring new revisions):

    SWITCHBOARD_DATABASE_URL=sqlite+aiosqlite:///dev.db \
        alembic -c agents/host/migrations/alembic.ini revision -m "..."

Agents and `switchboard db upgrade` do not come through here: `agents.host.migrate` drives both chains on
a connection of its own (under PostgreSQL's advisory lock).
"""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import create_async_engine

import orchestrator_agent.journal  # noqa: F401  (authoring migrations: its tables register themselves)
from agents.host.migrate import OWN_VERSION_TABLE, code_metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=code_metadata(), version_table=OWN_VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


async def _online(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as conn:
        await conn.run_sync(_migrate)
    await engine.dispose()


url = os.environ.get("SWITCHBOARD_DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
if not url:
    raise SystemExit("set SWITCHBOARD_DATABASE_URL to the database to compare against")
if context.is_offline_mode():
    context.configure(url=url, target_metadata=code_metadata(), version_table=OWN_VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_online(url))
