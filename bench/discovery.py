"""Discovery figures: 100 agent cards (one `bench.cards` process serving 100 ports) discovered and ranked by the
orchestrator's `Directory`, and what one dead host (a port that never answers the TCP handshake) adds."""

from __future__ import annotations

import time
from typing import Any

import httpx

from bench.cards import dead_host
from bench.common import row
from orchestrator_agent.directory import Directory
from orchestrator_agent.selection import rank
from tests.support.processes import agent_process, free_ports

CARDS = 100
CARD_TIMEOUT = 1.0  # the directory's per-card timeout in this benchmark (the orchestrator's default is 3 s)


async def discover(urls: list[str]) -> tuple[float, int, int]:
    """Seconds to discover `urls` and rank every worker for one skill; (seconds, cards found, candidates)."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(10, connect=CARD_TIMEOUT)) as http:
        t0 = time.perf_counter()
        directory = Directory(http, card_timeout=CARD_TIMEOUT)
        await directory.add_all(urls)
        workers = directory.snapshot()
        ranked = rank("sum_3", "sum the numbers of flavour 3", workers)
        elapsed = time.perf_counter() - t0
    return elapsed, sum(1 for w in workers if w.has_card), len(ranked)


async def figures(quick: bool) -> list[dict[str, Any]]:
    ports = free_ports(CARDS)
    urls = [f"http://127.0.0.1:{p}" for p in ports]
    listener, parked, dead = dead_host()
    try:
        with agent_process(["-m", "bench.cards", "--ports", ",".join(map(str, ports))], ports[-1]):
            await discover(urls)  # warm: imports, the card server's first accept
            runs = [await discover(urls) for _ in range(3 if quick else 5)]
            live, found, ranked = sorted(runs)[len(runs) // 2]
            with_dead = sorted([await discover([*urls, f"http://127.0.0.1:{dead}"]) for _ in range(3)])[1]
    finally:
        for s in (listener, *parked):
            s.close()
    if found != CARDS:
        raise RuntimeError(f"discovered {found} of {CARDS} cards")
    cost = with_dead[0] - live
    return [
        row(
            "discovery_100_cards_s",
            live,
            1.0,
            f"{found} cards discovered and {ranked} candidates ranked in {live * 1e3:.0f} ms (median of {len(runs)})",
        ),
        row(
            "discovery_dead_host_cost_s",
            cost,
            CARD_TIMEOUT,
            f"100 cards + 1 dead host in {with_dead[0] * 1e3:.0f} ms: the dead host adds {cost * 1e3:.0f} ms; "
            f"its timeout is {CARD_TIMEOUT * 1e3:.0f} ms",
        ),
    ]
