"""Reading a text-analysis request: what to do, how much, and which text.

The text to analyse is written inline (after a colon, inside double quotes, or on the lines after the
request), given in a reply to a question, or attached as materials (which the tools read themselves).
`read_request` separates the request from that text so keywords inside the text never steer the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SKILLS = ("summarize", "keywords", "sentiment", "text_stats")

_SKILL_PATTERNS = {
    "summarize": r"summar|tl;?dr|\bgist\b|condense|shorten|key points|main points|\babstract\b|\bsynopsis\b",
    "keywords": r"key ?words?|key terms|key phrases|\btopics\b|\btags\b|main terms|important (?:words|terms)",
    "sentiment": r"sentiment|\btone\b|\bpositive\b|\bnegative\b|\bfeel|\bopinion|\bemotion|\bmood\b|\battitude\b",
    "text_stats": r"word count|count (?:the )?words|how many (?:words|sentences|characters|paragraphs)|readab|"
    r"reading (?:ease|level|time)|grade level|flesch|text stat|\bstatistics\b|\bstats\b|(?:sentence|word) length",
}
_GENERIC = re.compile(r"\banaly[sz](?:e|is)\b|\bexamine\b|\bbreak down\b", re.IGNORECASE)
_ELSEWHERE = re.compile(
    r"\d\s*(?:[-+*/^×÷]|\*\*)\s*\d|\b(?:calculate|compute|convert|solve|equation|arithmetic|mean of|average of|"
    r"standard deviation|variance|sum of|multiply|divide|square root|sqrt|percent of|table|csv|spreadsheet|"
    r"columns?|rows|chart|plot|pivot|dataset|data set|sql|query)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a single": 1,
    "a": 1,
}
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a single|a)"
_SENTENCES = re.compile(_COUNT + r"[- ]sentences?\b", re.IGNORECASE)
_TOP = re.compile(
    r"(?:top\s+)?" + _COUNT + r"\s+(?:most\s+\w+\s+)?(?:key ?words|keywords|key terms|key phrases|"
    r"terms|phrases|topics|tags|words)\b|\btop\s+(\d+)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\"([^\"]{3,})\"|“([^”]{3,})”")
_REPLY = re.compile(r"^The caller (?:replied|added): ", re.MULTILINE)
_POINTING = re.compile(r"^(?P<head>[^.?!]*\b(?:this|these|following|below|here)\b[^.?!]*[.?!])\s+\S", re.IGNORECASE)
_ASKED = re.compile(r"^You asked: (.*)$", re.MULTILINE)

ASK_TEXT = "Which text should I analyse? Paste it after a colon, or attach it to your reply."
ASK_TASK = "What should I do with this text: summarize it, extract keywords, judge its sentiment, or measure it?"


@dataclass(frozen=True)
class Request:
    request: str  # what the caller asked for, without the text to analyse
    text: str | None  # the text written in the instruction or a reply, if any
    skills: tuple[str, ...]  # skills named by the request, in card order
    generic: bool  # "analyse this" without naming a skill
    elsewhere: bool  # signs of arithmetic or tabular work
    sentences: int
    top: int


def _count(match: re.Match[str] | None, default: int) -> int:
    if match is None:
        return default
    raw = next(g for g in match.groups() if g).lower()
    return int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, default)


def split_inline(instruction: str) -> tuple[str, str | None]:
    """(request, inline text): the text after a colon, inside double quotes, or after the first line."""
    colon = instruction.find(":")
    quoted = _QUOTED.search(instruction)
    newline = instruction.find("\n")
    pointing = _POINTING.match(instruction)  # "What are the key terms in this text? Electric cars ..."
    sentence_end = -1
    if pointing and (pointing["head"].endswith("?") or re.search(r"following|below", pointing["head"], re.I)):
        sentence_end = len(pointing["head"]) - 1
    cuts = [
        (p, kind)
        for p, kind in ((colon, ":"), (quoted.start() if quoted else -1, '"'), (newline, "\n"), (sentence_end, "."))
        if p >= 0
    ]
    if not cuts:
        return instruction, None
    position, kind = min(cuts)
    if kind == '"' and quoted is not None:
        text = quoted.group(1) or quoted.group(2)
        return (instruction[: quoted.start()] + instruction[quoted.end() :]).strip(), text.strip()
    head, tail = instruction[:position], instruction[position + 1 :].strip()
    if not tail or len(head.split()) > 25:
        return instruction, None
    return head.strip(), tail


def _mostly_numbers(text: str) -> bool:
    tokens = re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", text)
    return bool(tokens) and sum(t[0].isdigit() for t in tokens) > len(tokens) / 2


def read_request(instruction: str, skill_hint: str | None = None) -> Request:
    """The request, its inline text, the skills it names and its sizes (sentences, top keywords)."""
    original = instruction.split("\n\nYou asked:", 1)[0].split("\n\nThe caller added:", 1)[0]
    replies = _REPLY.split(instruction)[1:]
    request, text = split_inline(original.strip())
    questions = _ASKED.findall(instruction)
    if replies and questions and questions[-1].strip() == ASK_TASK:
        request = f"{request} {replies[-1].strip()}".strip()  # the reply says what to do, not what to read
    elif text is None and replies:
        reply_request, reply_text = split_inline(replies[-1].strip())
        text = reply_text or reply_request or None
        request = f"{request} {reply_request if reply_text else ''}".strip()
    lowered = request.lower()
    if skill_hint in SKILLS:
        skills: tuple[str, ...] = (skill_hint,)
    else:
        skills = tuple(s for s in SKILLS if re.search(_SKILL_PATTERNS[s], lowered))
    numeric = skills == ("text_stats",) and not re.search(r"text|word|sentence|read", lowered)
    elsewhere = bool(_ELSEWHERE.search(request)) or (numeric and _mostly_numbers(text or request))
    return Request(
        request=request,
        text=text,
        skills=() if numeric and elsewhere and skill_hint not in SKILLS else skills,
        generic=bool(_GENERIC.search(request)),
        elsewhere=elsewhere,
        sentences=max(1, min(20, _count(_SENTENCES.search(request), 3))),
        top=max(1, min(50, _count(_TOP.search(request), 10))),
    )
