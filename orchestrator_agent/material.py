"""The data in a goal: quoted text (straight, curly or guillemet quotes), fenced blocks, pasted tables (CSV, TSV,
Markdown pipes), text introduced by a colon after an instruction ("Summarize in one sentence: ...", "from these
notes: ..."), and paragraphs of prose beside the paragraph that asks something.

`mask_data` replaces each with a placeholder so that the goal can be cut into requests without cutting inside
data; `restore` puts the data back. Pure functions over strings.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from dataclasses import dataclass

from .lexicon import (
    EVERYDAY,
    LIGHT_VERBS,
    LIST_ITEM,
    QUESTION_WORDS,
    REQUEST_VERBS,
    starts_request,
    strip_polite,
    words_of,
)

OPEN, CLOSE = "\ue000", "\ue001"  # placeholders for data spans while the goal is cut into requests
PLACEHOLDER = re.compile(OPEN + r"(\d+)" + CLOSE)


@dataclass(frozen=True)
class Span:
    """A piece of data in the goal: `kind` is quote | fence | table | introduced."""

    text: str
    kind: str

    @property
    def media_type(self) -> str:
        if self.kind == "table" and self.text.lstrip().startswith("["):
            return "application/json"
        return "text/csv" if self.kind == "table" and "|" not in self.text.splitlines()[0] else "text/plain"


_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.S)
_QUOTES = (
    re.compile(r"\"([^\"\n]{1,}?(?:\n[^\"\n]+?)*)\""),
    re.compile(r"“([^”]+)”"),
    re.compile(r"„([^“”]+)[“”]"),
    re.compile(r"«\s?([^»]+?)\s?»"),
    re.compile(r"‘([^’]+(?:’\w[^’]*)*)’(?!\w)"),
    # single quotes: not an apostrophe (don't, the team's): opened after a space or punctuation, closed before one
    re.compile(r"(?:(?<=^)|(?<=[\s(:\[]))'((?:[^'\n]|'(?=\w))+?)'(?=$|[\s.,;:!?)\]])", re.M),
)
_TABLE_LINE = re.compile(r"^\s*(?:[^,\t|\n]*[,\t|]){1,}[^\n]*$")
_INTRO_MARKERS = re.compile(
    r"\b(?:this|these|the following|following|below|from|of|notes?|text|review|paragraph|article|email|letter|"
    r"passage|"
    r"data|table|csv|numbers|values|scores|sentence|reviews|feedback|comments?|transcript|summary|"
    r"here (?:it|they|this|that) (?:is|are)|here you go|here goes|it (?:reads|says|goes))\s*:\s*$",
    re.I,
)


def _table_block(lines: list[str], start: int) -> int:
    """The end (exclusive) of a pasted table starting at line `start`, or `start` when there is none."""
    first = lines[start]
    delim = "|" if first.count("|") >= 2 else "\t" if "\t" in first else "," if "," in first else ""
    if not delim or not _TABLE_LINE.match(first):
        return start
    columns = _cells(first, delim)
    end = start + 1
    while end < len(lines) and lines[end].strip() and _cells(lines[end], delim) == columns and not _prose(lines[end]):
        end += 1
    if end - start < 2:
        return start
    header_words = re.split(r"[,\t|]", first)
    if delim == "," and any(len(w.split()) > 4 for w in header_words):  # a sentence with commas, not a header
        return start
    return end


def _cells(line: str, delim: str) -> int:
    """How many cells a table line has; CSV fields may be quoted and hold the delimiter ("Austin, TX")."""
    if delim == ",":
        return len(next(csv.reader([line.strip()]), []))
    return len(line.strip().strip("|").split(delim))


def _prose(line: str) -> bool:
    """A sentence after a table ("First, total the units per site. Then ..."), not a row of it."""
    return bool(re.search(r"[a-z]\.\s+[A-Z]", line)) or (
        '"' not in line and any(len(cell.split()) > 6 for cell in re.split(r"[,\t|]", line))
    )


_JSON_ROWS = re.compile(r"\[\s*\{.*?\}\s*\]", re.S)


def _mask_json(text: str, spans: list[Span]) -> str:
    """An inline JSON array of objects ('[{"product": "Lamp", "price": 25}, ...]') is a table."""

    def keep(match: re.Match[str]) -> str:
        try:
            rows = json.loads(match.group(0))
        except ValueError:
            return match.group(0)
        if not (isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)):
            return match.group(0)
        spans.append(Span(match.group(0), "table"))
        return f"{OPEN}{len(spans) - 1}{CLOSE}"

    return _JSON_ROWS.sub(keep, text)


def _mask_tables(text: str, spans: list[Span]) -> str:
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _table_block(lines, i)
        if end > i:
            spans.append(Span("\n".join(lines[i:end]).strip("\n"), "table"))
            out.append(f"{OPEN}{len(spans) - 1}{CLOSE}")
            i = end
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _mask(pattern: re.Pattern[str], text: str, spans: list[Span], kind: str) -> str:
    def keep(match: re.Match[str]) -> str:
        spans.append(Span(match.group(1).strip("\n"), kind))
        return f"{OPEN}{len(spans) - 1}{CLOSE}"

    return pattern.sub(keep, text)


def _wants_material(instruction: str) -> bool:
    """Whether the words before a colon are an instruction that takes material ("Summarize in one sentence",
    "the average of", "from these notes"), as opposed to a heading of requests ("Two things", "Please do this")."""
    words = words_of(instruction)
    if not words:
        return False
    if _INTRO_MARKERS.search(instruction + ":"):
        return True
    # the verb of an instruction opens it, or follows "please", "can you", "to" ("Landing page test results are
    # in:" and "Support numbers for the ops review:" are headings of data, their "page" and "review" nouns)
    opener = words_of(strip_polite(instruction))[:1]
    after = [b for a, b in itertools.pairwise(words) if a in ("please", "pls", "you", "u", "to", "and", "then")]
    verbs = [w for w in opener + after if w in REQUEST_VERBS and w not in LIGHT_VERBS]
    everyday = any(pattern.search(instruction) for pattern, _ in EVERYDAY)  # "boil this down to one line:"
    everyday = everyday or bool(_PRODUCT.search(instruction))  # "Executive summary please: ..."
    return bool(verbs or everyday or _MATERIAL_NAMED.search(instruction)) or bool(
        re.search(r"\b(?:this|these|the following)\s+\w+\s*$", instruction, re.I)
    )


_PRODUCT = re.compile(
    r"\b(?:summary|summari[sz]e|report|outline|overview|recap|write-?up|bullet points|keywords|sentiment|tl;?dr)\b",
    re.I,
)
# "Turn these notes into ...", "a report from these points about our fun run": the instruction names its material
_MATERIAL_NAMED = re.compile(
    r"\b(?:this|these|those|the following|my|our)\s+(?:\w+\s+)?(?:notes?|points?|bullets?|bullet points|facts|"
    r"details|items|highlights|updates?|text|paragraph|passage|comments?|feedback|reviews?|minutes|findings|"
    r"remarks|observations|takeaways|list|figures|numbers|prices|amounts|expenses|scores|readings|bills|quotes)\b",
    re.I,
)


# a dash after the named material, before its first sentence, is the colon that introduces it
_DASH_INTRO = re.compile(
    r"(\b(?:this|these|those|the following|my|our)\s+(?:[\w-]+\s+){0,3}?(?:notes?|points?|bullets?|facts|details|"
    r"items|highlights|updates?|text|paragraph|passage|comments?|feedback|reviews?|minutes|findings|remarks|"
    r"observations|takeaways)\b[^\n.?!:\ue000]{0,30}?)\s+[-–—]\s+(?=[A-Z])",
    re.I,
)


_FOLLOWING = re.compile(
    r"\b(?:the following|as follows|below|(?:this|these|the following) (?:text|passage|paragraph|review|article|"
    r"notes?|draft|email|letter|story|statement|comments?|feedback))\s*[?.!]\s+(?=\S)",
    re.I,
)


def _mask_introduced(text: str, spans: list[Span]) -> str:
    """Text after "<instruction>:" is data when the instruction takes material: always after "this text:",
    "the following:", "these notes:"; after another instruction unless a list of requests or a request follows
    ("Two things: 1. ...", "Answer from the library: what is X? Then ..."). It runs to the end of the goal, or
    to the next request when it is a list of numbers or a request follows it; the rest is read again."""
    out = _DASH_INTRO.sub(r"\1: ", text)  # "a bullet outline of these notes pls - Volunteers sign in ..."
    search_from = 0
    while True:
        colon = _find_colon(out, search_from)
        if colon < 0:
            return _mask_following(out, spans)
        head_start = max(
            out.rfind("\n", 0, colon),
            max(out.rfind(". ", 0, colon), out.rfind("? ", 0, colon)) + 1,
            out.rfind(":", 0, colon) + 1,  # "do two things: work out ... and a summary of this: ..."
        )
        head = out[head_start:colon]
        tail = out[colon + 1 :]
        stripped = tail.strip()
        label = _LABEL.fullmatch(head)
        # but "a one-paragraph summary of how May went. notes: Sales were up ...": the material of that summary
        before = out[:head_start]
        asked_before = before.rstrip().endswith("?") or any(
            starts_request(sentence) for sentence in re.split(r"(?<=[.!?])\s+", before) if sentence.strip()
        )  # "... can you boil them down to two sentences? Notes: ...": the notes of the request before them
        material_label = (
            bool(label) and head.strip().lower() not in _ASIDES and (bool(_PRODUCT.search(before)) or asked_before)
        )
        if label and not material_label:
            search_from = colon + 1  # "Context: we're reviewing ...": a label, not an instruction
            continue
        if ANNOUNCES.search(head):
            search_from = colon + 1  # "I've got two questions about my numbers: ...": requests follow
            continue
        if re.match(PLACEHOLDER.pattern, stripped):
            search_from = colon + 1  # 'a customer email: "..." What is its tone?': the quote is the data
            continue
        first = re.split(r"(?<=[.!?])\s+|\n", stripped, maxsplit=1)[0] if stripped else ""
        asks = bool(words_of(first)[:1]) and words_of(first)[0] in QUESTION_WORDS  # ": what it recommends, how ..."
        listed = _lists_requests(head, tail)
        acts = any(w in REQUEST_VERBS and w not in LIGHT_VERBS for w in words_of(head))
        marked = bool(_INTRO_MARKERS.search(head + ":")) and not (listed and not acts)  # "do these:\n1. ..."
        if marked and asks and _BLANK_LINE.search(stripped):
            marked = False  # "Before I file this: what's the word count, and ...?\n\n<text>": questions, then text
        if first.rstrip().endswith("?") and _ASKED_OF_IT.search(first) and not starts_request(head):
            # "Support numbers for the ops review: tickets per week were 42, 38 ..., so what's the mean?": the
            # heading's own question follows its numbers; nothing here is material handed over
            marked = material_label = False
            asks = True
        data = (
            bool(stripped)
            and not PLACEHOLDER.fullmatch(stripped)
            and (
                marked
                or material_label
                or (
                    _wants_material(head)
                    and not listed
                    and not asks
                    and not (starts_request(first) and (first.endswith("?") or not _looks_like_prose(stripped)))
                )
            )
        )
        cut = _NEXT_REQUEST.search(stripped)
        cut = cut if cut and _asks(stripped[cut.end() :]) else None
        if LIST_ITEM.match(out[out.rfind("\n", 0, colon) + 1 : colon]):
            # "1. mean and median of these scores: 72, 85, 94\n2. what is ...": an item's data ends with it
            cut = cut or re.search(r"\n(?=\s*(?:\d{1,2}[.)]|[-*•])\s+)", stripped)
        # "Notes: Customers asked for ... I also need you to look up the share price": a request ends the notes
        cut = cut or _LATER_REQUEST.search(stripped)
        if cut is None and _SAYS_WHAT_FOLLOWS.match(head):
            # "Here's my shopping list: eggs 2.40, milk 1.15. Whats the total?": the asker's question after it
            cut = _TRAILING_QUESTION.search(stripped)
        own = stripped[: cut.start()] if cut else stripped  # what the head's question is asked of
        if data and _ASKS_AMOUNT.search(head) and len(re.findall(r"(?<![\w.])\d[\d.,]*", own)) >= 2:
            data = _looks_like_prose(own) and len(own.split()) > 40  # "how much paint i need: the wall
            # is 4.2 m by 2.6 m and one litre covers 10 square metres": the givens of the question, not a text
        if not data:
            search_from = colon + 1
            continue
        if _EXPRESSION_THEN.match(stripped):
            search_from = colon + 1
            continue
        numbers = _NUMBERS_THEN.match(stripped) or _labelled_numbers_then(stripped)
        if numbers:  # "my scores: 78, 85, 92. Find the average ...": the data is the list, the rest requests
            spans.append(Span(numbers.group(1), "introduced"))
            placeholder = f"{OPEN}{len(spans) - 1}{CLOSE}"
            rest = _mask_introduced(stripped[numbers.end() :], spans)  # "... pull out the keywords: <notes>"
            return out[: colon + 1] + f" {placeholder}. " + rest
        # "... for the attendees. Notes: <notes>": the label goes with the notes it names
        # (but after a question, "... to two sentences? Notes: ...", the label stays: it says where the notes start)
        before = out[:head_start] if material_label and not before.rstrip().endswith("?") else out[: colon + 1]
        if cut:
            # "Reverse the words of: mat the on sat, then write a report on the result": the data ends there
            spans.append(Span(stripped[: cut.start()].strip(), "introduced"))
            placeholder = f"{OPEN}{len(spans) - 1}{CLOSE}"
            rest = _mask_introduced(stripped[cut.start() :], spans)
            return before + f" {placeholder}" + rest
        spans.append(Span(stripped, "introduced"))
        return before + f" {OPEN}{len(spans) - 1}{CLOSE}"


_ASKED_OF_IT = re.compile(
    r"(?:^|[,;]\s*(?:so|and|but)?\s*)(?:what(?:'s|s| is| are| was)|how (?:many|much|long|far)|can you|could you)\b",
    re.I,
)
_LABEL = re.compile(
    r"\s*(?:context|note|notes|background|fyi|info|p\.?s\.?|update|re|materials?|facts|details|key points|intro|"
    r"draft|copy|excerpt|passage|email|message|post|caption|bio|announcement|paragraph|notice|blurb|transcript)\s*",
    re.I,
)
_ASIDES = frozenset("context fyi p.s. ps update re".split())  # labels of what the asker adds, not of material
_SAYS_WHAT_FOLLOWS = re.compile(
    r"\s*(?:here(?:'s| is| are)|this is|these are|i have|i've got|we have|my|our|attached)\b", re.I
)
_TRAILING_QUESTION = re.compile(
    r"(?<=[.!])\s+(?=(?:what|whats|what's|which|how|who|where|when|why|is|are|do|does|can you|could you)\b"
    r"[^.!?]*\?\s*$)",
    re.I,
)
# a request after the sentences of some material, which the material does not say
# (the asker speaking to the worker: not "Then it snowed" or an email's "Please park elsewhere")
_LATER_REQUEST = re.compile(
    r"(?<=[.!])\s+(?=(?:I|we)\s+(?:also\s+|really\s+|then\s+)?(?:need|want|would like|'d like)\s+(?:you|u)\s+to\b|"
    r"(?:Also|Finally),?\s+(?:please|can you|could you)\s+[a-z]+\b|(?:Could|Can) you (?:also|please)\s+[a-z]+\b)"
)
_ASKS_AMOUNT = re.compile(r"\bhow (?:much|many|long|far|big|heavy|fast)\b|\bwhat(?:'s| is| will| would)\b", re.I)
ANNOUNCES = re.compile(
    r"\b(?:two|three|four|five|a few|few|some|a couple of|couple of|several)\s+(?:quick\s+|small\s+|more\s+)?"
    r"(?:questions|things|requests|tasks|calculations|jobs|items|conversions|favou?rs)\b|"
    # "I need two numbers: 7 factorial, and ...": the numbers wanted, not given
    r"\b(?:need|want|give me|get me|tell me|find me)\s+(?:two|three|four|2|3|4)\s+"
    r"(?:numbers|figures|answers|results|values)\b",
    re.I,
)
_NEXT_REQUEST = re.compile(
    r"(?:[,;.]\s+|\s*\n\s*)(?:and\s+)?(?:then|also|finally|after that|afterwards|separately|additionally|"
    r"in addition|besides|unrelated(?:ly)?|on another note|one more thing|plus|oh and|p\.?s\.?)\b,?\s*",
    re.I,
)
_NUMBERS_THEN = re.compile(
    # "230, 180 ms", but not into the next item of a numbered list ("... 85, 94\n2. what is ...")
    r"([-+]?\d[\d.]*(?:(?!\s*\n\s*\d{1,2}[.)]\s)\s*(?:,|;|and|&)?\s*[-+]?\d[\d.]*)+(?:\s*(?:%|[A-Za-z]{1,5}\b))?)"
    r"\s*(?:[.;,]|\s--|\s[-–—]|\s?—)\s+(?=[A-Za-z])"
)
_FIRST_SENTENCE = re.compile(r"(.+?[^\d\s.])\.\s+(?=[A-Za-z])", re.S)


def _labelled_numbers_then(text: str) -> re.Match[str] | None:
    """ "145 labour, 89.50 parts, 230 tyres and 60 for the MOT. Use that number to ...": a first sentence of
    amounts under their names (each item one number and a few words), with more after it."""
    first = _FIRST_SENTENCE.match(text)
    if first is None:
        return None
    items = [i for i in re.split(r"[,;]|\band\b|&", first.group(1)) if i.strip()]
    labelled = len(items) >= 2 and all(
        len(re.findall(r"(?<![\w.])[$€£]?\d[\d.,]*", item)) == 1 and len(re.findall(r"[A-Za-z]+", item)) <= 4
        for item in items
    )
    return first if labelled else None


# "Add up these invoices: 48.50 + 37.25 + 112.80, then ...": an expression after the colon is the request's own
_EXPRESSION_THEN = re.compile(r"[-+(]?\s*\d[\d.,]*(?:\s*(?:[-+*/^x×]|\*\*)\s*\(?\s*\d[\d.,]*\)?)+")


# "Can you turn these notes into a bullet outline for the couple? Ceremony 3pm at the orchard, ...": the notes
# named in the request, told in the sentences after it
_NOTES_NAMED = re.compile(
    r"\b(?:these|my|our|the following)\s+(?:\w+\s+)?(?:notes?|points|details|bullet points|jottings|minutes|"
    r"thoughts|facts|items|scribbles|ramblings|bullets)\b[^?.!:\n\ue000]{0,160}[?.!]\s+(?=[A-Z]|(?:\d{1,2}[.)]|[-*•])\s)",
    re.I,
)


# "make a bullet outline of these for the noticeboard pls\nAGM notes - 14 members came. ...", "Can you boil this
# listing down to 2 sentences?\nCharming terrace ...": the request points at what is on the lines below it
_POINTS_BELOW = re.compile(
    r"\A[^\n\ue000]*\b(?:(?:of|from|with|into|on|for|summari[sz]e|outline|condense)\s+(?:these|this|the following|"
    r"what(?:'s| is) below|below)|(?:boil|turn|cut|trim|shorten|tidy|rewrite|edit)\s+(?:this|these)(?:\s+\w+)?)\b"
    r"(?!\s+(?:numbers|figures|table|data|csv|scores)\b)[^\n\ue000]*\n",
    re.I,
)


def _mask_lines_below(text: str, spans: list[Span]) -> str:
    found = _POINTS_BELOW.search(text)
    head = found.group(0).strip() if found else ""
    if not found or not (starts_request(head) or head.endswith("?") or _WISH.match(head)):
        return _mask_named_notes(text, spans)
    rest = text[found.end() :].strip()
    sentences = [x for x in re.split(r"(?<=[.!?])\s+|\n+", rest) if x.strip()]
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 12 or OPEN in rest or LIST_ITEM.match(rest):
        return _mask_named_notes(text, spans)
    if any(starts_request(x) or x.rstrip().endswith("?") or _WISH.match(x) for x in sentences):
        return _mask_named_notes(text, spans)  # requests follow, not material
    spans.append(Span(rest, "introduced"))
    return text[: found.end()].rstrip() + f" {OPEN}{len(spans) - 1}{CLOSE}"


def _mask_named_notes(text: str, spans: list[Span]) -> str:
    found = _NOTES_NAMED.search(text)
    if not found:
        return text
    rest = text[found.end() :].strip()
    if len(re.findall(r"[A-Za-z]{2,}", rest)) < 12 or OPEN in rest:
        return text
    if LIST_ITEM.match(rest):
        if _lists_requests("these notes", rest):
            return text  # "... my notes?\n1. sum these\n2. ...": a list of requests
    elif any(_asks_for_work(x) for x in re.split(r"(?<=[.!?])\s+|\n+", rest) if x.strip()):
        return text  # requests follow, not notes
    spans.append(Span(rest, "introduced"))
    return text[: found.end()].rstrip() + f" {OPEN}{len(spans) - 1}{CLOSE}"


# "a short report titled 'Spring market stall' from my notes? We sold 120 jars ...": the asker's own notes follow
_OWN_NOTES = re.compile(
    r"\b(?:my|our)\s+(?:[\w-]+\s+)?(?:notes|jottings|scribbles|bullet points|points|rough notes)\s*[?.!]\s+(?=\S)", re.I
)


def _mask_following(text: str, spans: list[Span]) -> str:
    """ "... an executive summary of the following? Our support team handled ...": the rest is the material."""
    found = _FOLLOWING.search(text)
    own = _OWN_NOTES.search(text) if not found else None
    if own is not None:
        rest = text[own.end() :].strip()
        if _looks_like_prose(rest) and not _asks(rest) and not PLACEHOLDER.search(rest):
            spans.append(Span(rest, "introduced"))
            return text[: own.end()].rstrip() + f" {OPEN}{len(spans) - 1}{CLOSE}"
    if not found:
        return _mask_lines_below(text, spans)
    rest = text[found.end() :].strip()
    if PLACEHOLDER.fullmatch(rest):
        return text
    first, _, after = [*re.split(r"((?<=[?.!])\s+|\n+)", rest, maxsplit=1), "", ""][:3]
    if starts_request(first) or first.rstrip().endswith("?"):
        # "... my notes below. Could you turn them into a report?\n- parents happy ...": the request comes
        # first and the material after it (when what follows is more than data already masked)
        after = after.strip()
        points = bool(LIST_ITEM.match(after)) and not _lists_requests("these points", after)
        if not after or PLACEHOLDER.fullmatch(after) or not (points or _looks_like_prose(PLACEHOLDER.sub("", after))):
            return text
        spans.append(Span(after, "introduced"))
        return text[: found.end()].rstrip() + f" {first} {OPEN}{len(spans) - 1}{CLOSE}"
    spans.append(Span(rest, "introduced"))
    return text[: found.end()].rstrip() + f" {OPEN}{len(spans) - 1}{CLOSE}"


def _asks(text: str) -> bool:
    """ "then write a report", "Also our rate is 0.12 per word, what do we owe?": a request, or a sentence that
    ends in a question (what a text being handed over rarely does right after "also")."""
    first = re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0]
    return starts_request(text) or first.rstrip().endswith("?")


def _lists_requests(head: str, tail: str) -> bool:
    """Whether the text after a colon is a list of requests ("Do these:\n1. 345 + 678\n2. how many ..."), as
    opposed to a list of points the instruction names as its material ("a report from these points:\n- 120
    volunteers came\n- we raised $4,300")."""
    if not LIST_ITEM.match(tail.lstrip("\n")):
        return False
    if not _MATERIAL_NAMED.search(head):
        return True
    items = [LIST_ITEM.sub("", line) for line in tail.split("\n") if LIST_ITEM.match(line)]
    asking = [item for item in items if starts_request(item) or item.rstrip().endswith("?")]
    return 2 * len(asking) >= len(items)


def _find_colon(text: str, start: int) -> int:
    """The next colon that introduces something (not a time like 8:30, not inside a placeholder)."""
    for match in re.finditer(r":(?!\d)", text[start:]):
        position = start + match.start()
        if position > 0 and text[position - 1].isdigit() and position + 1 < len(text) and text[position + 1].isdigit():
            continue
        return position
    return -1


def _looks_like_prose(text: str) -> bool:
    """Several sentences, or a long run of words: material, even if its first word is a verb."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return len(sentences) >= 2 or len(text.split()) >= 25


def mask_data(text: str) -> tuple[str, list[Span]]:
    """The goal with every data span replaced by a placeholder, and the spans in order of masking."""
    spans: list[Span] = []
    masked = _mask(_FENCE, text, spans, "fence")
    masked = _mask_json(masked, spans)
    masked = _mask_tables(masked, spans)
    for pattern in _QUOTES:
        masked = _mask(pattern, masked, spans, "quote")
    masked = _mask_paragraphs(masked, spans)
    masked = _mask_introduced(_DASHED.sub(r"\1:", masked), spans)
    return masked, spans


# "the top 5 keywords from this text -- Recycling at our office ...": a dash after the material's name is a colon
_DASHED = re.compile(
    r"\b((?:this|these|the following|my|our)\s+(?:\w+\s+)?(?:text|paragraph|passage|reviews?|email|letter|article|"
    r"notes?|feedback|comments?|message|post|story|statement|transcript))\s*(?:--|—|–)\s*(?=\S)",
    re.I,
)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _mask_paragraphs(text: str, spans: list[Span]) -> str:
    """A paragraph of prose that asks nothing (no request opens it) beside one that asks something is the
    material: "Summarize this passage in 2 sentences.\n\nA volcano forms where ..."."""
    pieces = _BLANK_LINE.split(text)
    if len(pieces) < 2:
        return text
    material = [_is_material(piece, first=index == 0) for index, piece in enumerate(pieces)]
    if not any(not m and not PLACEHOLDER.fullmatch(p.strip()) for p, m in zip(pieces, material, strict=True)):
        return text  # no paragraph asks (a table below is data already): "need total parcels per driver" + a CSV
    out = []
    for piece, is_material in zip(pieces, material, strict=True):
        if is_material:
            spans.append(Span(_unquoted(restore(piece.strip(), spans)), "introduced"))
            out.append(f"{OPEN}{len(spans) - 1}{CLOSE}")
        else:
            out.append(piece)
    return "\n\n".join(out)


def _unquoted(text: str) -> str:
    """A Markdown block quote ("> Huge thanks to everyone ...") without its markers."""
    lines = text.splitlines()
    if lines and all(line.lstrip().startswith(">") for line in lines if line.strip()):
        return "\n".join(re.sub(r"^\s*>\s?", "", line) for line in lines)
    return text


def _is_material(paragraph: str, *, first: bool) -> bool:
    """Prose of a dozen words or more that no request opens. The goal's first paragraph is the instruction
    unless none of its sentences asks anything."""
    bare = paragraph.strip()
    if not bare or PLACEHOLDER.fullmatch(bare) or LIST_ITEM.match(bare):
        return False
    if len(re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub(" ", bare))) < 12:
        return False
    if first and (bare.endswith(":") or re.match(r"(?:tl;?dr|eli5)\b", bare, re.I)):
        return False  # "TL;DR this for me please, I have to forward it to the night shift:" introduces the text
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", bare) if x.strip()]
    candidates = sentences if first else sentences[:1]
    asking = [x for x in candidates if starts_request(x) or x.rstrip().endswith("?") or _WISH.match(x)]
    return not asking


# "I'd like a report on ...", "Please, a summary of ...": a request even when no verb follows the opener
_WISH = re.compile(
    r"\s*(?:please|i'd like|i would like|i want|i need|we need|need|we'd like|could you|can you|would you)\b", re.I
)


# what a wish asks a worker for: "we need you to ...", "I need a summary", not "we need volunteers for the booth"
_WISHED_WORK = re.compile(
    r"\s*(?:(?:you|u)\s+to\b|to\s+\w+|help\b|(?:an?|the|some)\s+(?:\w+\s+)?(?:summary|report|outline|list|"
    r"email|letter|draft|breakdown|analysis|answer|total|count|conversion|overview|version|rewrite)\b)",
    re.I,
)


def _asks_for_work(sentence: str) -> bool:
    """Whether a sentence after the notes a request names asks for something rather than being one of them."""
    if starts_request(sentence) or sentence.rstrip().endswith("?"):
        return True
    wish = _WISH.match(sentence)
    if wish is None:
        return False
    needs = wish.group(0).strip().lower() in ("i need", "we need", "need")
    return not needs or bool(_WISHED_WORK.match(sentence[wish.end() :]))


def restore(text: str, spans: list[Span] | tuple[Span, ...]) -> str:
    def back(match: re.Match[str]) -> str:
        span = spans[int(match.group(1))]
        if span.kind == "quote":
            return f'"{span.text}"'
        if span.kind in ("fence", "table") or "\n" in span.text or len(span.text) > 300:
            return f"\n{span.text}\n"
        return span.text

    return PLACEHOLDER.sub(back, text)


def span_ids(text: str) -> list[int]:
    return [int(m) for m in PLACEHOLDER.findall(text)]
