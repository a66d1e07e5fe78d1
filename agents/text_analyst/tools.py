"""The text analyst's tools: extractive summary, keywords, sentiment and text statistics.

Each tool analyses the `text` argument, or, when it is omitted, the text of every attached material (joined
with blank lines; data parts only when no text or file came). Empty or oversized input raises `ToolError`.
The summary, keyword and sentiment texts open with their direct answer on the first line (the summary itself,
"Keywords: a, b", "Sentiment: negative (-0.62)"); the statistics text is a table, whose headline depends on
what was asked (see `answer`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, JsonValue

from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult

from .analysis import keywords, summarize, text_statistics
from .language import split_sentences, words
from .sentiment import analyze

MAX_CHARS = 200_000
TEXT_FIELD = Field(
    default=None,
    description="The text to analyse. Omit it to analyse the attached materials (e.g. outputs of earlier subtasks).",
)


def source_text(text: str | None, context: ToolContext) -> tuple[str, str]:
    """The text to analyse and where it came from; raises `ToolError` when there is none or too much."""
    if text and text.strip():
        chosen, source = text.strip(), "the request"
    else:
        texts = [m for m in context.materials if m.data is None] or list(context.materials)  # prose before data
        parts = [(m.source, m.as_text().strip()) for m in texts]
        parts = [(s, t) for s, t in parts if t]
        if not parts:
            raise ToolError("there is no text to analyse: pass it as `text` or attach it to the request")
        chosen, source = "\n\n".join(t for _, t in parts), ", ".join(s for s, _ in parts)
    if len(chosen) > MAX_CHARS:
        raise ToolError(f"the text has {len(chosen)} characters; the limit is {MAX_CHARS}")
    if not words(chosen):
        raise ToolError("the text contains no words to analyse")
    return chosen, source


class SummarizeArgs(BaseModel):
    text: str | None = TEXT_FIELD
    sentences: int = Field(default=3, ge=1, le=20, description="How many sentences the summary keeps (1-20).")


def summarize_text(args: SummarizeArgs, context: ToolContext) -> ToolResult:
    """The top sentences (by normalised word frequency and position) in their original order."""
    text, source = source_text(args.text, context)
    total = len(split_sentences(text))
    chosen = summarize(text, args.sentences)
    note = f"{len(chosen)} of {total} sentences from {source}"
    return ToolResult(
        text=" ".join(s.text for s in chosen),
        data={
            "source": source,
            "sentences_total": total,
            "summary": [s.text for s in chosen],
            "indices": [s.index for s in chosen],
            "note": note,
        },
    )


class KeywordArgs(BaseModel):
    text: str | None = TEXT_FIELD
    top: int = Field(default=10, ge=1, le=50, description="How many keywords to return (1-50).")
    bigrams: bool = Field(default=True, description="Include two-word phrases that occur at least twice.")


def extract_keywords(args: KeywordArgs, context: ToolContext) -> ToolResult:
    """The most frequent content words and phrases, stopwords excluded."""
    text, source = source_text(args.text, context)
    found = keywords(text, args.top, bigrams=args.bigrams)
    if not found:
        raise ToolError("the text has no content words (only stopwords or numbers)")
    rows = [f"| {i} | {k.term} | {k.count} |" for i, k in enumerate(found, 1)]
    return ToolResult(
        text="\n".join(
            [
                f"Keywords: {', '.join(k.term for k in found)}",
                "",
                "| # | Keyword | Occurrences |",
                "|---|---|---|",
                *rows,
            ]
        ),
        data={"source": source, "keywords": [{"term": k.term, "count": k.count, "score": k.score} for k in found]},
    )


class SentimentArgs(BaseModel):
    text: str | None = TEXT_FIELD


def analyze_sentiment(args: SentimentArgs, context: ToolContext) -> ToolResult:
    """Lexicon-based sentiment: a score in [-1, 1], a label and the phrases that drove it."""
    text, source = source_text(args.text, context)
    result = analyze(text)
    drivers: list[JsonValue] = [{"phrase": d.phrase, "weight": d.weight} for d in result.drivers[:12]]
    score = f"{result.score:+.2f}" if round(result.score, 2) else "0.00"
    shown = ", ".join(f"“{d.phrase}” ({d.weight:+g})" for d in result.drivers[:8]) or "no sentiment words found"
    return ToolResult(
        text=f"Sentiment: {result.label} ({score})\n\nScore {score} on a scale from -1 to +1,"
        f" label **{result.label}**. Driven by: {shown}.",
        data={
            "source": source,
            "score": result.score,
            "label": result.label,
            "positive": result.positive,
            "negative": result.negative,
            "drivers": drivers,
        },
    )


class StatisticsArgs(BaseModel):
    text: str | None = TEXT_FIELD


STAT_LABELS = {
    "words": "Words",
    "unique_words": "Unique words",
    "sentences": "Sentences",
    "paragraphs": "Paragraphs",
    "characters": "Characters",
    "characters_no_spaces": "Characters (no spaces)",
    "syllables": "Syllables",
    "avg_word_length": "Average word length (characters)",
    "avg_sentence_length": "Average sentence length (words)",
    "flesch_reading_ease": "Flesch reading ease",
    "reading_ease_band": "Reading ease band",
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
}


def describe_text(args: StatisticsArgs, context: ToolContext) -> ToolResult:
    """Counts, averages and readability scores of the text."""
    text, source = source_text(args.text, context)
    stats = text_statistics(text)
    rows = [f"| {STAT_LABELS[key]} | {value} |" for key, value in stats.items()]
    return ToolResult(text="\n".join(["| Measure | Value |", "|---|---|", *rows]), data={"source": source, **stats})


TOOLS: list[Tool[Any]] = [
    Tool(
        "summarize_text",
        "Extractive summary: the most representative sentences, in their original order.",
        SummarizeArgs,
        summarize_text,
    ),
    Tool(
        "extract_keywords",
        "The most frequent meaningful words and two-word phrases of a text.",
        KeywordArgs,
        extract_keywords,
    ),
    Tool(
        "analyze_sentiment",
        "Lexicon-based sentiment (negation and intensifiers aware): score, label, drivers.",
        SentimentArgs,
        analyze_sentiment,
    ),
    Tool(
        "describe_text",
        "Text statistics: words, sentences, paragraphs, characters, averages, Flesch reading "
        "ease and Flesch-Kincaid grade.",
        StatisticsArgs,
        describe_text,
    ),
]
