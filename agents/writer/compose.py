"""Composition of reports, outlines and executive summaries from materials (pure functions).

Every output cites its sources by number: `[n]` is the n-th material as given (inline notes from the request
come last), and each output ends with, or carries, the list of those sources. Text material contributes its
most informative sentences (see `sentences`), under the source's own headings demoted below the report's
section level; JSON data and CSV material are rendered compactly (see `render`), never analysed. Text from the
material is placed with `markdown.inline`/`line_start`, so numbers and expressions render exactly as written.
`ToolError` is raised when there is no usable material at all.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from pydantic import JsonValue

from agents.runtime.messages import Material
from agents.runtime.tools import ToolError

from .markdown import demoted, inline, line_start
from .render import data_highlights, render_csv, render_json
from .sentences import Scored, content_words, key_sentences, shorten

Style = Literal["brief", "standard", "detailed"]
# style -> (summary sentences, key points per source)
STYLE_LIMITS: dict[Style, tuple[int, int]] = {"brief": (2, 3), "standard": (3, 5), "detailed": (5, 8)}
NOTES_SOURCE = "notes in the request"
TABLE_TYPES = ("text/csv", "text/tab-separated-values")
SECTION_LEVEL = 2  # a report's sections are "## n. source"; a source's own headings nest below them


@dataclass(frozen=True)
class Source:
    """The materials of one source (one `source` label), prepared for writing, with their citation number.

    A dependency often sends both its text and its data under the same source: they become one source with
    key points from the text and the data kept for rendering.
    """

    number: int
    label: str
    media_types: tuple[str, ...]
    points: tuple[Scored, ...] = ()
    data: tuple[JsonValue, ...] = ()
    tables: tuple[str, ...] = ()

    @property
    def kinds(self) -> list[JsonValue]:
        return [k for k, present in (("text", self.points), ("data", self.data), ("table", self.tables)) if present]

    def cite(self) -> str:
        return f"[{self.number}]"

    def lead(self) -> str:
        """One sentence that stands for this source in a summary."""
        if self.points:
            return _sentence(max(self.points, key=lambda p: (p.score, -p.index)).text)
        if self.data:
            return f"{self.label} provides {data_highlights(self.data[0])}."
        rows = max(0, len(self.tables[0].strip().splitlines()) - 1)
        return f"{self.label} supplies a table of {rows} rows."


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?…" else text + "."


def _label(material: Material) -> str:
    source = material.source.strip() or "untitled material"
    if material.filename and material.filename not in source:
        return f"{source} ({material.filename})"
    return source


def _as_data(material: Material) -> Material:
    """A JSON document sent as text or a file becomes data, so it renders as a table, not as prose."""
    if material.data is not None or not material.media_type.endswith("json"):
        return material
    try:
        value = json.loads(material.as_text())
    except ValueError:
        return material
    return material.model_copy(update={"text": None, "content": None, "data": value})


def _grouped(materials: list[Material]) -> dict[str, list[Material]]:
    groups: dict[str, list[Material]] = {}
    for material in materials:
        groups.setdefault(_label(material), []).append(_as_data(material))
    return groups


def _source(number: int, label: str, group: list[Material], points: int, focus: str) -> Source | None:
    texts = [m.as_text() for m in group if m.data is None and m.media_type not in TABLE_TYPES]
    extracted = key_sentences("\n\n".join(t for t in texts if t.strip()), points, focus) if texts else []
    source = Source(
        number=number,
        label=label,
        media_types=tuple(dict.fromkeys(m.media_type for m in group)),
        points=tuple(extracted),
        data=tuple(m.data for m in group if m.data is not None),
        tables=tuple(m.as_text() for m in group if m.media_type in TABLE_TYPES and m.as_text().strip()),
    )
    return source if source.kinds else None


def prepare_sources(materials: tuple[Material, ...], notes: str | None, points: int, focus: str) -> list[Source]:
    """Group the materials by source (inline notes last), number the usable ones from 1, and extract up to
    `points` key sentences from each source's text.

    Raises `ToolError` when there is no material, or when none of it has any usable content.
    """
    given = list(materials)
    if notes and notes.strip():
        given.append(Material(source=NOTES_SOURCE, text=notes.strip()))
    if not given:
        raise ToolError("no material was supplied: attach the material or pass it as notes")
    sources: list[Source] = []
    for label, group in _grouped(given).items():
        source = _source(len(sources) + 1, label, group, points, focus)
        if source is not None:
            sources.append(source)
    if not sources:
        raise ToolError("the supplied material has no usable content (no sentences, data or table rows)")
    return sources


def _round_robin(sources: list[Source], limit: int) -> list[tuple[Source, str]]:
    """Up to `limit` (source, sentence) picks: each source's best first, then second-best, in source order."""
    ranked: list[list[Scored | None]] = [
        [*sorted(s.points, key=lambda p: (-p.score, p.index))] or [None] for s in sources
    ]
    picks: list[tuple[Source, int, str]] = []
    for depth in range(max(len(r) for r in ranked)):
        for source, ranking in zip(sources, ranked, strict=True):
            if len(picks) < limit and depth < len(ranking):
                point = ranking[depth]
                text = source.lead() if point is None else _sentence(point.text)
                picks.append((source, -1 if point is None else point.index, text))
    picks.sort(key=lambda p: (p[0].number, p[1]))
    return [(s, t) for s, _, t in picks]


