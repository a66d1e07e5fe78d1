"""Extractive summaries, keywords and readability statistics of English text.

All functions are pure and deterministic. Summaries pick whole sentences from the text (never rewrite them)
and return them in their original order.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from .language import is_content_word, normalized_words, split_paragraphs, split_sentences, syllables, words

LEAD_BONUS = 0.25  # the first sentence of the text usually states its topic
PARAGRAPH_BONUS = 0.1  # so does the first sentence of each paragraph
SHORT_SENTENCE_WORDS = 5


@dataclass(frozen=True)
class ScoredSentence:
    index: int
    text: str
    score: float


def _frequencies(text: str) -> dict[str, float]:
    """Content-word frequencies normalised by the most frequent one (so the top word scores 1)."""
    counts = Counter(w for w in normalized_words(text) if is_content_word(w))
    if not counts:
        return {}
    top = max(counts.values())
    return {w: c / top for w, c in counts.items()}


def score_sentences(text: str) -> list[ScoredSentence]:
    """Every sentence with its score: mean normalised frequency of its content words plus position bonuses."""
    frequencies = _frequencies(text)
    paragraph_starts = {split_sentences(p)[0] for p in split_paragraphs(text) if split_sentences(p)}
    scored: list[ScoredSentence] = []
    for index, sentence in enumerate(split_sentences(text)):
        tokens = normalized_words(sentence)
        content = [w for w in tokens if is_content_word(w)]
        score = sum(frequencies.get(w, 0.0) for w in content) / max(len(content), 1)
        if len(tokens) < SHORT_SENTENCE_WORDS:
            score *= 0.5
        if index == 0:
            score += LEAD_BONUS
        elif sentence in paragraph_starts:
            score += PARAGRAPH_BONUS
        scored.append(ScoredSentence(index, sentence, round(score, 4)))
    return scored


def summarize(text: str, count: int) -> list[ScoredSentence]:
    """The `count` best-scoring sentences in their original order (all of them if there are fewer)."""
    scored = score_sentences(text)
    best = sorted(scored, key=lambda s: (-s.score, s.index))[:count]
    return sorted(best, key=lambda s: s.index)


@dataclass(frozen=True)
class Keyword:
    term: str
    count: int
    score: float


def _singular(counts: Counter[str]) -> Counter[str]:
    """Fold plurals into their singular when both occur ("agents" into "agent")."""
    folded: Counter[str] = Counter()
    for word, count in counts.items():
        stem = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        folded[stem if stem != word and stem in counts else word] += count
    return folded


def keywords(text: str, top: int, *, bigrams: bool = True) -> list[Keyword]:
    """The `top` terms by weighted frequency: content words, and (optionally) two-word phrases seen twice+.

    A phrase scores its count times 2 (it is more specific than either word); a word that only ever appears
    inside a chosen phrase is dropped in favour of the phrase.
    """
    unigrams: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for sentence in split_sentences(text):
        tokens = [w.removesuffix("'s") for w in normalized_words(sentence)]  # "Rust's checker": rust, checker
        unigrams.update(w for w in tokens if is_content_word(w))
        pairs.update(f"{a} {b}" for a, b in itertools.pairwise(tokens) if is_content_word(a) and is_content_word(b))
    unigrams = _singular(unigrams)
    candidates = {w: Keyword(w, c, float(c)) for w, c in unigrams.items()}
    if bigrams:
        for phrase, count in pairs.items():
            if count >= 2:
                candidates[phrase] = Keyword(phrase, count, 2.0 * count)
                for word in phrase.split():
                    if word in candidates and candidates[word].count <= count:
                        del candidates[word]
    order = {term: i for i, term in enumerate(candidates)}
    ranked = sorted(candidates.values(), key=lambda k: (-k.score, order[k.term]))
    return ranked[:top]


def reading_ease_label(score: float) -> str:
    """The conventional band of a Flesch reading-ease score."""
    bands = (
        (90, "very easy"),
        (80, "easy"),
        (70, "fairly easy"),
        (60, "plain English"),
        (50, "fairly difficult"),
        (30, "difficult"),
    )
    return next((label for floor, label in bands if score >= floor), "very difficult")


def text_statistics(text: str) -> dict[str, float | int | str]:
    """Counts, averages and the Flesch reading-ease and Flesch-Kincaid grade of `text` (non-empty)."""
    tokens = words(text)
    sentences = split_sentences(text)
    n_words, n_sentences = len(tokens), max(len(sentences), 1)
    n_syllables = sum(syllables(w) for w in tokens)
    per_sentence = n_words / n_sentences
    per_word = n_syllables / max(n_words, 1)
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return {
        "words": n_words,
        "unique_words": len({w.lower() for w in tokens}),
        "sentences": len(sentences),
        "paragraphs": len(split_paragraphs(text)),
        "characters": len(text),
        "characters_no_spaces": sum(1 for c in text if not c.isspace()),
        "syllables": n_syllables,
        "avg_word_length": round(sum(len(w) for w in tokens) / max(n_words, 1), 2),
        "avg_sentence_length": round(per_sentence, 2),
        "flesch_reading_ease": round(ease, 1),
        "reading_ease_band": reading_ease_label(ease),
        "flesch_kincaid_grade": round(grade, 1),
    }
