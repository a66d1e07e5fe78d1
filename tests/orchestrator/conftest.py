"""Fixtures shared by the orchestrator's unit tests."""

from __future__ import annotations

import pytest

from agents.registry import WORKERS
from agents.runtime.serving import load_card
from orchestrator_agent.directory import skills_of
from orchestrator_agent.models import Health, Worker


@pytest.fixture(scope="module")
def roster() -> list[Worker]:
    """The built-in workers as the directory would see them from their real cards, all healthy."""
    workers = []
    for port, name in enumerate(WORKERS, start=9001):
        base = f"http://127.0.0.1:{port}"
        card = load_card(name, base)
        workers.append(Worker(url=base, name=card.name, skills=skills_of(card), health=Health.HEALTHY, has_card=True))
    return workers
