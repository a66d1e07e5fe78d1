"""The goal journal on a real SQLite database: what it keeps, and what closing a goal removes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from a2a.types import Message, Part, Role
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.host.database import open_engine
from agents.host.writes import WriteQueue
from orchestrator_agent.journal import GoalJournal, goals_table, metadata, subtasks_table
from orchestrator_agent.models import SentAttempt
from tests.support.orchestration import until_async


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = open_engine(f"sqlite+aiosqlite:///{tmp_path / 'journal.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def _count(engine: AsyncEngine, table: object) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def test_closed_goals_lose_their_rows_together_and_open_ones_keep_theirs(engine: AsyncEngine) -> None:
    writes = WriteQueue(engine, name="journal")
    journal = GoalJournal(engine, writes)
    request = Message(role=Role.ROLE_USER, message_id="m", parts=[Part(text="go")])
    for goal in ("g1", "g2", "g3"):
        await journal.open(goal, owner="alice", context_id="c", request=request, depth=0, chain=())
        for sub in ("a", "b"):
            await journal.attempt(
                goal, sub, SentAttempt(worker_url="u", worker_name="w", message_id="x", context_id="c")
            )
    journal.close("g1", delay=0)
    journal.close("g3", delay=0)

    async def closed() -> bool:
        await journal.flush()
        return await _count(engine, goals_table) == 1

    await until_async(closed, timeout=10)
    saved = await journal.load("g2")
    assert saved is not None and saved.owner == "alice" and set(saved.attempts) == {"a", "b"}
    assert await journal.load("g1") is None and await journal.load("g3") is None
    assert await _count(engine, subtasks_table) == 2
    await writes.aclose()
