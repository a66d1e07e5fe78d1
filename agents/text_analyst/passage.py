"""Finding the text to analyse inside a brief, and separating it from the request around it.

Contract of `split_text(instruction) -> (request, text | None)`: `text` is the passage the caller wants
analysed, verbatim apart from surrounding whitespace and quotes, or None when the instruction carries none (the
tools then read the attached materials). `request` is the instruction without that passage, so words inside
the passage never steer which analysis runs. Where the passage may be, in order of preference:

- a fenced block (```` ``` ```` or `~~~`, any info string);
- the longer of: a quoted span ("…", “…”, '…', ‘…’, «…»), or what follows the request: after its first colon
  (not one inside a label such as "Objective:", a time or a URL), on the lines after its first line, or after
  a first sentence that is itself the request ("Give me a 2-sentence summary. The council met …");
- the text above a closing request ("<text>\\n\\nSummarize this in one sentence.").

A Markdown blockquote (every line starting with `>`) loses its markers.

Apostrophes inside words ("don't", "it’s") never open or close a quote: a quote opens after a space, an
opening bracket or punctuation, and closes before a space, punctuation or the end.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"(?P<mark>```|~~~)[^\n]*\n(?P<body>.*?)(?:\n[ \t]*(?P=mark)|\Z)", re.DOTALL)
_QUOTES = {'"': '"', "\u201c": "\u201d", "'": "'", "\u2018": "\u2019", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_LABEL = re.compile(
    r"(?:^|\n)\s*(?:objective|goal|task|context|expected output|output|format|note|notes for you|instructions?|"
    r"brief|request|constraints?|deadline)\s*$",
    re.IGNORECASE,
)
_TEXT_LABEL = re.compile(
    r"^\s*(?:the\s+)?(?:text|review|input|article|passage|paragraph|content|e-?mail|message|comment|post|"
    r"feedback|transcript|excerpt)\s*:\s*",
    re.IGNORECASE,
)
ASKING = (
    r"summar|tl;?dr|\bgist\b|key ?words?|key (?:terms|phrases|points)|sentiment|\btone\b|\bmood\b|"
    r"word count|count (?:the )?words|how many (?:words|sentences|characters)|readab|text stat|analy[sz]"
)
_ASKING = re.compile(ASKING, re.IGNORECASE)
_POINTING = re.compile(r"\b(?:this|these|that|the following|following|below|here|above|it)\b", re.IGNORECASE)
_IMPERATIVE = re.compile(  # what follows a request when it is more instructions, not the text
    r"^\s*(?:keep (?:it|them)|make (?:it|them)|use|be (?:brief|concise|short)|only|return|focus|answer|reply|"
    r"include|avoid|limit|format|respond|output)\b",
    re.IGNORECASE,
)
MAX_REQUEST_WORDS = 25


def _strip(text: str) -> str:
    """`text` without surrounding whitespace, a leading "Text:" label, or quotes that wrap all of it."""
    text = _TEXT_LABEL.sub("", text.strip(), count=1).strip()
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(line.lstrip().startswith(">") for line in lines):  # a Markdown blockquote
        text = "\n".join(re.sub(r"^\s*>\s?", "", line) for line in text.splitlines()).strip()
    if text and quoted_spans(text) == [(0, len(text))]:
        return text[1:-1].strip()
    return text


def _fenced(instruction: str) -> tuple[str, str] | None:
    match = _FENCE.search(instruction)
    if match is None or not match["body"].strip():
        return None
    request = " ".join((instruction[: match.start()] + " " + instruction[match.end() :]).split())
    return request, match["body"].strip()


def _opens(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "'\u2019")


def _closes(text: str, j: int) -> bool:
    before, after = text[j - 1], text[j + 1] if j + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted span in `text`, quotes included, left to right, not nested."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        closer = _QUOTES.get(text[i])
        if closer is not None and _opens(text, i):
            j = next((j for j in range(i + 2, len(text)) if text[j] == closer and _closes(text, j)), -1)
            if j > 0:
                spans.append((i, j + 1))
                i = j + 1
                continue
        i += 1
    return spans


def _colon(instruction: str) -> int:
    """The first colon that introduces material: not after a label, inside a time ("10:30") or a URL."""
    for match in re.finditer(":", instruction):
        at = match.start()
        url = instruction[at + 1 : at + 3] == "//"
        time = instruction[at - 1 : at].isdigit() and instruction[at + 1 : at + 2].isdigit()
        if not (url or time or _LABEL.search(instruction[:at])):
            return at
    return -1


def _first_sentence(instruction: str) -> int:
    """Where a first sentence that is itself the request ends, or -1."""
    match = re.match(r"[^.?!\n]*[.?!]", instruction)
    if match is None:
        return -1
    head, rest = match.group(), instruction[match.end() :].strip()
    pointing = _POINTING.search(head) and (head.endswith("?") or re.search(r"following|below", head, re.I))
    if not rest or _IMPERATIVE.match(rest) or not (pointing or _ASKING.search(head)):
        return -1
    return match.end() - 1


def _after_request(instruction: str) -> tuple[str, str] | None:
    cuts = [p for p in (_colon(instruction), instruction.find("\n"), _first_sentence(instruction)) if p >= 0]
    if not cuts:
        return None
    position = min(cuts)
    head, tail = instruction[:position], instruction[position + 1 :].strip()
    if not tail or len(head.split()) > MAX_REQUEST_WORDS or _IMPERATIVE.match(tail):
        return None
    return head.strip(), tail


def _after_blank_line(instruction: str) -> tuple[str, str] | None:
    """ "How many words is this? The limit for the newsletter is 60.\n\n<text>": a short request paragraph (with
    a remark of the asker's) over the text; the remark is no part of the text."""
    head, _, tail = instruction.partition("\n\n")
    if not tail.strip() or "\n" in head.strip() or len(head.split()) > MAX_REQUEST_WORDS or head.rstrip().endswith(":"):
        return None
    sentences = [x for x in re.split(r"(?<=[.?!])\s+", head.strip()) if x]
    if len(sentences) < 2 or not (_ASKING.search(sentences[0]) and _POINTING.search(sentences[0])):
        return None
    return head.strip(), tail.strip()


def _before_request(instruction: str) -> tuple[str, str] | None:
    """A closing request under the text: "<text>\\n\\nSummarize this in one sentence."."""
    body, _, last = instruction.strip().rpartition("\n")
    if not body.strip() or len(last.split()) > MAX_REQUEST_WORDS or _ASKING.search(body.split("\n", 1)[0]):
        return None
    if _ASKING.search(last) and _POINTING.search(last):
        return last.strip(), body.strip()
    return None


def split_text(instruction: str) -> tuple[str, str | None]:
    """(request, text to analyse or None) of one instruction (see the module docstring)."""
    fenced = _fenced(instruction)
    if fenced is not None:
        return fenced
    candidates: list[tuple[str, str]] = []
    spans = quoted_spans(instruction)
    if spans:
        start, end = max(spans, key=lambda s: s[1] - s[0])
        candidates.append(((instruction[:start] + instruction[end:]).strip(), instruction[start + 1 : end - 1]))
    for found in (_before_request(instruction), _after_blank_line(instruction), _after_request(instruction)):
        if found is not None:
            candidates.append(found)
            break
    candidates = [(request, _strip(text)) for request, text in candidates if _strip(text)]
    if not candidates:
        return instruction, None
    if spans and len(candidates) > 1:
        quote = candidates[0][1]
        for _, text in candidates[1:]:
            rest = text.replace(quote, " ", 1).strip(" \n\"'\u201c\u201d\u2018\u2019«».")
            if quote in text and rest and (rest.endswith("?") or _ASKING.search(rest)):
                return candidates[0]  # 'review: "..." Is this positive or negative?': the question is no text
    return max(candidates, key=lambda c: len(c[1].split()))
