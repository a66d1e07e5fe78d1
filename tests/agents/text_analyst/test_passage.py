"""Finding the text to analyse in a brief: quotes of every kind, markers, fences, lines after the request."""

from __future__ import annotations

import pytest

from agents.text_analyst.passage import quoted_spans, split_text

TEXT = "The council met on Tuesday. Residents spoke for hours. The lanes were approved."


@pytest.mark.parametrize(
    ("instruction", "request_", "text"),
    [
        (f"Summarize in one sentence: {TEXT}", "Summarize in one sentence", TEXT),
        (f'Summarize "{TEXT}"', "Summarize", TEXT),
        (f"Summarize '{TEXT}' in 2 sentences", "Summarize  in 2 sentences", TEXT),
        (f"Give a one-line summary of \u201c{TEXT}\u201d", "Give a one-line summary of", TEXT),
        (f"Summarize \u2018{TEXT}\u2019 please", "Summarize  please", TEXT),
        (f"Summarize this text: {TEXT}", "Summarize this text", TEXT),
        (f"Find the keywords in the following: {TEXT}", "Find the keywords in the following", TEXT),
        (f"Extract keywords from: {TEXT}", "Extract keywords from", TEXT),
        (f"Summarize this:\n```\n{TEXT}\n```", "Summarize this:", TEXT),
        (f"Summarize this:\n~~~text\n{TEXT}\n~~~\nThanks", "Summarize this: Thanks", TEXT),
        (f"Summarize the following in one sentence.\n\n{TEXT}", "Summarize the following in one sentence", TEXT),
        (f"Give me a 2-sentence summary. {TEXT}", "Give me a 2-sentence summary", TEXT),
        (f"{TEXT}\n\nSummarize this in one sentence.", "Summarize this in one sentence.", TEXT),
        (f"Summarize in one sentence.\nText: {TEXT}", "Summarize in one sentence", TEXT),
        (f"Sentiment of this review: \u201c{TEXT}\u201d", "Sentiment of this review:", TEXT),
        (
            "What's the sentiment of 'I don't like it, it's slow and the battery is awful'?",
            "What's the sentiment of ?",
            "I don't like it, it's slow and the battery is awful",
        ),
        (
            "What's the sentiment of \u2018I don\u2019t like it, it\u2019s slow\u2019?",
            "What's the sentiment of ?",
            "I don\u2019t like it, it\u2019s slow",
        ),
        (
            f"Summarize the article 'Bike lanes' in one sentence: {TEXT}",
            "Summarize the article 'Bike lanes' in one sentence",
            TEXT,
        ),
        (
            "Summarize at 10:30: the meeting ran long and nobody agreed.",
            "Summarize at 10:30",
            "the meeting ran long and nobody agreed.",
        ),
        ("What is the sentiment? The food was cold.", "What is the sentiment", "The food was cold."),
        ("Summarize the article", "Summarize the article", None),
        ("What are the keywords of the dogs' report?", "What are the keywords of the dogs' report?", None),
        (
            "Objective: summarize the text from s1 in two sentences.",
            "Objective: summarize the text from s1 in two sentences.",
            None,
        ),
        (
            "Summarize the text in 2 sentences. Keep it short.",
            "Summarize the text in 2 sentences. Keep it short.",
            None,
        ),
        (
            "Summarize the attached report: focus on the costs.",
            "Summarize the attached report: focus on the costs.",
            None,
        ),
        (  # a remark of the asker's in the request paragraph is no part of the text under it
            "How many words is this? The limit for the newsletter is 60.\n\nOur garden started three years ago.",
            "How many words is this? The limit for the newsletter is 60.",
            "Our garden started three years ago.",
        ),
    ],
)
def test_split_text(instruction: str, request_: str, text: str | None) -> None:
    assert split_text(instruction) == (request_, text)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("don't stop", []),
        ("it's 'quoted' here", [(5, 13)]),
        ("the dogs' bowls", []),
        ("say \u201chi there\u201d now", [(4, 14)]),
        ('a "b c" and "d e"', [(2, 7), (12, 17)]),
    ],
)
def test_apostrophes_are_not_quotes(text: str, spans: list[tuple[int, int]]) -> None:
    assert quoted_spans(text) == spans
