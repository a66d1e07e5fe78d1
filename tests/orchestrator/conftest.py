"""Fixtures shared by the orchestrator's unit tests."""

from __future__ import annotations

import pytest

from agents.host.serving import load_card
from agents.registry import WORKERS
from orchestrator_agent.directory import skills_of
from orchestrator_agent.models import Health, Worker
from orchestrator_agent.semantic import WordLlamaSimilarity


@pytest.fixture(scope="module")
def roster() -> list[Worker]:
    """The built-in workers as the directory would see them from their real cards, all healthy."""
    workers = []
    for port, name in enumerate(WORKERS, start=9001):
        base = f"http://127.0.0.1:{port}"
        card = load_card(name, base)
        workers.append(
            Worker(
                url=base,
                name=card.name,
                description=card.description,
                skills=skills_of(card),
                health=Health.HEALTHY,
                has_card=True,
            )
        )
    return workers


@pytest.fixture(scope="session")
def similarity() -> WordLlamaSimilarity:
    """The real embedding model of offline selection, loaded once for the test session."""
    model = WordLlamaSimilarity()
    model.load()
    return model
