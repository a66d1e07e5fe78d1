"""Lexicon-based sentiment with negation, intensifiers and contrast.

Per sentence, each lexicon word contributes its weight, scaled by a preceding intensifier ("very good" 1.5x),
flipped and damped by a negator up to three words before it ("not good" -0.75x), and, in a sentence with a
contrast word ("good but slow"), halved before it and boosted 1.5x after it. The total is squashed into
[-1, 1] with x / sqrt(x^2 + 15) (VADER's normalisation), so a couple of strong words dominate a short text and
many mild ones saturate gracefully. A neutral verb of service under a negator is a complaint ("support never
answered", "it didn't work"), and a positive word after a hope is flipped like a negated one ("I wanted to
love it").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .language import normalized_words, split_sentences
from .lexicon import CONTRAST, EXPECTED, INTENSIFIERS, NEGATIVE, NEGATORS, POSITIVE, UNFULFILLED

NEGATION_FACTOR = -0.75
NEGATION_WINDOW = 3
# words that frame a sentence rather than judge ("honestly" is not "honest"): no weight
DISCOURSE = frozenset({"honestly", "frankly", "seriously", "literally", "basically", "admittedly", "genuinely"})
EXPECTED_WEIGHT = 1.5  # "never answered", "didn't work": a service that did not happen
NORMALIZER = 15.0
NEUTRAL_BAND = 0.05


@dataclass(frozen=True)
class Driver:
    phrase: str
    weight: float


@dataclass(frozen=True)
class Sentiment:
    score: float
    label: str
    positive: float
    negative: float
    drivers: tuple[Driver, ...]


def word_weight(word: str) -> float:
    """The lexicon weight of `word` or of its simple inflections ("improvements", "hated"), else 0."""
    for candidate in (word, word.removesuffix("s"), word.removesuffix("ly"), word.removesuffix("d")):
        weight = POSITIVE.get(candidate) or NEGATIVE.get(candidate)
        if weight:
            return weight
    return 0.0


def _sentence_drivers(tokens: list[str]) -> list[Driver]:
    pivot = max((i for i, t in enumerate(tokens) if t in CONTRAST), default=-1)
    drivers: list[Driver] = []
    for i, token in enumerate(tokens):
        weight = 0.0 if token in DISCOURSE else word_weight(token)
        if weight > 0 and i > 0 and word_weight(tokens[i - 1]) < 0 and tokens[i - 1] not in DISCOURSE:
            continue  # "slow growth", "poor service": the thing is judged by the word before it, counted once
        window = tokens[max(0, i - NEGATION_WINDOW) : i]
        if not weight and token in EXPECTED and any(t in NEGATORS for t in window):
            weight = -EXPECTED_WEIGHT / NEGATION_FACTOR  # flipped below: "never answered" counts as a complaint
        if not weight:
            continue
        start = i
        if weight > 0 and i >= 2 and tokens[i - 1] == "to" and tokens[i - 2] in UNFULFILLED:
            weight *= NEGATION_FACTOR  # "wanted to love it": the love did not happen
            start = i - 2
        if i > 0 and tokens[i - 1] in INTENSIFIERS:
            weight *= INTENSIFIERS[tokens[i - 1]]
            start = i - 1
        negator = next((j for j in range(len(window) - 1, -1, -1) if window[j] in NEGATORS), None)
        if negator is not None and not any(t in CONTRAST for t in window[negator:]):
            weight *= NEGATION_FACTOR
            start = min(start, i - len(window) + negator)
        if pivot >= 0:
            weight *= 0.5 if i < pivot else 1.5
        drivers.append(Driver(" ".join(tokens[start : i + 1]), round(weight, 3)))
    return drivers


def analyze(text: str) -> Sentiment:
    """The sentiment of `text`: score in [-1, 1], a label, the positive/negative totals and the drivers."""
    drivers = [d for sentence in split_sentences(text) for d in _sentence_drivers(normalized_words(sentence))]
    total = sum(d.weight for d in drivers)
    score = total / math.sqrt(total * total + NORMALIZER) if total else 0.0
    positive = sum(d.weight for d in drivers if d.weight > 0)
    negative = -sum(d.weight for d in drivers if d.weight < 0)
    if score >= NEUTRAL_BAND:
        label = "positive"
    elif score <= -NEUTRAL_BAND:
        label = "negative"
    else:
        label = "mixed" if positive and negative else "neutral"
    ranked = sorted(drivers, key=lambda d: -abs(d.weight))
    return Sentiment(round(score, 4), label, round(positive, 3), round(negative, 3), tuple(ranked))
