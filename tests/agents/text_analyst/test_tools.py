"""The text analyst's tools and analysis functions, called directly."""

from __future__ import annotations

from typing import Any

import pytest

from agents.runtime.messages import Material
from agents.runtime.tools import ToolContext, ToolError
from agents.text_analyst.language import split_sentences, syllables
from agents.text_analyst.sentiment import analyze
from agents.text_analyst.tools import (
    MAX_CHARS,
    KeywordArgs,
    SentimentArgs,
    StatisticsArgs,
    SummarizeArgs,
    analyze_sentiment,
    describe_text,
    extract_keywords,
    summarize_text,
)

NONE = ToolContext()
SOLAR = (
    "Solar power has grown quickly over the last decade. Panel prices fell by more than eighty percent, which made "
    "solar the cheapest source of new electricity in many countries. Grid operators now face a new problem, because "
    "solar output peaks at midday and vanishes at night. Batteries are the most common answer to this problem. "
    "Large battery farms store cheap midday power and release it in the evening. Critics point out that batteries "
    "still add cost, but their prices are falling as well."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four.", ["One.", "Two!", "Three?", "Four."]),
        (
            "Dr. Smith arrived. He left at 5 p.m. Then it rained.",
            ["Dr. Smith arrived.", "He left at 5 p.m. Then it rained."],
        ),
        ("Title line\n\nBody sentence one. Body two.", ["Title line", "Body sentence one.", "Body two."]),
        ('He said "stop." Then he went.', ['He said "stop."', "Then he went."]),
        (
            "Notes:\n- Revenue grew 12%\n- Costs fell\n  by 3%.\n1. Churn rose",
            ["Notes:", "Revenue grew 12%", "Costs fell by 3%.", "Churn rose"],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("word", "count"),
    [("cat", 1), ("happy", 2), ("table", 2), ("beautiful", 3), ("jumped", 1), ("photosynthesis", 5), ("the", 1)],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


@pytest.mark.parametrize(
    ("count", "expected_first"),
    [(1, "Solar power has grown quickly over the last decade."), (2, "Solar power has grown quickly"), (10, "Solar")],
)
def test_summarize_keeps_original_order(count: int, expected_first: str) -> None:
    result = summarize_text(SummarizeArgs(text=SOLAR, sentences=count), NONE)
    data: Any = result.data
    assert len(data["summary"]) == min(count, 6)
    assert data["indices"] == sorted(data["indices"])
    assert result.text.startswith(expected_first)
    assert all(sentence in SOLAR for sentence in data["summary"])


def test_summarize_reads_materials() -> None:
    context = ToolContext(materials=(Material(source="s1", text=SOLAR),))
    result = summarize_text(SummarizeArgs(sentences=2), context)
    assert isinstance(result.data, dict)
    assert result.data["source"] == "s1"
    assert result.data["note"] == "2 of 6 sentences from s1"


def test_keywords_fold_plurals_and_find_phrases() -> None:
    text = (
        "Machine learning models need data. Training data quality matters more than model size. Clean training "
        "data beats clever models, and machine learning teams spend most of their time on data."
    )
    result = extract_keywords(KeywordArgs(text=text, top=4), NONE)
    data: Any = result.data
    terms = [k["term"] for k in data["keywords"]]
    assert terms == ["data", "machine learning", "training data", "model"]
    assert "| 1 | data | 4 |" in result.text


def test_keywords_without_bigrams() -> None:
    result = extract_keywords(KeywordArgs(text="Cats chase mice. Cats sleep. Mice hide.", bigrams=False), NONE)
    data: Any = result.data
    assert data["keywords"][0] == {"term": "cats", "count": 2, "score": 2.0}


@pytest.mark.parametrize(
    ("text", "label", "driver"),
    [
        ("I love this product. It is excellent!", "positive", "love"),
        ("The service was terrible and the food was awful.", "negative", "terrible"),
        ("The food was not good.", "negative", "not good"),
        ("The movie was not bad at all.", "positive", "not bad"),
        ("The staff were very friendly.", "positive", "very friendly"),
        ("The table is made of wood.", "neutral", None),
        ("The room was nice but the noise was terrible.", "negative", "terrible"),
        ("Support never answered my emails.", "negative", "never answered"),  # a service that did not happen
        ("The support team was quick.", "positive", "quick"),  # "support" names a team, it praises nothing
        (
            "I really wanted to love it. Setup was painless, but since the last update it crashes every day.",
            "negative",
            "crashes",
        ),
        # "honestly" frames, it does not praise; "slow growth" is judged by "slow", counted once
        (
            "Thanks for the update. Honestly I'm disappointed by the slow growth and worried the team is too thin.",
            "negative",
            "disappointed",
        ),
    ],
)
def test_sentiment(text: str, label: str, driver: str | None) -> None:
    result = analyze(text)
    assert result.label == label
    assert -1 <= result.score <= 1
    if driver is not None:
        assert driver in [d.phrase for d in result.drivers]


def test_intensifiers_and_negation_scale_the_score() -> None:
    assert analyze("It was very good.").score > analyze("It was good.").score > analyze("It was slightly good.").score
    assert analyze("It was not good.").score < 0


def test_sentiment_tool_data() -> None:
    result = analyze_sentiment(SentimentArgs(text="Great product, awful delivery, great support."), NONE)
    assert isinstance(result.data, dict)
    assert result.data["label"] == "positive"
    assert "**positive**" in result.text


def test_text_statistics() -> None:
    text = "The cat sat on the mat. It was a sunny day.\n\nThe dog barked."
    result = describe_text(StatisticsArgs(text=text), NONE)
    data = result.data
    assert isinstance(data, dict)
    assert (data["words"], data["sentences"], data["paragraphs"], data["characters"]) == (14, 3, 2, len(text))
    assert data["avg_sentence_length"] == round(14 / 3, 2)
    assert data["reading_ease_band"] == "very easy"
    assert isinstance(data["flesch_kincaid_grade"], float)
    assert "| Words | 14 |" in result.text


@pytest.mark.parametrize(
    ("tool", "args", "context", "message"),
    [
        (summarize_text, SummarizeArgs(), NONE, "no text to analyse"),
        (extract_keywords, KeywordArgs(text="   "), NONE, "no text to analyse"),
        (analyze_sentiment, SentimentArgs(), ToolContext(materials=(Material(source="s1", text=" "),)), "no text"),
        (describe_text, StatisticsArgs(text="... !!! ???"), NONE, "no words"),
        (describe_text, StatisticsArgs(text="word " * (MAX_CHARS // 4)), NONE, "limit"),
        (extract_keywords, KeywordArgs(text="the and of it is 42"), NONE, "no content words"),
    ],
)
def test_bad_input(tool, args, context: ToolContext, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ToolError, match=message):
        tool(args, context)


def test_sentence_count_is_bounded() -> None:
    with pytest.raises(ValueError):
        SummarizeArgs(text="x", sentences=0)
