"""Initial schema: the SDK's base tables and Switchboard's own.

The SDK's migrations (`a2a-db`, version table `a2a_alembic_version`) alter `tasks` and
`push_notification_configs` but never create them (its stores did, on first use); so this revision creates
them, at the shape of a2a-sdk 1.3, before the SDK's chain runs (which then finds its columns present and
adds the cluster tables). Then Switchboard's tables: the message ledger, the orchestrator's journal and the
agent that owns the database.

Databases made by earlier versions (tables created on first use, no version table) upgrade in place: a table
that already exists is kept when it has every column listed here, and the revision fails, naming the table
and the missing columns, when it does not. Columns the SDK's chain adds (owner, last_updated,
protocol_version) may be missing from old SDK tables.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDED_BY_SDK_CHAIN = frozenset({"owner", "last_updated", "protocol_version"})


def _tables() -> list[tuple[str, list[sa.Column[object]], list[tuple[str, list[str]]], frozenset[str]]]:
    """(name, columns, indexes (name, columns), columns an existing table may lack)."""
    return [
        (
            "tasks",
            [
                sa.Column("id", sa.String(36), primary_key=True),
                sa.Column("context_id", sa.String(36), nullable=False),
                sa.Column("kind", sa.String(16), nullable=False),
                sa.Column("owner", sa.String(255), nullable=True),
                sa.Column("last_updated", sa.DateTime(), nullable=True),
                sa.Column("status", sa.JSON(), nullable=False),
                sa.Column("artifacts", sa.JSON(), nullable=True),
                sa.Column("history", sa.JSON(), nullable=True),
                sa.Column("protocol_version", sa.String(16), nullable=True),
                sa.Column("metadata", sa.JSON(), nullable=True),
            ],
            [("ix_tasks_id", ["id"]), ("idx_tasks_owner_last_updated", ["owner", "last_updated"])],
            ADDED_BY_SDK_CHAIN,
        ),
        (
            "push_notification_configs",
            [
                sa.Column("task_id", sa.String(36), primary_key=True),
                sa.Column("config_id", sa.String(255), primary_key=True),
                sa.Column("config_data", sa.LargeBinary(), nullable=False),
                sa.Column("owner", sa.String(255), nullable=True),
                sa.Column("protocol_version", sa.String(16), nullable=True),
            ],
            [("ix_push_notification_configs_owner", ["owner"])],
            ADDED_BY_SDK_CHAIN,
        ),
        (
            "switchboard_messages",
            [
                sa.Column("owner", sa.String(255), primary_key=True),
                sa.Column("message_id", sa.String(255), primary_key=True),
                sa.Column("task_id", sa.String(64), nullable=False),
                sa.Column("created_at", sa.Float(), nullable=False),
            ],
            [("ix_switchboard_messages_created_at", ["created_at"])],
            frozenset(),
        ),
        (
            "switchboard_goals",
            [
                sa.Column("goal_id", sa.String(64), primary_key=True),
                sa.Column("owner", sa.String(255), nullable=False),
                sa.Column("context_id", sa.String(64), nullable=False),
                sa.Column("request", sa.Text(), nullable=False),
                sa.Column("depth", sa.Float(), nullable=False),
                sa.Column("chain", sa.Text(), nullable=False),
                sa.Column("plan", sa.Text(), nullable=True),
                sa.Column("created_at", sa.Float(), nullable=False),
            ],
            [],
            frozenset(),
        ),
        (
            "switchboard_subtasks",
            [
                sa.Column("goal_id", sa.String(64), primary_key=True),
                sa.Column("subtask_id", sa.String(64), primary_key=True),
                sa.Column("worker_url", sa.String(2048), nullable=False),
                sa.Column("worker_name", sa.String(255), nullable=False),
                sa.Column("message_id", sa.String(255), nullable=False),
                sa.Column("context_id", sa.String(255), nullable=False),
                sa.Column("remote_task_id", sa.String(255), nullable=False),
                sa.Column("result", sa.Text(), nullable=True),
                sa.Column("updated_at", sa.Float(), nullable=False),
            ],
            [],
            frozenset(),
        ),
        (
            "switchboard_agent",
            [
                sa.Column("name", sa.String(255), primary_key=True),
                sa.Column("claimed_at", sa.Float(), nullable=False),
            ],
            [],
            frozenset(),
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns, indexes, optional in _tables():
        if name in existing:
            _check_shape(name, [c.name for c in columns], optional)
            continue
        op.create_table(name, *columns)
        for index, on in indexes:
            op.create_index(index, name, on)


def _check_shape(name: str, expected: list[str], optional: frozenset[str]) -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns(name)}
    missing = [c for c in expected if c not in present and c not in optional]
    if missing:
        raise RuntimeError(
            f"table {name!r} exists but lacks column(s) {', '.join(missing)}: it was not made by Switchboard "
            "(or by a version this one cannot upgrade); move it away, or use another database"
        )


def downgrade() -> None:
    for name, *_ in reversed(_tables()):
        op.drop_table(name)
