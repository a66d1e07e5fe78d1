"""`GoalJournal`: what the orchestrator must remember to finish a goal after a restart.

The A2A task store keeps what the caller sees (status, history, artifacts). The journal keeps what only the
orchestrator knows, in the same database: each running goal's request, delegation chain and plan, and per
subtask the worker it went to, the message id it was sent with, the remote task id, and its result once it
ended. After a restart (`kill -9` included) a goal is continued from here: finished subtasks are not run
again, running ones are re-attached to their worker task, the rest are dispatched.

Write order and durability (all writes go through one `WriteQueue`, so they are applied in order):
- a new goal (`open`) is on disk before its caller hears of it: the journal, not the task store, is the goal's
  first durable record. The task store writes a running goal's task behind (`store.WriteBehindTaskStore`); a
  goal whose task a crash kept from it is restored from here at the next start (`unstored`) and resumed;
- the write-ahead of each attempt (`attempt`, before the message is sent) is awaited: after a crash the
  orchestrator knows every message it may have sent, and re-sends it with the same message id (which Switchboard
  workers answer from the task it started, see `agents.host.ledger`);
- the rest is not awaited: by queue order, the plan is on disk before any subtask is sent, so losing the last
  few ms costs a re-attach or a re-plan;
- `close` deletes a goal's rows once its final state is in the task store; rows of goals whose task is already
  terminal are also dropped at startup.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from a2a.server.agent_execution.active_task import TERMINAL_TASK_STATES
from a2a.server.models import TaskModel
from a2a.types import Message, Task, TaskState, TaskStatus
from google.protobuf.json_format import MessageToDict, ParseDict
from sqlalchemy import Column, Float, MetaData, String, Table, Text, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from agents.host.migrate import register_tables
from agents.host.sql import upsert
from agents.host.writes import Row, WriteQueue

from .models import Plan, SentAttempt, SubtaskResult

CLOSE_DELAY = 5.0

metadata = MetaData()
goals_table = Table(
    "switchboard_goals",
    metadata,
    Column("goal_id", String(64), primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("context_id", String(64), nullable=False),
    Column("request", Text, nullable=False),  # the caller's message (ProtoJSON)
    Column("depth", Float, nullable=False),
    Column("chain", Text, nullable=False),  # JSON list of orchestrator URLs
    Column("plan", Text),  # JSON, once planned
    Column("created_at", Float, nullable=False),
    Column("replica_id", String(64), nullable=False, server_default=""),  # the replica running it (cluster mode)
)
subtasks_table = Table(
    "switchboard_subtasks",
    metadata,
    Column("goal_id", String(64), primary_key=True),
    Column("subtask_id", String(64), primary_key=True),
    Column("worker_url", String(2048), nullable=False, default=""),
    Column("worker_name", String(255), nullable=False, default=""),
    Column("message_id", String(255), nullable=False, default=""),
    Column("context_id", String(255), nullable=False, default=""),
    Column("remote_task_id", String(255), nullable=False, default=""),
    Column("result", Text),  # JSON SubtaskResult, once the subtask ended
    Column("updated_at", Float, nullable=False),
)
replicas_table = Table(  # cluster mode: each live replica's heartbeat
    "switchboard_replicas",
    metadata,
    Column("replica_id", String(64), primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("heartbeat_at", Float, nullable=False),
)
register_tables(metadata)  # the host's migrations create these; its schema check knows them from here


@dataclass(frozen=True)
class SavedGoal:
    goal_id: str
    owner: str
    context_id: str
    request: Message
    depth: int
    chain: tuple[str, ...]
    plan: Plan | None
    created_at: float
    results: dict[str, SubtaskResult] = field(default_factory=dict)
    attempts: dict[str, SentAttempt] = field(default_factory=dict)


class GoalJournal:
    def __init__(self, engine: AsyncEngine, writes: WriteQueue, *, replica_id: str = "") -> None:
        self._engine = engine
        self._writes = writes
        self.replica_id = replica_id
        self._closing: list[str] = []  # closed goals whose rows are due for deletion
        self._delete_queued = False

    async def open(
        self, goal_id: str, *, owner: str, context_id: str, request: Message, depth: int, chain: tuple[str, ...]
    ) -> None:
        """Record a new goal; returns once it is on disk."""
        row = {
            "goal_id": goal_id,
            "owner": owner,
            "context_id": context_id,
            "request": json.dumps(MessageToDict(request)),
            "depth": depth,
            "chain": json.dumps(list(chain)),
            "plan": None,
            "created_at": time.time(),
            "replica_id": self.replica_id,
        }
        await self._writes.submit(Row(upsert(self._engine, goals_table, ["plan"]), row))

    def plan(self, goal_id: str, plan: Plan) -> None:
        text = plan.model_dump_json()

        async def write(conn: AsyncConnection) -> None:
            await conn.execute(goals_table.update().where(goals_table.c.goal_id == goal_id).values(plan=text))

        self._writes.submit(write)

    async def attempt(self, goal_id: str, subtask_id: str, sent: SentAttempt) -> None:
        """Write-ahead: recorded before the message is sent."""
        await self._writes.submit(self._subtask_write(goal_id, subtask_id, _attempt_row(sent)))

    def remote(self, goal_id: str, subtask_id: str, remote_task_id: str) -> None:
        self._writes.submit(self._subtask_write(goal_id, subtask_id, {"remote_task_id": remote_task_id}))

    def result(self, goal_id: str, result: SubtaskResult) -> None:
        self._writes.submit(self._subtask_write(goal_id, result.subtask_id, {"result": result.model_dump_json()}))

    def close(self, goal_id: str, *, delay: float = CLOSE_DELAY) -> None:
        """Forget a goal whose final state was just handed to the task store. The rows go `delay` seconds later,
        when that state is surely on disk; rows a crash leaves behind are dropped by the next `sweep`. Goals due
        meanwhile are deleted together, in one write."""

        def due() -> None:
            self._closing.append(goal_id)
            if not self._delete_queued:
                with contextlib.suppress(RuntimeError):  # the queue closed meanwhile (shutdown): the sweep does it
                    self._writes.submit(self._delete_closed)
                    self._delete_queued = True

        asyncio.get_running_loop().call_later(delay, due)

    async def _delete_closed(self, conn: AsyncConnection) -> None:
        ids, self._closing, self._delete_queued = self._closing, [], False
        if not ids:
            return
        try:
            await conn.execute(delete(subtasks_table).where(subtasks_table.c.goal_id.in_(ids)))
            await conn.execute(delete(goals_table).where(goals_table.c.goal_id.in_(ids)))
        except BaseException:
            self._closing[:0] = ids  # for the retry (a failed batch is retried write by write) or the next close
            raise

    async def sweep(self) -> int:
        """Drop the entries of goals whose task is already terminal (their close was lost in a crash)."""
        terminal = [TaskState.Name(s) for s in TERMINAL_TASK_STATES]
        done = select(TaskModel.id).where(TaskModel.status["state"].as_string().in_(terminal))
        async with self._engine.begin() as conn:
            ids = list(
                (await conn.execute(select(goals_table.c.goal_id).where(goals_table.c.goal_id.in_(done)))).scalars()
            )
            if ids:
                await conn.execute(delete(subtasks_table).where(subtasks_table.c.goal_id.in_(ids)))
                await conn.execute(delete(goals_table).where(goals_table.c.goal_id.in_(ids)))
        return len(ids)

    async def unstored(self) -> list[tuple[str, Task]]:
        """(owner, task) of each goal journaled but missing from the task store, which writes a running goal's task
        behind (a crash came within its delay). Each task is rebuilt as its caller first saw it, `submitted` with
        the goal's message, to be stored and resumed like any interrupted goal."""
        missing = select(goals_table).where(goals_table.c.goal_id.not_in(select(TaskModel.id)))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(missing)).mappings().all()
        restored = []
        for row in rows:
            request = ParseDict(json.loads(row["request"]), Message(), ignore_unknown_fields=True)
            task = Task(
                id=row["goal_id"],
                context_id=row["context_id"],
                status=TaskStatus(state=TaskState.TASK_STATE_SUBMITTED),
                history=[request],
            )
            restored.append((row["owner"], task))
        return restored

    async def flush(self) -> None:
        await self._writes.flush()

    async def load(self, goal_id: str) -> SavedGoal | None:
        """The goal as last recorded, or None if the journal never heard of it (or already closed it)."""
        async with self._engine.connect() as conn:
            goal = (await conn.execute(select(goals_table).where(goals_table.c.goal_id == goal_id))).mappings().first()
            if goal is None:
                return None
            rows = (
                (await conn.execute(select(subtasks_table).where(subtasks_table.c.goal_id == goal_id))).mappings().all()
            )
        request = ParseDict(json.loads(goal["request"]), Message(), ignore_unknown_fields=True)
        saved = SavedGoal(
            goal_id=goal_id,
            owner=goal["owner"],
            context_id=goal["context_id"],
            request=request,
            depth=int(goal["depth"]),
            chain=tuple(json.loads(goal["chain"])),
            plan=Plan.model_validate_json(goal["plan"]) if goal["plan"] else None,
            created_at=goal["created_at"],
        )
        for row in rows:
            if row["result"]:
                saved.results[row["subtask_id"]] = SubtaskResult.model_validate_json(row["result"])
            elif row["worker_url"]:
                saved.attempts[row["subtask_id"]] = SentAttempt(
                    worker_url=row["worker_url"],
                    worker_name=row["worker_name"],
                    message_id=row["message_id"],
                    context_id=row["context_id"],
                    remote_task_id=row["remote_task_id"],
                )
        return saved

    def _subtask_write(self, goal_id: str, subtask_id: str, values: dict[str, Any]) -> Row:
        row = {"goal_id": goal_id, "subtask_id": subtask_id, "updated_at": time.time(), **values}
        columns = [c for c in row if c not in ("goal_id", "subtask_id")]
        return Row(upsert(self._engine, subtasks_table, columns), row)


def _attempt_row(sent: SentAttempt) -> dict[str, Any]:
    return {**sent.model_dump(), "result": None}
