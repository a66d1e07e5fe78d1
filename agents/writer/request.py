"""Reading a writing request: which product, its title, style, size, and any material written inline.

Requests come from people and from the orchestrator's briefs, so this is keyword and regex work over free
text. `read_request` never raises: fields it cannot find are None (the policy then asks or uses defaults).
A follow-up turn ("You asked: ...\\nThe caller replied: ...") is split so the reply counts as material.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compose import Style

SKILLS = ("write_report", "outline", "executive_summary")
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}

_REPLY = re.compile(r"\n*You asked: .*?\nThe caller replied: ", re.DOTALL)
_QUOTED_TITLE = re.compile(
    r"\b(?:titled|entitled|called|named|headed|title)\s*:?\s*([\"'\u201c\u2018])(?P<t>.+?)[\"'\u201d\u2019](?=\W|$)",
    re.IGNORECASE,
)
_TITLE_LINE = re.compile(r"\btitle\s*:\s*(?P<t>[^\n.]+)", re.IGNORECASE)
_TITLE_BARE = re.compile(
    r"\b(?:titled|entitled|called)\s+(?P<t>[^,.:;\n]+?)(?=\s+(?:from|based|using|with)\b|[,.:;\n]|$)",
    re.IGNORECASE,
)
_TITLE_TOPIC = re.compile(
    r"\b(?:report|summary|outline|memo|brief|write-up)\s+(?:on|about|of|covering)\s+(?:the\s+)?"
    r"(?P<t>[^,.:;\n]+?)(?=\s+(?:from|based on|using|with|in \w+ (?:sentences|points|bullets))\b|[,.:;\n]|$)",
    re.IGNORECASE,
)
_DEICTIC = re.compile(
    r"(these|this|those|the following|following|the attached|attached|it|them|below)\b"
    r"|((?:the|my|our|your)\s+)?(notes?|material|text|content|findings|input|data|results?)\s*$",
    re.IGNORECASE,
)
_DIRECTIONS = re.compile(  # what follows a colon when it says how to write, not what to write from
    r"^(?:please\s+)?(?:cover|covering|include|including|focus|mention|discuss|explain|describe|talk about|make|use|"
    r"keep|add|highlight|compare|list|emphasi[sz]e|address|consider|touch on|aim|target|write|be|avoid|limit|"
    r"structure|format|organi[sz]e|start|end|finish|summari[sz]e|outline|draft|compose|create|produce|prepare|"
    r"give|one paragraph|a paragraph|bullet points?)\b",
    re.IGNORECASE,
)
MAX_DIRECTION_WORDS = 30
_LABEL = re.compile(
    r"(?:^|\n)\s*(?:objective|goal|task|context|expected output|output|format|constraints?|deadline|brief|request|"
    r"instructions?|title|style|length|audience|tone)\s*$",
    re.IGNORECASE,
)
_NOTES = re.compile(
    r"\b(?:notes?|material|text|content|points|findings|facts|information|data|input|following|below|this|these)"
    r"\s*:\s*(?P<n>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_COLON = re.compile(r":\s*(?P<n>\S.*)$", re.DOTALL)
# "... a summary of the following? Our team ...": material after a sentence that points at it
_POINTED = re.compile(
    r"\b(?:the following|following|below|these notes|this text|this material|these findings|this|these|"
    r"(?:my|our)\s+(?:[\w-]+\s+)?(?:notes|jottings|scribbles|points))\b"
    r"[^.?!:\n]{0,40}(?:[.?!]|\s[-–—](?=\s+[A-Z]))\s+(?P<n>\S.*)$",  # or a dash: "these notes pls - Volunteers ..."
    re.IGNORECASE | re.DOTALL,
)
# "Write a short report from my notes\nRevenue grew ...": material on the lines after the request
_NEXT_LINES = re.compile(
    r"^[^\n]*\b(?:report|outline|summary|summari[sz]e|write-?up|memo|briefing)\b[^\n]*\n+(?P<n>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_COUNT = re.compile(
    r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)[\s-]+"
    r"(?:key\s+|main\s+)?(?P<unit>sentences?|points?|bullets?|items?|lines?)\b",
    re.IGNORECASE,
)
_OUTLINE = re.compile(r"\b(outline|bullet[- ]?points?|key points|skeleton|table of contents)\b", re.IGNORECASE)
_SUMMARY = re.compile(r"\b(executive summary|summary|summari[sz]e|summing up|tl;?dr|recap|abstract)\b", re.I)
_REPORT = re.compile(r"\b(report|write[- ]?up|memo|briefing|write|draft|compose|document)\b", re.IGNORECASE)
_COMPUTE = re.compile(
    r"\b(compute|calculate|work out|solve|add up|sum up)\b"
    r"|\bwhat(?:'s| is) (?:the )?(?:sum|mean|average|median|product|total|square root)\b"
    r"|\d\s*[+*^]\s*\d|\d\s+[-/]\s+\d",
    re.IGNORECASE,
)
_ANALYSE = re.compile(
    r"\b(analy[sz]e|crunch|aggregate|group by|pivot|correlate|regress)\b[^.?!]*"
    r"\b(csv|table|data ?set|spreadsheet|columns?|rows?|data)\b|\bcsv\b[^.?!]*\banaly[sz]",
    re.IGNORECASE,
)
_CODE = re.compile(r"\b(python|javascript|typescript|code|function|script|program|sql|regex)\b", re.IGNORECASE)
_PRODUCT = re.compile(r"\b(report|outline|summary|summari[sz]e|memo|write-up|briefing)\b", re.IGNORECASE)
_POINTER = re.compile(r"\b(attached|subtasks?|dependenc\w+|s\d+)\b", re.IGNORECASE)
# a piece of prose of a few sentences: "a two line note to the parents", "a short message for the team"
_SHORT_FORM = re.compile(
    r"\b(?:note|message|e-?mail|letter|blurb|announcement|paragraph|post|caption|reply|update)\b", re.IGNORECASE
)
BRIEF_WORDS = re.compile(r"\b(short|brief|concise|quick|succinct)\b", re.IGNORECASE)
DETAILED_WORDS = re.compile(r"\b(detailed|in-depth|thorough|comprehensive|full|long|extensive)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    """What a writing request asks for. `skill` is None when it asks for nothing this worker does."""

    skill: str | None
    title: str | None
    style: Style
    count: int | None
    notes: str | None
    out_of_scope: str | None  # why the request belongs to another kind of agent, when it does
    short: bool = False  # a note, a message, a paragraph: a few sentences, not a report with sections


def split_reply(instruction: str) -> tuple[str, str | None]:
    """(the original request, the caller's latest reply or None) of a possibly multi-turn instruction."""
    parts = _REPLY.split(instruction)
    if len(parts) == 1:
        return instruction.strip(), None
    return parts[0].strip(), parts[-1].strip() or None


def find_title(text: str) -> tuple[str | None, tuple[int, int]]:
    """The requested title and its span in `text` ((0, 0) when none was found).

    A topic that only points at the material ("a summary of these notes") is not a title.
    """
    for pattern in (_QUOTED_TITLE, _TITLE_LINE, _TITLE_BARE, _TITLE_TOPIC):
        match = pattern.search(text)
        if match and match.group("t").strip() and not _DEICTIC.match(match.group("t").strip()):
            title = " ".join(match.group("t").split()).strip("'\" ")
            return title[:1].upper() + title[1:], match.span()
    return None, (0, 0)


def find_notes(text: str, title_span: tuple[int, int], has_materials: bool) -> str | None:
    """Material written inline after a colon ("from these notes: ..."), after a sentence pointing at it ("a
    summary of the following? Our team ..."), or on the lines after the request, outside the title's span.

    With materials attached, only an explicit lead-in word counts (briefs use colons for other things).
    """
    for pattern in (_NOTES,) if has_materials else (_NOTES, _COLON, _POINTED, _NEXT_LINES):
        for match in pattern.finditer(text):
            if title_span[0] <= match.start() < title_span[1]:
                continue
            notes = match.group("n").strip()
            if has_materials and len(notes.split()) < 15 and _POINTER.search(notes):
                continue  # "Input: the attached results of s1" points at the materials, it is not one
            if _DIRECTIONS.match(notes) and len(notes.split()) <= MAX_DIRECTION_WORDS:
                continue  # "a report on energy: cover solar and wind" says what to write about, not from
            if pattern is _COLON and _LABEL.search(text[: match.start()]):
                continue  # "Objective: summarize ..." labels a part of a brief
            if len(notes.split()) >= 3:
                return notes
    return None if has_materials else _named_points(text)


# "an outline for a staff meeting covering the new shift schedule, holiday coverage and the summer sale": the
# points the request names are its material (one per item), which is all the writer writes from
_COVERING = re.compile(
    r"\b(?:covering|including|that covers|which covers|with (?:sections|points) on)\s+(?P<items>.+)$", re.I | re.S
)


def _named_points(text: str) -> str | None:
    found = _COVERING.search(text.strip().rstrip(".!?"))
    if found is None:
        return None
    items = [i.strip(" ,.") for i in re.split(r",\s*(?:and\s+)?|\s+and\s+", found["items"]) if i.strip(" ,.")]
    if len(items) < 2 or any(len(i.split()) > 8 for i in items):
        return None
    return "\n".join(f"- {i[:1].upper()}{i[1:]}" for i in items)


def find_count(text: str) -> int | None:
    match = _COUNT.search(text)
    if match is None:
        return None
    raw = match.group("n").lower()
    return NUMBER_WORDS[raw] if raw in NUMBER_WORDS else int(raw)


def find_skill(head: str, hint: str | None) -> str | None:
    if hint in SKILLS:
        return hint
    if not head.strip():
        return "write_report"  # bare material with no instruction: write it up
    if _OUTLINE.search(head):
        return "outline"
    if _SUMMARY.search(head) and not re.search(r"\breport\b", head, re.IGNORECASE):
        return "executive_summary"
    if _REPORT.search(head) or _SUMMARY.search(head):
        return "write_report"
    return None


def out_of_scope(head: str, hint: str | None) -> str | None:
    """Why `head` asks for something that belongs to another agent (computing, data analysis), or None."""
    if hint in SKILLS:
        return None
    if _ANALYSE.search(head):
        return "analysing data or CSV tables is a job for a data analysis agent; I only write up results"
    if _COMPUTE.search(head):
        return "computing numbers is a job for a calculator agent; I only write up results I am given"
    if _CODE.search(head) and not _PRODUCT.search(head):
        return "writing code is outside my skills; I write reports, outlines and summaries of supplied material"
    return None


def read_request(instruction: str, skill_hint: str | None, has_materials: bool) -> Request:
    """Everything the policy needs from an instruction (see `Request`)."""
    request, reply = split_reply(instruction)
    title, span = find_title(request)
    notes = find_notes(request, span, has_materials)
    head = request[: request.find(notes)] if notes else request
    intent = head[: span[0]] + " " + head[span[1] :] if span != (0, 0) else head
    if reply is not None:
        notes = "\n\n".join(n for n in (notes, reply) if n)
    style: Style = "standard"
    if BRIEF_WORDS.search(head):
        style = "brief"
    elif DETAILED_WORDS.search(head):
        style = "detailed"
    return Request(
        skill=find_skill(head, skill_hint),
        title=title,
        style=style,
        count=find_count(head),
        notes=notes,
        out_of_scope=out_of_scope(intent, skill_hint),
        short=bool(_SHORT_FORM.search(head)) and not re.search(r"\b(?:report|outline|write-?up)\b", head, re.I),
    )
