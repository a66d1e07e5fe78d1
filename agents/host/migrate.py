"""The schema of an agent's database, made and checked by migrations (alembic), never created ad hoc.

Two chains, each with its own version table, applied in this order:
1. Switchboard's (`agents/host/migrations`, `switchboard_alembic_version`): the SDK's base tables `tasks` and
   `push_notification_configs` (which the SDK's own migrations alter but do not create), the message ledger,
   the orchestrator's journal, and `switchboard_agent` (which agent the database belongs to);
2. the SDK's (`a2a.migrations`, what its `a2a-db` command runs; `a2a_alembic_version`): columns added since
   0.3 and the cluster tables `task_versions` / `task_events`.

- `upgrade` brings a database to head; it is idempotent, and on PostgreSQL it holds a transaction-scoped
  advisory lock, so replicas running it at once apply each revision once (the others wait, then find it done).
  On PostgreSQL the whole upgrade is one transaction (DDL is transactional there): it applies fully or not at all.
- `pending` lists what a database lacks to be at head (empty: current); `prepare` is the agent's start-up step:
  upgrade (SQLite, or `SWITCHBOARD_MIGRATE=auto`) or check, and claim the database for the agent.
- `SchemaNotCurrent` / `DatabaseInUse` say exactly what the operator must do.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Float, MetaData, String, Table, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from .errors import SwitchboardError
from .sql import insert_ignoring_duplicates

log = logging.getLogger(__name__)

OWN_VERSION_TABLE = "switchboard_alembic_version"
SDK_VERSION_TABLE = "a2a_alembic_version"
ADVISORY_LOCK_KEY = 0x5357_4244  # "SWBD": serialises concurrent upgrades of one PostgreSQL database
UPGRADE_HINT = "run `switchboard db upgrade --database-url <url>` (or start with SWITCHBOARD_MIGRATE=auto)"

agent_table = Table(
    "switchboard_agent",
    MetaData(),
    Column("name", String(255), primary_key=True),
    Column("claimed_at", Float, nullable=False),
)


class SchemaNotCurrent(SwitchboardError):
    """The database is not at head; `pending` names each chain and where it stands."""

    def __init__(self, url: str, pending: list[str]) -> None:
        super().__init__(
            f"the database {url} is not at the schema this version needs ({'; '.join(pending)}): {UPGRADE_HINT}"
        )
        self.pending = pending


class DatabaseInUse(SwitchboardError):
    """The database already belongs to another agent (each agent needs its own; replicas share one)."""

    def __init__(self, url: str, owner: str, agent: str) -> None:
        super().__init__(
            f"the database {url} belongs to agent {owner!r}, not {agent!r}: give each agent its own database "
            "(replicas of one agent share theirs)"
        )
        self.owner = owner
        self.agent = agent


@dataclass(frozen=True)
class Chain:
    name: str
    location: str
    version_table: str

    def script(self) -> ScriptDirectory:
        config = Config()
        config.set_main_option("script_location", self.location)
        return ScriptDirectory.from_config(config)


OWN_CHAIN = Chain("switchboard", str(Path(__file__).with_name("migrations")), OWN_VERSION_TABLE)
SDK_CHAIN = Chain("a2a-sdk", str(files("a2a").joinpath("migrations")), SDK_VERSION_TABLE)
CHAINS = (OWN_CHAIN, SDK_CHAIN)  # ours first: it creates the SDK's base tables, which the SDK's chain alters


_REGISTERED: list[MetaData] = []


def register_tables(metadata: MetaData) -> None:
    """Declare tables owned outside the host (the orchestrator's journal registers its own) so that
    `code_metadata` and the schema checks know them; the migrations create them."""
    if all(existing is not metadata for existing in _REGISTERED):
        _REGISTERED.append(metadata)


def code_metadata() -> MetaData:
    """Every table the code uses, as the code declares it (what the migrated schema must equal): the SDK's, the
    host's own, and those registered by their owners (`register_tables`)."""
    from a2a.server.models import Base

    from .ledger import metadata as ledger_metadata

    merged = MetaData()
    for source in (Base.metadata, ledger_metadata, agent_table.metadata, *_REGISTERED):
        for table in source.tables.values():
            table.to_metadata(merged)
    return merged


def _run_chain(conn: Connection, chain: Chain, target: str = "head") -> None:
    """Apply `chain` up to `target` on `conn`, as `alembic upgrade` would (without the chain's env.py, which
    insists on opening its own connection)."""
    script = chain.script()
    config = Config()
    config.set_main_option("script_location", chain.location)

    def step(rev: Any, _context: MigrationContext) -> Any:
        return script._upgrade_revs(target, rev)  # what alembic.command.upgrade runs

    with EnvironmentContext(config, script, fn=step, destination_rev=target) as env:
        env.configure(connection=conn, version_table=chain.version_table)
        with env.begin_transaction():
            env.run_migrations()


def _current(conn: Connection, chain: Chain) -> tuple[str, ...]:
    return MigrationContext.configure(conn, opts={"version_table": chain.version_table}).get_current_heads()


def _pending(conn: Connection) -> list[str]:
    pending = []
    for chain in CHAINS:
        heads, current = set(chain.script().get_heads()), set(_current(conn, chain))
        if heads != current:
            at = ", ".join(sorted(current)) or "nothing applied"
            pending.append(f"{chain.name} at {at}, head is {', '.join(sorted(heads))}")
    return pending


@contextmanager
def _locked(conn: Connection) -> Iterator[None]:
    if conn.dialect.name == "postgresql":  # released when the transaction ends
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    yield


def _upgrade_sync(conn: Connection) -> list[str]:
    with _locked(conn):
        before = _pending(conn)
        for chain in CHAINS:
            _run_chain(conn, chain)
    return before


async def upgrade(engine: AsyncEngine) -> list[str]:
    """Bring the database to head (idempotent, safe to run concurrently). Returns what was pending before."""
    async with engine.begin() as conn:
        return await conn.run_sync(_upgrade_sync)


async def pending(engine: AsyncEngine) -> list[str]:
    """What the database lacks to be at head, per chain; empty when it is current."""
    async with engine.connect() as conn:
        return await conn.run_sync(_pending)


async def current(engine: AsyncEngine) -> dict[str, tuple[str, ...]]:
    """The applied revision(s) of each chain (empty tuple: none)."""

    def read(conn: Connection) -> dict[str, tuple[str, ...]]:
        return {chain.name: _current(conn, chain) for chain in CHAINS}

    async with engine.connect() as conn:
        return await conn.run_sync(read)


def heads() -> dict[str, tuple[str, ...]]:
    return {chain.name: tuple(chain.script().get_heads()) for chain in CHAINS}


async def prepare(engine: AsyncEngine, agent: str, *, auto: bool, url: str) -> None:
    """The agent's start-up schema step: upgrade when `auto`, else check; then claim the database for `agent`.
    Raises SchemaNotCurrent (not at head and not `auto`) or DatabaseInUse (another agent's database)."""
    if auto:
        applied = await upgrade(engine)
        if applied:
            log.info("database upgraded: %s", "; ".join(applied))
    else:
        missing = await pending(engine)
        if missing:
            raise SchemaNotCurrent(url, missing)
    await _claim(engine, agent, url)


async def _claim(engine: AsyncEngine, agent: str, url: str) -> None:
    async with engine.begin() as conn:
        owners = list((await conn.execute(select(agent_table.c.name))).scalars())
        if not owners:
            await conn.execute(
                insert_ignoring_duplicates(conn, agent_table), [{"name": agent, "claimed_at": time.time()}]
            )
    others = [o for o in owners if o != agent]
    if others and agent not in owners:
        raise DatabaseInUse(url, others[0], agent)


class MigrationFailed(SwitchboardError):
    """`switchboard db` could not do its work; the message says why (URL, connection, a table in the way)."""


async def run_command(action: str, url: str) -> list[str]:
    """`switchboard db upgrade|current` on the database at `url`: the lines to print. Raises MigrationFailed."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from .database import open_engine

    try:
        engine = open_engine(url)
    except (ArgumentError, ImportError, ValueError, OSError) as exc:
        raise MigrationFailed(f"unusable database URL {url!r}: {exc}") from None
    shown = engine.url.render_as_string(hide_password=True)
    try:
        if action == "upgrade":
            before = await upgrade(engine)
            return [f"{shown}: upgraded ({'; '.join(before)})" if before else f"{shown}: already at head"]
        applied, latest = await current(engine), heads()
        return [
            f"{name:<12} {', '.join(revs) or '(none)'}{' (head)' if set(revs) == set(latest[name]) else ''}"
            for name, revs in applied.items()
        ]
    except (SQLAlchemyError, OSError, RuntimeError) as exc:
        raise MigrationFailed(f"{shown}: {type(exc).__name__}: {_first_line(exc)}") from None
    finally:
        await engine.dispose()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]
