"""Cluster mode: several orchestrator replicas share one database, and a goal outlives the replica running it.

The SDK's cluster mode (`VersionedDatabaseTaskStore` + `DatabaseTaskEventStream`, wired in
`agents.host.serving`) lets any replica answer GetTask, SubscribeToTask and CancelTask for a goal running on
another. What it does not do is move the work: a goal runs on the replica that received it. `Membership` does:

- every replica records a heartbeat in `switchboard_replicas` every `lease / 3` seconds, and each journaled goal
  names the replica running it (`switchboard_goals.replica_id`);
- a goal whose replica has no heartbeat younger than `lease` (killed, partitioned, or stopped: a replica that
  shuts down removes its heartbeat so its suspended goals move at once) is claimed by another replica with a
  conditional update, so exactly one replica wins it, and resumed there from the journal as after a restart
  (finished subtasks kept, running ones re-attached, the rest dispatched);
- a replica started with the id it had before (`SWITCHBOARD_REPLICA_ID`, e.g. a StatefulSet pod name) takes its
  own goals back at once.

Heartbeats use each replica's wall clock: replicas' clocks must agree to well within the lease (NTP).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Collection

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from agents.host.sql import upsert

from .journal import goals_table, replicas_table

log = logging.getLogger(__name__)

Resume = Callable[[Collection[str]], Awaitable[int]]  # resume these goal ids here; returns how many resumed


def new_replica_id() -> str:
    return f"replica-{uuid.uuid4().hex[:12]}"


class Membership:
    def __init__(self, engine: AsyncEngine, *, replica_id: str, url: str, lease: float, resume: Resume) -> None:
        self.replica_id = replica_id
        self._engine = engine
        self._url = url
        self._lease = lease
        self._resume = resume

    async def run(self) -> None:
        """Heartbeat and take over orphaned goals until cancelled; a database error is logged and retried. The
        first round also takes back this replica's own goals from before a restart under the same id."""
        first = True
        while True:
            try:
                await self.beat()
                await self.take_over(include_own=first)
                first = False
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("cluster: heartbeat or takeover failed; retrying")
            await asyncio.sleep(self._lease / 3)  # ok-sleep: the heartbeat period

    async def beat(self) -> None:
        row = {"replica_id": self.replica_id, "url": self._url, "heartbeat_at": time.time()}
        async with self._engine.begin() as conn:
            await conn.execute(upsert(conn, replicas_table, ["url", "heartbeat_at"]), [row])

    async def take_over(self, *, include_own: bool = False) -> list[str]:
        """Claim every goal whose replica is gone (and, with `include_own`, those journaled under this replica's
        id by an earlier process), resume the claimed ones here, and return their ids."""
        alive = select(replicas_table.c.replica_id).where(replicas_table.c.heartbeat_at > time.time() - self._lease)
        gone = goals_table.c.replica_id.not_in(alive)
        whose = or_(gone, goals_table.c.replica_id == self.replica_id) if include_own else gone
        claimed: list[str] = []
        async with self._engine.begin() as conn:
            for goal_id, previous in (
                await conn.execute(select(goals_table.c.goal_id, goals_table.c.replica_id).where(whose))
            ).all():
                won = await conn.execute(
                    update(goals_table)
                    .where(goals_table.c.goal_id == goal_id, goals_table.c.replica_id == previous)
                    .values(replica_id=self.replica_id)
                )
                if won.rowcount == 1:
                    claimed.append(goal_id)
        if claimed:
            resumed = await self._resume(claimed)
            log.info("cluster: took over %d goal(s) from stopped replicas, resumed %d", len(claimed), resumed)
        return claimed

    async def leave(self) -> None:
        """Remove this replica's heartbeat, so the goals it suspended move to another replica at once."""
        try:
            async with self._engine.begin() as conn:
                await conn.execute(delete(replicas_table).where(replicas_table.c.replica_id == self.replica_id))
        except Exception:
            log.warning("cluster: could not remove this replica's heartbeat; its goals move after the lease")
