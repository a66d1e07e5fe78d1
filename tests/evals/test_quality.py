"""The quality suite holds its floor: every goal of evals/ through the offline network on real sockets.

The floors are what the offline path reached when they were set (README, "Quality"); a change that loses
goals, drops a part silently or stops naming an unservable part fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.network import network
from evals.run import FILES, load, run_goals
from evals.scoring import Outcome, has_fact, score

pytestmark = pytest.mark.timeout(900)  # 1,233 goals through the network: about 3 minutes here

# share of goals fully right, a little under what was measured (0.98, 1.0, 1.0, 1.0, 1.0, 0.68, 1.0, 1.0, 0.94,
# 1.0, 0.96, 1.0, 1.0, 1.0, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.98 and 1.0 on 2026-12-04)
FLOORS = {
    "goals.json": 0.95,
    "holdout.json": 0.96,
    "holdout2.json": 0.9,
    "holdout3.json": 0.96,
    "holdout4.json": 0.95,
    "holdout5.json": 0.55,
    "holdout6.json": 0.96,
    "holdout7.json": 0.96,
    "holdout8.json": 0.88,
    "holdout9.json": 0.92,
    "holdout10.json": 0.9,
    "holdout11.json": 0.96,
    "holdout12.json": 0.96,
    "holdout13.json": 0.96,
    "holdout14.json": 0.96,
    "holdout15.json": 0.96,
    "holdout16.json": 0.96,
    "holdout17.json": 0.96,
    "holdout18.json": 0.96,
    "holdout19.json": 0.96,
    "holdout20.json": 0.96,
    "holdout21.json": 0.95,
    "holdout22.json": 0.95,
    "holdout23.json": 0.92,
    "holdout24.json": 0.96,
    "holdout25.json": 0.96,
    "holdout26.json": 0.96,
    "holdout27.json": 0.85,
    "holdout28.json": 0.96,
    "holdout29.json": 0.96,
    "holdout30.json": 0.75,
}
# The known misses of the last blind set, a ratchet: a goal may leave these lists, none may join them.
KNOWN_SILENT: dict[str, set[str]] = {}
KNOWN_UNNAMED = {"holdout5.json": {"h5-24"}}


async def test_the_offline_network_holds_the_quality_floor(tmp_path: Path) -> None:
    async with network(tmp_path) as url:
        for path in FILES:
            results = await run_goals(load(path), url)
            right = sum(s.right for _, _, s in results) / len(results)
            silent = [g["id"] for g, _, s in results if s.silent_drop]
            unnamed = [g["id"] for g, _, s in results if s.unserved_named < s.unserved_expected]
            new_silent = set(silent) - KNOWN_SILENT.get(path.name, set())
            new_unnamed = set(unnamed) - KNOWN_UNNAMED.get(path.name, set())
            assert not new_silent, f"{path.name}: parts dropped silently in {sorted(new_silent)}"
            assert not new_unnamed, f"{path.name}: unservable parts not named in {sorted(new_unnamed)}"
            assert right >= FLOORS[path.name], f"{path.name}: {right:.0%} fully right, floor {FLOORS[path.name]:.0%}"


@pytest.mark.parametrize(
    "text, fact, found",
    [
        ("72 °F = 22.2222 °C", "22.22", True),
        ("Total: 3,455", "3455", True),
        ("the mean is 18", "18.5", False),
        ("Sentiment: Negative (-0.62)", "negative", True),
        ("a passage on idempotence", "idempotent", False),
    ],
)
def test_facts_compare_numbers_numerically_and_words_as_words(text: str, fact: str, found: bool) -> None:
    assert has_fact(text, fact) is found


def test_a_completed_goal_that_lost_a_part_is_a_silent_drop() -> None:
    expect = {
        "state": "completed",
        "parts": [{"skills": ["arithmetic"], "facts": ["391"]}],
        "unserved": [{"words": ["reverse"]}],
    }
    lost = score(expect, Outcome("completed", "17 * 23 = 391", [{"id": "s1", "skill": "arithmetic"}], []))
    assert lost.silent_drop and not lost.right
    named = [{"text": "reverse the text 'stressed'", "reason": "no advertised skill can reverse text"}]
    kept = score(expect, Outcome("completed", "17 * 23 = 391", [{"id": "s1", "skill": "arithmetic"}], named))
    assert kept.right and not kept.silent_drop
