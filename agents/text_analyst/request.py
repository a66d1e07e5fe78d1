"""Reading a text-analysis request: what to do, how much, and which text.

The text to analyse is written inline (found by `passage.split_text`: quoted, fenced, after a colon or the
request's first line or sentence), given in a reply to a question, or attached as materials (which the tools
read themselves). `read_request` separates the request from that text so keywords inside the text never
steer the policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .passage import split_text

SKILLS = ("summarize", "keywords", "sentiment", "text_stats")

_SKILL_PATTERNS = {
    "summarize": r"summar|tl;?dr|\bgist\b|condense|shorten|key points|main points|\babstract\b|\bsynopsis\b",
    "keywords": r"key ?words?|key terms|key phrases|\btopics\b|\btags\b|main terms|important (?:words|terms)|"
    r"(?:top|most (?:common|frequent|used)|commonest)\s+(?:\d+\s+)?(?:words|terms)|word frequenc",
    "sentiment": r"sentiment|\btone\b|\bpositive\b|\bnegative\b|\bfeel|\bopinion|\bemotion|\bmood\b|\battitude\b",
    "text_stats": r"(?:word|sentence|character|paragraph) count|how long is|length of (?:the|this|that)|"
    r"\bcount (?:the |of )?(?:words|sentences|characters|paragraphs|syllables)|"
    r"(?:how many|number of) (?:words|sentences|characters|paragraphs|syllables)|readab|"
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
    "single": 1,
    "a": 1,
}
_COUNT = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|a single|single|a)"
_SENTENCES = re.compile(_COUNT + r"[- ](?:short\s+)?(?:sentences?|lines?|liner)\b", re.IGNORECASE)
_ONE_SENTENCE = re.compile(r"\b(?:tl;?dr|one-?liner|in a nutshell|in brief)\b", re.IGNORECASE)
_SHORT = re.compile(r"\b(?:short|brief|quick|concise)\s+(?:summary|gist|overview)\b", re.IGNORECASE)
_TOP = re.compile(
    r"(?:top\s+)?" + _COUNT + r"\s+(?:most\s+\w+\s+)?(?:key ?words|keywords|key terms|key phrases|"
    r"terms|phrases|topics|tags|words)\b|\btop\s+(\d+)\b",
    re.IGNORECASE,
)
_REPLY = re.compile(r"^The caller (?:replied|added): ", re.MULTILINE)
_ASKED = re.compile(r"^You asked: (.*)$", re.MULTILINE)

_WRITING = re.compile(
    r"\b(?:write|draft|compose|prepare|produce|create)\b[^.?!]*\b(?:report|outline|memo|executive summary|essay|"
    r"letter|e-?mail|article|blog post|press release)\b|\bexecutive summary\b|\boutline\b",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"\b(?:attached|attachment|enclosed|uploaded|the (?:report|document|file|article|review|email|text|notes|output|"
    r"material|transcript|feedback)|from (?:step|subtask|s)\s*\d+|earlier step|previous step|above)\b",
    re.IGNORECASE,
)
MIN_INLINE_WORDS = 12  # shorter unquoted inline "text" beside attached material is a remark, not the text
ASK_TEXT = "Which text should I analyse? Paste it after a colon, or attach it to your reply."
ASK_TASK = "What should I do with this text: summarize it, extract keywords, judge its sentiment, or measure it?"


@dataclass(frozen=True)
class Request:
    request: str  # what the caller asked for, without the text to analyse
    text: str | None  # the text written in the instruction or a reply, if any
    skills: tuple[str, ...]  # skills named by the request (or the caller's chosen one), in card order
    named: bool  # the request's own words name a skill (not only the caller's hint)
    generic: bool  # "analyse this" without naming a skill
    elsewhere: bool  # signs of arithmetic or tabular work
    sentences: int
    top: int


def _count(match: re.Match[str] | None, default: int) -> int:
    if match is None:
        return default
    raw = next(g for g in match.groups() if g).lower()
    return int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, default)


def _mostly_numbers(text: str) -> bool:
    tokens = re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", text)
    return bool(tokens) and sum(t[0].isdigit() for t in tokens) > len(tokens) / 2


def _sentences(request: str) -> int:
    """How many sentences a summary should have: "in 2 sentences", "one-line", "tl;dr" (1), "short" (2)."""
    default = 1 if _ONE_SENTENCE.search(request) else 2 if _SHORT.search(request) else 3
    return max(1, min(20, _count(_SENTENCES.search(request), default)))


def _note_about_attachment(request: str, text: str, instruction: str) -> bool:
    """Whether inline "text" is only a remark on attached material ("Summarize the attached report. Note: the
    audience is the board."): short, unquoted, after a request that points at an attachment."""
    quoted = any(f"{q}{text}" in instruction for q in "\"'\u201c\u2018`")
    return not quoted and len(text.split()) < MIN_INLINE_WORDS and bool(_ATTACHED.search(request))


def read_request(instruction: str, skill_hint: str | None = None, *, has_materials: bool = False) -> Request:
    """The request, its inline text, the skills it names and its sizes (sentences, top keywords). With
    materials attached, a short unquoted remark after a request about them is not the text to analyse."""
    original = instruction.split("\n\nYou asked:", 1)[0].split("\n\nThe caller added:", 1)[0]
    replies = _REPLY.split(instruction)[1:]
    request, text = split_text(original.strip())
    if text is not None and has_materials and _note_about_attachment(request, text, original):
        request, text = original.strip(), None
    questions = _ASKED.findall(instruction)
    if replies and questions and questions[-1].strip() == ASK_TASK:
        request = f"{request} {replies[-1].strip()}".strip()  # the reply says what to do, not what to read
    elif text is None and replies:
        reply_request, reply_text = split_text(replies[-1].strip())
        text = reply_text or reply_request or None
        request = f"{request} {reply_request if reply_text else ''}".strip()
    lowered = request.lower()
    named = tuple(s for s in SKILLS if re.search(_SKILL_PATTERNS[s], lowered))
    # a chosen skill wins unless the caller's words ask for another of ours ("How many words are in ...")
    skills = (skill_hint,) if skill_hint in SKILLS and (skill_hint in named or not named) else named
    if skill_hint not in SKILLS and _WRITING.search(request):
        skills = ()  # a report, an outline, an executive summary: a writer's products, not an extract
    numeric = skills == ("text_stats",) and not re.search(r"text|word|sentence|read", lowered)
    elsewhere = bool(_ELSEWHERE.search(request)) or (numeric and _mostly_numbers(text or request))
    return Request(
        request=request,
        text=text,
        skills=() if numeric and elsewhere and skill_hint not in SKILLS else skills,
        named=bool(named),
        generic=bool(_GENERIC.search(request)),
        elsewhere=elsewhere,
        sentences=_sentences(request),
        top=max(1, min(50, _count(_TOP.search(request), 10))),
    )
