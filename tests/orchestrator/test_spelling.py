"""Typos in routing words are corrected toward the roster's words; everything else is left as written."""

from __future__ import annotations

import pytest

from orchestrator_agent.spelling import Speller

SPELLER = Speller({"square", "root", "average", "summarize", "convert", "calculate", "sure"})


@pytest.mark.parametrize(
    "text, corrected",
    [
        ("sqaure root of 2025", "square root of 2025"),
        ("whats the avergae of 3, 4 and 8", "whats the average of 3, 4 and 8"),
        ("can you sumarize this", "can you summarize this"),
        ("convet 10 km and caluclate 17*23", "convert 10 km and calculate 17*23"),
    ],
)
def test_typos_of_roster_words_are_corrected(text: str, corrected: str) -> None:
    assert SPELLER.correct(text) == corrected


@pytest.mark.parametrize(
    "text",
    [
        "Borealis and Maya ran the 10k",  # names: no English word one edit away that the roster uses
        "the sales sheet for Q3",  # English words stay, even one edit from a roster word ("sure")
        "a squre",  # two roster words are one edit away ("square", "sure"): which is meant is not clear
    ],
)
def test_names_english_words_and_unclear_typos_are_left_alone(text: str) -> None:
    assert SPELLER.correct(text) == text
