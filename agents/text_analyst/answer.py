"""The text analyst's final answer, built from the results of its tool calls.

Contract of `compose(request, history)`: the answer opens with one direct-answer line per successful
analysis, in the order they were called: the summary itself, "Keywords: a, b, c", "Sentiment: negative
(-0.62)", and for statistics the measure that was asked for ("Word count: 57", "Sentences: 4", "Flesch
reading ease: 71.2 (fairly easy)") or, when none was, the word count with the sentence count and reading ease.
The details follow after a blank line: for one analysis directly, for several under one `##` heading each.
Calls that failed are listed last; when every call failed, the text says so and gives the reasons.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import ToolCall, ToolOutcome

HEADINGS = {
    "summarize_text": "Summary",
    "extract_keywords": "Keywords",
    "analyze_sentiment": "Sentiment",
    "describe_text": "Text statistics",
}
# (key in the statistics data, label, the counted noun); a measure is asked for as "how many <noun>",
# "number of <noun>", "<noun> count" or "count the <noun>".
_COUNTS = (
    ("unique_words", "Unique words", r"unique words|distinct words|different words"),
    ("words", "Word count", r"words?"),
    ("sentences", "Sentences", r"sentences?"),
    ("paragraphs", "Paragraphs", r"paragraphs?"),
    ("characters", "Characters", r"characters?|letters|chars"),
    ("syllables", "Syllables", r"syllables?"),
)
_READABILITY = re.compile(r"readab|reading (?:ease|level)|flesch|grade level", re.IGNORECASE)


def _asked(request: str) -> list[tuple[str, str]]:
    """(key, label) of each measure the request asks for, in table order."""
    found = []
    for key, label, noun in _COUNTS:
        pattern = rf"\b(?:how many|number of|count(?: the| of)*)\s+(?:{noun})\b|\b(?:{noun}) count\b"
        if re.search(pattern, request, re.IGNORECASE):
            found.append((key, label))
    if any(key == "unique_words" for key, _ in found):
        found = [(k, label) for k, label in found if k != "words"]
    if _READABILITY.search(request):
        found.append(("flesch_reading_ease", "Flesch reading ease"))
    return found


def _statistics_headline(request: str, data: dict[str, JsonValue]) -> str:
    asked = _asked(request)
    if not asked:
        sentences = data.get("sentences")
        noun = "sentence" if sentences == 1 else "sentences"
        return (
            f"Word count: {data.get('words')} ({sentences} {noun}, Flesch reading ease "
            f"{data.get('flesch_reading_ease')}: {data.get('reading_ease_band')})"
        )
    pieces = []
    for key, label in asked:
        value = f"{label}: {data.get(key)}"
        if key == "flesch_reading_ease":
            value += f" ({data.get('reading_ease_band')}; Flesch-Kincaid grade {data.get('flesch_kincaid_grade')})"
        pieces.append(value)
    return "; ".join(pieces)


def _split(request: str, outcome: ToolOutcome) -> tuple[str, str]:
    """(direct answer, details) of one successful call."""
    data = outcome.data if isinstance(outcome.data, dict) else {}
    if outcome.name == "describe_text":
        return _statistics_headline(request, data), outcome.content
    if outcome.name == "summarize_text":
        note = data.get("note")
        return outcome.content, f"_{note}._" if note else ""
    first, _, rest = outcome.content.partition("\n\n")
    return first, rest.strip()


def compose(request: str, history: list[tuple[ToolCall, ToolOutcome]]) -> str:
    """The answer text for `request` after the calls in `history` (see the module docstring)."""
    failures = [outcome.content for _, outcome in history if outcome.is_error]
    done = [(call, _split(request, outcome)) for call, outcome in history if not outcome.is_error]
    if not done:
        reasons = "\n".join(f"- {reason}" for reason in failures)
        return f"**I could not analyse the text.**\n\n{reasons}"
    lines = "\n".join(first for _, (first, _) in done)
    if len(done) == 1:
        sections = [done[0][1][1]] if done[0][1][1] else []
    else:
        sections = [f"## {HEADINGS.get(c.name, c.name)}\n\n{details}".rstrip() for c, (_, details) in done]
    sections += [f"**Could not complete:** {reason}" for reason in failures]
    return "\n\n".join([lines, *sections])
