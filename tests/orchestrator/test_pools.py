"""Replica pools: how the directory groups replicas, and how selection spreads subtasks over equal ones."""

from __future__ import annotations

import httpx
import pytest
from a2a.types import AgentCard, AgentSkill

from orchestrator_agent.directory import Directory, _Entry, pools, skills_of
from orchestrator_agent.models import Health, Skill, Worker
from orchestrator_agent.selection import candidates_for

WORK = Skill(id="work", name="Work", description="Works on a text")


def card(name: str, *skill_ids: str) -> AgentCard:
    return AgentCard(name=name, skills=[AgentSkill(id=s, name=s, description=f"does {s}") for s in skill_ids])


def entry(url: str, agent: AgentCard | None) -> _Entry:
    return _Entry(url=url, card=agent, health=Health.HEALTHY, skills=skills_of(agent) if agent else ())


def test_replicas_with_the_same_name_and_skills_form_one_pool() -> None:
    entries = [
        entry("http://a", card("slow", "work", "rest")),
        entry("http://b", card("slow", "rest", "work")),  # skill order does not matter
        entry("http://c", card("slow", "work")),  # same name, other skills: another pool
        entry("http://d", card("calc", "add")),
        entry("http://e", None),  # no card yet: in no pool
    ]
    named = pools(entries)
    assert named["http://a"] == named["http://b"] and named["http://a"][1] == 2
    assert named["http://c"][0] != named["http://a"][0] and named["http://c"][1] == 1
    assert all(named[u][0].startswith("slow#") for u in ("http://a", "http://c"))  # told apart by a digest
    assert named["http://d"] == ("calc", 1)
    assert "http://e" not in named


@pytest.mark.parametrize(
    "workers, expected",
    [
        pytest.param(
            [("http://a", 0, 3), ("http://b", 0, 1), ("http://c", 0, 2)],
            ["http://b", "http://c", "http://a"],
            id="equal load: least recently used first",
        ),
        pytest.param(
            [("http://a", 0, 9), ("http://b", 1, 0)],
            ["http://a", "http://b"],
            id="load outranks recency",
        ),
    ],
)
def test_ties_among_replicas_go_to_the_least_recently_used(
    workers: list[tuple[str, int, int]], expected: list[str]
) -> None:
    roster = [
        Worker(url=u, name="slow", skills=(WORK,), health=Health.HEALTHY, load=load, last_used=used, has_card=True)
        for u, load, used in workers
    ]
    assert [c.worker_url for c in candidates_for("work", "work on it", roster)] == expected


async def test_equal_replicas_take_turns_whether_attempts_overlap_or_follow_each_other() -> None:
    async with httpx.AsyncClient() as http:
        directory = Directory(http)
        for url in ("http://r1", "http://r2", "http://r3"):
            directory._entries[url] = entry(url, card("slow", "work"))

        def pick() -> str:
            return candidates_for("work", "work on it", directory.snapshot())[0].worker_url

        overlapping = []
        for _ in range(6):  # each acquired before the next ranking, none released: spread by load
            overlapping.append(pick())
            directory.acquire(overlapping[-1])
        for url in overlapping:
            directory.release(url)
        sequential = []
        for _ in range(6):  # one at a time: the load is always 0, recency decides
            sequential.append(pick())
            directory.acquire(sequential[-1])
            directory.release(sequential[-1])
        roster = directory.snapshot()
    assert sorted(overlapping) == sorted(sequential) == ["http://r1"] * 2 + ["http://r2"] * 2 + ["http://r3"] * 2
    assert len(set(sequential[:3])) == 3  # least recently used first: one at a time, the picks go round
    assert {(w.pool, w.replicas, w.dispatched, w.load) for w in roster} == {("slow", 3, 4, 0)}