def _themes(sources: list[Source], title: str, count: int = 3) -> list[str]:
    skip = set(content_words(title))
    counts = Counter(
        w
        for s in sources
        for p in s.points
        for w in set(content_words(p.text))
        if w not in skip and not w.replace(".", "").isdigit()
    )
    return [w for w, n in counts.most_common(count) if n >= 2]  # a theme recurs across sentences


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _points(source: Source) -> list[str]:
    """The source's key points as bullets, under its own headings demoted below the section's level."""
    levels = [level for p in source.points for level, _ in p.heading]
    top = min(levels, default=1)
    lines: list[str] = []
    shown: tuple[tuple[int, str], ...] = ()
    for point in source.points:
        common = next((i for i, pair in enumerate(zip(shown, point.heading, strict=False)) if pair[0] != pair[1]), None)
        kept = min(len(shown), len(point.heading)) if common is None else common
        for level, title in point.heading[kept:]:
            lines += [
                *([""] if lines and lines[-1] else []),
                f"{'#' * demoted(level, top, SECTION_LEVEL)} {inline(title)}",
                "",
            ]
        shown = point.heading
        lines.append(f"- {line_start(_sentence(point.text))} {source.cite()}")
    return [*lines, ""]


def _section(source: Source) -> list[str]:
    lines = [f"{'#' * SECTION_LEVEL} {source.number}. {inline(source.label)}", ""]
    if source.points:
        lines += _points(source)
    for value in source.data:
        lines += [f"Structured data {source.cite()}:", "", *render_json(value), ""]
    for table in source.tables:
        lines += [f"Table preview {source.cite()}:", "", *render_csv(table), ""]
    return lines


def _conclusion(sources: list[Source], title: str, used: set[str]) -> list[str]:
    cites = "".join(s.cite() for s in sources)
    noun = "source" if len(sources) == 1 else "sources"
    text = f"This report draws on {len(sources)} {noun} {cites}."
    themes = _themes(sources, title)
    if themes:
        text += f" Recurring themes: {_join(themes)}."
    extra = [(p, s) for s in sources for p in s.points if _sentence(p.text) not in used and p.score > 0]
    if extra:
        point, source = max(extra, key=lambda e: (e[0].score, -e[1].number, -e[0].index))
        text += f" A further point worth noting: {inline(_sentence(point.text))} {source.cite()}"
    return ["## Conclusion", "", text, ""]


def _described(source: Source) -> JsonValue:
    return {"number": source.number, "source": source.label, "kinds": source.kinds, "points": len(source.points)}


def sources_list(sources: list[Source]) -> list[str]:
    return [f"{s.number}. {inline(s.label)} ({', '.join(s.media_types)})" for s in sources]


def _paragraph(picks: list[tuple[Source, str]]) -> str:
    """Cited sentences as one Markdown paragraph that renders as written."""
    return line_start(" ".join(f"{inline(text)} {source.cite()}" for source, text in picks))


def _sources_line(sources: list[Source]) -> str:
    return "**Sources:** " + "; ".join(f"{s.cite()} {inline(s.label)}" for s in sources)


def compose_report(title: str, style: Style, sources: list[Source]) -> tuple[str, dict[str, JsonValue]]:
    """The full report as Markdown plus a data summary of it (title, style, sources, summary sentences)."""
    summary_limit, _ = STYLE_LIMITS[style]
    summary = _round_robin(sources, summary_limit)
    lines = [f"# {inline(title)}", "", "## Summary", "", _paragraph(summary), ""]
    for source in sources:
        lines += _section(source)
    lines += _conclusion(sources, title, {text for _, text in summary})
    lines += ["## Sources", "", *sources_list(sources)]
    data: dict[str, JsonValue] = {
        "title": title,
        "style": style,
        "summary": [text for _, text in summary],
        "sources": [
            {"number": s.number, "source": s.label, "kinds": s.kinds, "points": len(s.points)} for s in sources
        ],
    }
    return "\n".join(lines).strip() + "\n", data


def compose_outline(title: str, max_points: int, sources: list[Source]) -> tuple[str, dict[str, JsonValue]]:
    """A bullet outline: one bullet per source with up to `max_points` short sub-points in all."""
    per_source = max(1, math.ceil(max_points / len(sources)))
    lines = [f"## Outline: {inline(title)}" if title else "## Outline", ""]
    outline: list[JsonValue] = []
    for source in sources:
        points = [shorten(p.text, 14) for p in source.points[:per_source]]
        points += [data_highlights(value, max(3, per_source)) for value in source.data[:1] if not points]
        points = points or [shorten(source.lead(), 14)]
        lines.append(f"- **{inline(source.label)}** {source.cite()}")
        lines += [f"  - {line_start(p)}" for p in points]
        outline.append({"source": source.label, "points": list(points)})
    lines += ["", _sources_line(sources)]
    return "\n".join(lines) + "\n", {"title": title, "outline": outline}


def compose_summary(max_sentences: int, sources: list[Source]) -> tuple[str, dict[str, JsonValue]]:
    """A one-paragraph executive summary of at most `max_sentences` sentences, each cited; the paragraph is
    the first line of the text (no heading above it), the sources line follows."""
    picks = _round_robin(sources, max_sentences)
    text = f"{_paragraph(picks)}\n\n{_sources_line(sources)}\n"
    return text, {"summary": [t for _, t in picks], "sources": [s.label for s in sources]}
