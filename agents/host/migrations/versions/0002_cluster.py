"""Cluster mode: which replica runs each goal, and the replicas' heartbeats.

`switchboard_goals.replica_id` (empty: a single orchestrator) and `switchboard_replicas` (one row per live
replica, see `orchestrator_agent.cluster`). Each step is skipped when already done, so a database whose tables
the code created on first use upgrades too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "replica_id" not in {c["name"] for c in inspector.get_columns("switchboard_goals")}:
        op.add_column("switchboard_goals", sa.Column("replica_id", sa.String(64), nullable=False, server_default=""))
    if "switchboard_replicas" not in inspector.get_table_names():
        op.create_table(
            "switchboard_replicas",
            sa.Column("replica_id", sa.String(64), primary_key=True),
            sa.Column("url", sa.String(2048), nullable=False),
            sa.Column("heartbeat_at", sa.Float(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("switchboard_replicas")
    with op.batch_alter_table("switchboard_goals") as batch:  # SQLite cannot drop a column in place
        batch.drop_column("replica_id")
