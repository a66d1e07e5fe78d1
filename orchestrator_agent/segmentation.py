"""Reading a goal as a person would: which parts are requests, and which text is data that goes with them.

`segment(text)` returns the goal's requests in order. Data is never split: quoted text (straight, curly or
guillemet quotes), fenced blocks, pasted tables (CSV, TSV, Markdown pipes) and text introduced by a colon
after an instruction ("Summarize in one sentence: ...", "from these notes: ...") stay whole and go with the
request that wants them. Requests are split at sentence ends, semicolons, list items, "then", and at
coordinations ("X and Y", ", and", "also", "plus", "as well as") when the words after them start a request
of their own. Pure functions over strings; English function words only (no skill names: what a request is
*for* is the matcher's business).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .lexicon import (
    ACTION_NOUNS,
    LIGHT_VERBS,
    LIST_ITEM,
    QUESTION_WORDS,
    REQUEST_VERBS,
    UNIT,
    acts_in_the_world,
    is_pleasantry,
    starts_request,
    strip_polite,
    words_of,
)
from .material import ANNOUNCES, CLOSE, OPEN, PLACEHOLDER, Span, mask_data, restore, span_ids

__all__ = ["OPEN", "Reading", "Request", "Span", "mask_data", "refers_to_results", "restore", "segment", "span_ids"]


@dataclass
class Request:
    """One request of the goal: its instruction (placeholders for data), the data it carries, and how it was
    joined to the request before it."""

    text: str
    spans: list[int] = field(default_factory=list)  # indexes into the goal's spans
    joiner: str = ""  # "sentence" | "then" | "and" | "list" | "" (the first)
    shared: list[int] = field(default_factory=list)  # spans it refers to but does not own ("list its keywords")
    appended: bool = False  # its data came on lines of their own after it (and may be for another request)
    enumerated: bool = False  # opened by "First,", "Second,", "Finally,": one of a list of requests
    continues: bool = False  # opened by "And", "Also", "Plus": goes on from the request before it
    asked: bool = False  # put to the worker ("can you ...", "please ..."): a request, however short
    own: str = ""  # its own words, when a statement told before it leads its text ("... total? also in euros")

    def instruction(self, spans: list[Span]) -> str:
        return restore(self.text, spans).strip()

    def own_words(self, spans: list[Span]) -> str:
        """How a part not served is named: what the asker said for it first, then what was told before it ("what's
        that in euros (after: my kid's trip costs 18.50 per day ...)"), so nothing said goes unmentioned."""
        whole = restore(self.text, spans).strip()
        own = restore(self.own, spans).strip() if self.own else ""
        if not own or not whole.endswith(own):
            return whole
        before = whole[: -len(own)].strip(" .")
        return f"{own} (after: {before})" if before else own


@dataclass(frozen=True)
class Reading:
    requests: tuple[Request, ...]
    spans: tuple[Span, ...]


# -- data spans --------------------------------------------------------------------------------------------


_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|mr|mrs|ms|dr|no|fig|cf)\.$", re.I)
# and after quoted data before a capital, or before a request in lower case ('... gold." pull out the keywords')
_SENTENCE_END = re.compile(
    r"(?<=[.!?])\s+|\n+|(?<=\ue001)\s+(?=[A-Z])|"
    rf"(?<=\ue001)\s+(?=(?:{'|'.join(sorted(REQUEST_VERBS - {'be', 'do', 'have'}, key=len, reverse=True))}|can|could|"
    r"please|what|how)\b)"
)
_THEN = re.compile(
    r",?\s*(?:and\s+)?(?:then|after that|afterwards|finally|lastly)\s*,?\s+(?=\S)|"
    r"\s*(?<!\btl);(?!dr\b)\s*(?:and\s+)?(?:then\s+)?|"  # a semicolon, but not the one of "tl;dr"
    rf"\s+(?:--|—|–|\|)\s+|\s+/\s+(?=[A-Za-z]|[-+]?\d[\d.,]*\s*(?:%|{UNIT}\b))|"
    r"\s+-\s+(?:and\s+)?(?:then|after that|afterwards|finally|lastly)\b,?\s*",  # "added up - and after that an outline"
    re.I,
)
_AND = re.compile(
    r"\s*(?:,\s*(?:and|&),?\s+|\s+(?:and|&),?\s+(?:also\s+)?|,?\s+as well as\s+|(?<!\d),?\s+plus,?\s+(?!\d)|"
    r",\s*plus,?\s+(?=[a-z])|"  # "... 276, 330, plus how many GiB is 45 GB"
    r"(?<=\ue001),?\s+plus,?\s+|"  # '... "<quote>" plus 500 g in pounds': after data, plus is no sum
    r"(?<=\ue001)[,;.]?\s+(?=(?:and\s+)?(?:the\s+)?[a-z][\w ]{0,30}\b(?:too|as well)\W*$)|"  # '"<quote>" keywords too'
    r",\s*also,?\s+|\s+\+\s+(?=[A-Za-z])|,\s*plus,?\s+(?=[$€£]?\d)|"
    r"(?<=[A-Za-z])\s+\+\s+(?=\d)|"  # "1.5 km in miles + 20% of 65"
    r",?\s+oh,?\s+(?:and\s+)?(?:also\s+)?|(?<=[A-Za-z])\s+also,?\s+(?=[a-z\d])|,\s+)"  # "... oh and", "... also 10 in"
)
_ELLIPTIC = re.compile(
    rf"^[-+]?\d[\d.]*\s*(?:%|{UNIT})(?:\s+[a-zA-Z]+){{0,3}}?\s+(?:to|in|into|as)\s+[a-zA-Z°]|"
    r"^[-+]?\d[\d.]*\s*%?\s+(?:of|to the power|times|plus|minus|divided by|multiplied by|squared|cubed)\b",
    re.I,
)
_OPERATION = re.compile(r"^[-+(]?\d{1,3}(?:,\d{3})*(?:\.\d+)?\d*\s*[-+*/^x×%]\s*\(?\d")  # "4,200 × 1.08"


_GOES_ON = frozenset("oh also and plus btw anyway ps".split())


def _sentences(masked: str) -> list[tuple[str, str]]:
    """(sentence, joiner) pairs; list items and lines are sentences of their own."""
    pieces: list[tuple[str, str]] = []
    start = 0
    joiner = ""
    for match in _SENTENCE_END.finditer(masked):
        before = masked[start : match.start()]
        abbreviated = _ABBREVIATIONS.search(before) and not re.search(r"\d\s*ms\.$", before, re.I)  # "260 ms."
        if "\n" not in match.group(0) and (abbreviated or re.fullmatch(r"\s*(?:\d{1,2}|[a-z])[.)]", before)):
            continue  # "e.g. ...", or the number of a list item ("1. Convert ...")
        after = masked[match.end() : match.end() + 1]
        following = words_of(masked[match.end() : match.end() + 30])[:1]
        opens = bool(following) and (
            following[0] in REQUEST_VERBS
            or following[0] in QUESTION_WORDS
            or following[0] in _STATEMENT_START
            or following[0] in _GOES_ON  # "... is that. oh and my thermometer says 72 F"
        )
        if "\n" not in match.group(0) and after and after.islower() and not before.endswith(("?", "!")) and not opens:
            continue  # "3.5 kg. of flour": not a new sentence (but "... for may. which customer ...?" is)
        pieces.append((before, joiner))
        joiner = "list" if "\n" in match.group(0) and LIST_ITEM.match(masked[match.end() :]) else "sentence"
        start = match.end()
    pieces.append((masked[start:], joiner))
    return [(LIST_ITEM.sub("", p).strip(), j) for p, j in pieces if p.strip()]


_MANNER = re.compile(
    r"(?:keep|make)\s+it\s+(?:\w+\s+)?\w+\W*(?::\s*)?$|be\s+(?:\w+\s+)?(?:brief|short|concise|clear|precise)\W*$", re.I
)
_FRAMING = re.compile(
    r"(?:take|treat|use|consider|read|interpret|count|call)\b.*\bas\s+(?:an?\s+)?\w+\s*$|"
    r"(?:take|use|treat)\s+(?:that|this|the)\s+(?:many|much|number|amount)\b[^,.;]*$",  # "take that many kilograms"
    re.I | re.S,
)


_ONCE = re.compile(r"^\s*(?:once|after|when)\s+you(?:'ve|\s+have)?\s+(?P<body>.+)$", re.I | re.S)
_AFTER_YOU = re.compile(r"^(?P<then>.+?)\s+(?:after|once)\s+you(?:'ve|\s+have)?\s+(?P<first>.+)$", re.I | re.S)
_PROCESSED = re.compile(r"\b(?:this|the|that)\s+(?:table|data|list|file|csv|sheet)\b", re.I)


def _in_order(sentence: str) -> str:
    """A sentence that names its steps out of order, in order: "Once you've found the average of ..., please
    write a summary around it" -> "found the average of ... Then write a summary around it"; "I'd like a report
    on this table after you group it by category" -> "group it by category. Then I'd like a report on the
    results"."""
    once = _ONCE.match(sentence)
    if once:
        body = as_asked(once["body"])  # "Once you've worked out the average, ..." -> "work out the average"
        for comma in reversed([m.start() for m in re.finditer(",", body)]):
            rest = re.sub(r"^\s*(?:please\s+|then\s+)+", "", body[comma + 1 :])
            if starts_request(rest):
                return f"{body[:comma].strip()}. Then {rest.strip()}"
    after = _AFTER_YOU.match(sentence)
    if after and starts_request(as_asked(after["first"])):
        first, data = as_asked(after["first"]).strip(), ""
        trailing = re.search(r":\s*((?:" + OPEN + r"\d+" + CLOSE + r"\s*)+)$", first)
        if trailing:  # the data pasted at the end is the first step's
            first, data = first[: trailing.start()], ": " + trailing.group(1)
        return f"{first}{data}. Then {_PROCESSED.sub('the results', after['then'].strip())}"
    return sentence


_PARTICIPLES = {"found": "find", "done": "do", "made": "make", "got": "get", "gotten": "get", "written": "write",
                "drawn": "draw", "given": "give", "taken": "take", "put": "put", "run": "run", "read": "read",
                "pulled": "pull", "totalled": "total", "totaled": "total"}  # fmt: skip


def as_asked(text: str) -> str:
    """A request told as something done or being done, in the words that ask it: "worked out the average" ->
    "work out the average", "sending it to the board" -> "send it to the board"; other text unchanged."""
    match = re.match(r"(\s*)([A-Za-z]+)\b", text)
    if match is None:
        return text
    word = match[2].lower()
    if word in REQUEST_VERBS:
        return text
    candidates = [_PARTICIPLES.get(word, "")]
    for ending in ("ed", "ing"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            candidates += [stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""]
            candidates += [stem[:-1] + "y"] if ending == "ed" and stem.endswith("i") else []
    base = next((c for c in candidates if c and c in REQUEST_VERBS), None)
    return f"{match[1]}{base}{text[match.end() :]}" if base else text


def _same_operation(left: str, right: str) -> bool:
    """ "5 pounds to kilograms" after "Convert 72 F to C", "36 boxes at 9.75 each" after "48 boxes at 12.50
    each": the same request again with new data."""
    if not re.search(r"\d", left):
        return False
    return bool(_ELLIPTIC.match(right) or _OPERATION.match(right) or _same_template(left, right))


def _template(text: str) -> list[str]:
    return ["#" if re.fullmatch(r"[$€£]?[-+]?\d[\d.,]*%?", w) else w.lower() for w in text.split()]


def _same_template(left: str, right: str) -> bool:
    """Whether `right` is the end of `left` with other numbers: "48 boxes at 12.50 each" / "36 boxes at 9.75
    each" (words and numbers both, so "4, 8 and 15" is no repetition)."""
    tail, again = _template(left), _template(right.rstrip(" .?!"))
    words = [w for w in again if w != "#"]
    return len(again) >= 3 and "#" in again and len(words) >= 2 and tail[-len(again) :] == again


_PRODUCT = re.compile(
    r"\s*(?:(?:the|a|an|its|their|some|your)\s+)?(?:(?:main|key|top|short|quick|brief|\d+)\s+)*(?:keywords?|key ?words|"
    r"summary|word count|sentiment|outline|tl;?dr|overview|headlines?|titles?|readability)\b",
    re.I,
)
_LIST_END = re.compile(r"[-+$€£]?\d[\d.]*(?:\s*,\s*|[ \t]+)[-+$€£]?\d[\d.]*\s*$")  # "14.99, 22.50", "12 15 9"


# a verb and its object pronoun: "fax it to ...", "laminate them", "frame this for me"
_IMPERATIVE = re.compile(
    r"\s*(?:please\s+)?(?!(?:is|was|are|were|has|had|does|did|makes?|double|triple|halve|square|cube|round|"
    r"multiply|divide|add|subtract|sum|total|convert|times|minus|plus|"
    # how to write it, not another request: "title it 'Spring meet recap'", "sign it from the committee"
    r"title|name|head|sign|label|address|date|mark|tag|keep|leave|start|end|finish|format|style|word|phrase|pitch|"
    r"aim|base|focus|split|break|set)\b)[a-z]{3,}\s+(?:it|them|this|these|those)\b"
)


def _coordinated(sentence: str) -> list[tuple[str, str]]:
    """Split one clause at "and"/","/"plus"/"as well as" where the words after start a request of their own
    (or repeat the left one's operation on new numbers); the verb of an elliptic part is carried over."""
    cuts: list[tuple[int, int, bool, bool]] = []  # (start, end, elliptic, strong) of each separator that splits
    start = 0
    for match in _AND.finditer(sentence):
        left = sentence[start : match.start()]
        right = sentence[match.end() :]
        if not left.strip() or not right.strip():
            continue
        if re.fullmatch(r"\s+also,?\s+", match.group(0)) and re.search(
            r"\b(?:you|u|i|we|please|pls|and|can|could|would|will|to|is|are|was|were)\s*$", left, re.I
        ):
            continue  # "can you also renew ...", "I also need": the request goes on, nothing new starts
        # "..., and if gas is $3.45 a gallon, what do 14 gallons cost?": the condition opens a request
        conditional = re.match(r"if\b[^,?]*,\s*(.*)", right.strip(), re.I | re.S)
        strong = bool(re.search(r"as well as|plus|also|\+|\boh\b", match.group(0)))
        if strong:
            right = as_asked(right)  # "... as well as sending it to the board members": send it
        own_request = (
            starts_request(right)
            or bool(conditional and starts_request(conditional.group(1)))
            or bool(_IMPERATIVE.match(right))  # "..., and fax it to my accountant": a verb we may not know
            or (strong and bool(_ELLIPTIC.match(right.strip())))  # '... "<quote>" plus 500 g in pounds'
            # "today's EUR to USD exchange rate, plus 4,200 × 1.08": a calculation after a part without numbers
            or (strong and bool(_OPERATION.match(right.strip())) and not re.search(r"\d", PLACEHOLDER.sub("", left)))
            # "whats the weather tmrw in leeds and 18c in f": a conversion of its own after a part without numbers
            or (bool(_ELLIPTIC.match(right.strip())) and not re.search(r"\d", PLACEHOLDER.sub("", left)))
            or bool(_PRODUCT.match(right) and re.search(r"\b(?:too|as well)\W*$", right))  # '"<quote>" keywords too'
        )
        elliptic = not own_request and _same_operation(left, right)
        # "sqrt(2025) + factorial(3)" is one sum; "20% of 65 + median of 4 9 2 7" two requests
        worded = strong and (
            "+" not in match.group(0) or not re.match(r"\s*(?:sqrt|factorial|log|ln|exp|abs)\b|\s*\d", right)
        )
        both_data = worded and bool(re.search(r"\d", left)) and bool(re.search(r"\d", right.split(" and ")[0]))
        # "a 2 sentence summary of these notes and also the main keywords": another product of the same verb
        elliptic = elliptic or (strong and not own_request and bool(_PRODUCT.match(right)))
        opens = starts_request(left.rsplit(":", 1)[-1])  # "baking for the fair: how many grams is ..., what's ..."
        if match.group(0).strip() == "," and not (elliptic or (own_request and (starts_request(left) or opens))):
            continue  # a plain comma splits only between requests ("Compute 17 * 23, reverse ...")
        if not (own_request or elliptic or both_data):
            continue
        if _FRAMING.match(strip_polite(left)) and re.search(r"\b(?:it|that|them|this)\b", right, re.I):
            continue  # "Take that number as kilometers and convert it to miles": one request
        if is_manner(right):
            continue  # "summarize the following text and keep it brief: ...": how, not another request
        if _LIST_END.search(left) and re.match(r"\s*[-+$€£]?\d", right) and "and" in match.group(0):
            continue  # "the sum of 14.99, 22.50 and 8.75 plus the average": the list's last item
        if re.match(r",\s*plus", match.group(0)) and re.match(r"\s*[$€£]?\d", right) and re.search(r"\d", left):
            continue  # "14.99, 22.50, plus 8": a sum; but "the EUR to USD rate, plus 4,200 × 1.08": another request
        if "and" in match.group(0) and not strong and last_of_measures(left, right):
            continue  # "an overview of each column, like the min, max and average?": a list's last word
        cuts.append((match.start(), match.end(), elliptic, strong))
        start = match.end()
    if not cuts:
        return [(sentence, "")]
    verb = _lead_verb(sentence[: cuts[0][0]])
    parts = [(sentence[: cuts[0][0]], "")]
    for index, (_, end, elliptic, strong) in enumerate(cuts):
        stop = cuts[index + 1][0] if index + 1 < len(cuts) else len(sentence)
        # "... as well as sending it to the board members": send it
        piece = as_asked(sentence[end:stop]) if strong else sentence[end:stop]
        parts.append((f"{verb} {piece}" if elliptic and verb else piece, "and"))
    return parts


_MEASURE = r"(?:mean|average|avg|median|mode|min|minimum|max|maximum|sum|total|count|range|spread|std|variance|totals)"


def last_of_measures(left: str, right: str) -> bool:
    """ "... like the min, max" and "average?": the last of a list of measures, one request with the rest."""
    return bool(
        re.search(rf"\b{_MEASURE}s?\s*$", left, re.I)
        and re.fullmatch(rf"\s*(?:the\s+)?{_MEASURE}s?\s*[?.!]?\s*", right, re.I)
    )


def _lead_verb(text: str) -> str:
    """The words that state the operation ("Convert", "What is"), for an elliptic part that follows."""
    stripped = strip_polite(text)
    words = stripped.split()
    if not words:
        return ""
    first = words[0].lower().strip(",")
    if first in QUESTION_WORDS:
        joined = len(words) > 1 and words[1].lower() in ("is", "are", "much", "many", "about")
        return " ".join(words[:2]) if joined else words[0]
    if first not in REQUEST_VERBS:
        return ""
    return " ".join(words[:2]) if len(words) > 1 and words[1].lower() in ("me", "us") else words[0]  # "give me"


def segment(goal: str, correct: Callable[[str], str] | None = None) -> Reading:
    """The goal's requests in order, with the data spans each carries; `correct` fixes typos in the words
    outside the data ("sqaure root of 2025"), which it never sees."""
    masked, spans = mask_data(goal.strip())
    masked = _inline_list(correct(masked) if correct is not None else masked)
    requests: list[Request] = []
    for sentence, joiner in _sentences(masked):
        pieces = [p for p in _THEN.split(_in_order(sentence))]
        for index, piece in enumerate(pieces):
            piece_joiner = joiner if index == 0 else "then"
            for part, and_joiner in _coordinated(piece):
                text = strip_polite(part).strip(" ,.;")
                if not text or is_pleasantry(text):
                    continue
                bare_data = not words_of(PLACEHOLDER.sub("", text))  # data on its own line
                labelled = _only_labels(text) and not (requests and requests[-1].spans)  # "Q3 notes: <notes>"
                if requests and span_ids(text) and (bare_data or labelled):
                    # belongs to the request before it ("Executive summary please. Q3 notes: ..."); "Here it is:"
                    # says only that, and is not part of the material
                    text = _HERE_IT_IS.sub("", text)
                    requests[-1].text += " " + text
                    requests[-1].spans += span_ids(text)
                    requests[-1].appended = True
                    continue
                enumerated = bool(_ENUMERATOR.match(part.strip()))
                requests.append(
                    Request(
                        text=text,
                        spans=span_ids(text),
                        joiner=and_joiner or piece_joiner,
                        enumerated=enumerated,
                        continues=bool(_OPENS_WITH_AND.match(part)),
                        asked=bool(_ASKED_OF_YOU.search(part)),
                    )
                )
    requests = [_without_preamble(r) for r in requests if not _is_heading(r, spans)]
    if len(requests) > 1 and _is_preamble(requests[0]):
        requests = requests[1:]  # "OK wedding math time!!", "quick ones for the whiteboard —": what follows asks
    requests = _fold_fragments(_fold_statements(requests))
    _carry_counts(requests)
    _move_data_to_its_reader(requests)
    _share_data(requests)
    _share_table_asked_about(requests, spans)
    _share_text_asked_about(requests, spans)
    return Reading(tuple(requests), tuple(spans))


_ASKED_OF_YOU = re.compile(
    r"^\W*(?:and\s+|also\s+|plus\s+|oh\s+)*(?:(?:can|could|would|will)\s+(?:you|u)\b|please\b|"
    r"(?:i|we)(?:'d| would)?\s+(?:also\s+)?(?:like|need|want)\s+(?:you|u)\s+to\b)",
    re.I,
)
_HERE_IT_IS = re.compile(
    r"^(?:here (?:it|they|this|that) (?:is|are)|here you go|here goes|it (?:reads|says|goes))\s*:\s*", re.I
)
_INLINE_MARKER = re.compile(r"(?<![\w.,])\(?(\d{1,2})\)\s+(?=\S)")


def _inline_list(masked: str) -> str:
    """ "I need 3 things: 1) 250 mg to grams 2) 60 * 8 * 3 3) median of ...": items numbered 1), 2), ... (or (1),
    (2), ...) on one line are put on lines of their own, as a list is; markers out of sequence are left alone."""
    expected, cuts = 1, []
    for match in _INLINE_MARKER.finditer(masked):
        if int(match.group(1)) == expected:
            cuts.append(match)
            expected += 1
    if len(cuts) < 2:
        return masked
    out, last = [], 0
    for match in cuts:
        out += [
            re.sub(r"[\s,;]*(?:\b(?:and|then|also)\b)?[\s,;]*$", "", masked[last : match.start()]),
            f"\n{match.group(1)}) ",
        ]
        last = match.end()
    return "".join(out) + masked[last:]


_ENUMERATOR = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth|next|finally|lastly|last of all|"
    r"additionally|separately|in addition|on top of that)\s*[,:]",
    re.I,
)
_WANTING = re.compile(r"^(?:i|we)\s+(?:need|want|would|'d|must|have to|wanna)\b", re.I)
_STATEMENT_START = frozenset(
    "i i'm im i've ive i'd my we we're we've our here here's heres there this these those it it's its they today "
    "yesterday tomorrow last attached enclosed below".split()
)


def is_manner(text: str) -> bool:
    """ "keep it brief", "make it short", "be concise": how to answer, not a request of its own."""
    return bool(_MANNER.match(PLACEHOLDER.sub("", text).strip()))


def opens_statement(text: str) -> bool:
    """Whether `text` opens like a statement ("Here's last month's expenses", "I have a CSV"), not a request."""
    words = words_of(text)
    return bool(words) and words[0] in _STATEMENT_START and not _WANTING.match(text.strip())


# what a head before a colon asks for, when it has no verb: "Mean of these response times: 230, 180, 410 ms"
_NAMES_TASK = re.compile(
    r"\b(?:mean|average|median|mode|total|sum|max(?:imum)?|min(?:imum)?|range|std|deviation|variance|count|"
    r"product|difference|percentage|ratio|conversion|summary|outline|report|sentiment|keywords?|statistics|stats)\b",
    re.I,
)


def _is_statement(request: Request) -> bool:
    """ "I ran 10 km this morning.", "Here are my test scores: ...": context for a request, not a request."""
    words = words_of(request.text)
    asks_within = any(m["verb"].lower() in REQUEST_VERBS for m in _ASKS_WITHIN.finditer(request.text))
    if ":" in request.text and ANNOUNCES.search(request.text.split(":", 1)[0]):
        return False  # "I've got two questions about my numbers: the average of ...": the requests follow
    implicit = bool(_IMPLICIT_ASK.search(request.text))  # "the investors want it in square metres"
    indirect = bool(_INDIRECT_ASK.match(request.text.strip()))  # "I'm also curious how agents advertise ..."
    if request.enumerated or asks_within or implicit or indirect or _WANTING.match(request.text.strip()):
        return False  # "I need 25% of 360", "here are the notes, please pull out the keywords": requests
    framed = _FRAME.match(request.text)
    if framed and starts_request(request.text[framed.end() :]):
        return False  # "From the attached timesheet, total the hours for each person": asked of what it names
    if not words or request.text.rstrip().endswith("?") or _QUESTION_WITHIN.search(request.text):
        return False  # "I sold 340 dozen eggs at $4.25 a dozen, what did that bring in": a question after all
    if words[0] in ("if", "suppose", "assuming") and re.search(r"\bhow\s+(?:many|much|long|far)\b", request.text, re.I):
        return False  # "if I finish it in 26 hours how many words per hour is that.": asked without its "?"
    # "The donor pledges are attached.": where the data is, said before the request that reads it
    about_data = bool(_ABOUT_DATA.search(request.text)) and not starts_request(request.text)
    head, colon, tail = request.text.partition(":")
    # "Vaccine fridge log this week (°C): 3.1, 4.2, 5.0": numbers under a label
    labelled = (
        bool(colon)
        and bool(_NUMBERS_ONLY.fullmatch(tail))
        and not starts_request(head)
        and not _NAMES_TASK.search(head)
    )
    # "exported march purchases from the spreadsheet (attached)": what was done, told by its participle
    opener = re.match(r"\s*([A-Za-z']+)", request.text)  # the sentence's own first word, not "640 divided by 16"
    done = (
        opener is not None
        and opener[1].lower() == words[0]
        and (
            words[0] in _DONE
            or (len(words[0]) > 4 and words[0].endswith("ed") and words[0] not in REQUEST_VERBS | {"based", "need"})
        )
    )
    told_match = _TOLD.match(request.text)
    told = (
        told_match is not None
        and words[0] not in REQUEST_VERBS
        and words[0] not in QUESTION_WORDS
        and not _NAMES_TASK.search(told_match["subject"])  # "Total hours worked per employee" asks
    )
    return words[0] in _STATEMENT_START or about_data or labelled or told or done or _says_why(request.text)


# what a request works on, said before it: "From the attached timesheet, ", "Using these numbers, "
_FRAME = re.compile(
    r"\s*(?:from|using|with|for|in|on|based on|looking at|given|according to|going by|out of|of)\s+[^,:?\n]{1,60},\s+",
    re.I,
)
_DONE = frozenset("sold made got bought paid spent ran did took sent drove grew dug picked caught had".split())
# something that happened, told with its subject first: "New client sent a sample to quote on.", "sales by day
# this weekend were 412.75, 389.20 and 455.00"
_TOLD = re.compile(
    r"\s*(?P<subject>(?:[A-Za-z][\w'-]*\s+){1,5}?)(?!(?:need|want|requir|request|expect)ed\b)"
    r"(?:sent|got|gave|made|had|came|went|took|told|said|bought|sold|found|wrote|brought|left|paid|was|were|"
    r"weighs|costs|measures|holds|contains|says|shows|states|lists|mentions|measure|weigh|hold|"
    # but "Boss asked for the totals" and "(I need) the hours per project added up" ask
    r"[a-z]{3,}ed)\b(?!\s+(?:by|to|me|us|for|up|together|out|down|off|into|as|per|"
    r"how|what|which|whether|if|why|when|where|who)\b)",  # "customer asked how many kg ..." asks it
    re.IGNORECASE,
)


def _says_why(text: str) -> bool:
    """ "Trying to explain marathon distance to my group lol", "settling an argument about raised beds": why
    the asker asks, told as a participle (but not "Using the table, sum the points", whose request follows the
    comma, nor "wondering what ...", a question)."""
    opener = re.match(r"\s*(?!wondering\b|thinking of\b)([a-z]{2,}ing)\b", text, re.I)
    if opener is None or opener.group(1).lower() in REQUEST_VERBS:
        return False
    return not any(w in REQUEST_VERBS or w in QUESTION_WORDS for w in re.findall(r"[,;:—–-]\s*([a-z]+)", text.lower()))


# a question asked as a statement about the asker: "I'm also curious how ...", "I wonder what ..."
_INDIRECT_ASK = re.compile(
    r"^(?:(?:i'?m|i am|we'?re|we are)\s+(?:also\s+|just\s+|really\s+|a bit\s+)?(?:curious|wondering|unsure|not sure)|"
    r"i\s+(?:also\s+|just\s+)?(?:wonder|was wondering|would (?:also\s+)?like to know|'d (?:also\s+)?like to know|"
    r"(?:also\s+)?want to know|need to know|don'?t (?:know|understand)|(?:would|'d) love to (?:know|understand))|"
    r"(?:one more|another|also a|a) question)\b",
    re.I,
)
_IMPLICIT_ASK = re.compile(
    r"\b(?:wants?|needs?|would like|'d like|asked|asks|is asking|are asking|was asking)\s+(?:me\s+)?to\s+"
    r"(?:know|understand|find out|learn|check)\b|"  # "my manager wants to know what a contextId is for"
    r"\b(?:wants?|needs?|would like|'d like|asked for|asks for|is asking for|are asking for|requires?)\s+"
    r"(?:to (?:know|see|have|get)\s+)?(?:it|them|that|this|those|these)\s+(?:in|as|converted|rounded|by)\b|"
    r"\b(?:wants?|needs?|would like|'d like|asked for|asks for|is asking for|are asking for|requires?)\s+"
    r"(?:to (?:know|see|have|get)\s+)?the\s+(?:total|sum|average|mean|median|maximum|minimum|range|"
    r"percentage|difference|number|count|keywords|summary|sentiment|word count)\b",
    re.I,
)
_ABOUT_DATA = re.compile(
    r"\b(?:is|are)\s+(?:attached|enclosed|uploaded|below|pasted below|in the attach\w+)\b|"
    r"^\s*(?:[\w'-]+\s+){0,4}(?:below|attached|enclosed|pasted below|as follows)\s*[.:]?\s*(?:\ue000\d+\ue001\s*)*$|"
    r"\b(?:i|we)(?:'ve|\s+have|\s+just)?\s+(?:attached|enclosed|uploaded|included|pasted|added|shared)\b",
    re.I,
)
_QUESTION_WITHIN = re.compile(
    r"[,;:—–]\s*(?:so\s+|and\s+|but\s+)?(?:(?:what|how|which|who|when|where)\s+(?:is|are|was|were|did|does|do|would|"
    r"will|should|much|many|long|far|big)\b|(?:what|how|who|where)(?:'s|’s|s)\s)|"
    r"(?<=\d)\s+(?:what(?:'s|’s|s)|what is|how much|how many|how long)\s",  # "... 2 at 12.50 whats the total"
    re.I,
)
_ASKS_WITHIN = re.compile(
    r"(?:[,;:—–]|\s-)\s*(?:so\s+|and\s+)?(?:please|kindly|(?:can|could|would)\s+(?:you|u))\s+(?:also\s+)?"
    r"(?P<verb>[a-z]+)",
    re.I,
)


def _only_labels(text: str) -> bool:
    """Data with nothing but a label naming it before it: "Q3 notes: <data>", "Data: <data>" (not "the
    keywords of <data>", a request)."""
    label = re.fullmatch(r"\s*([^:]{1,40}):\s*(?:" + OPEN + r"\d+" + CLOSE + r"\s*)+", text)
    words = words_of(label.group(1)) if label else []
    return (
        0 < len(words) <= 3
        and words[-1].rstrip("s") in _LABEL_NOUNS
        and not any(w in REQUEST_VERBS or w in QUESTION_WORDS for w in words)
    )


_LABEL_NOUNS = frozenset(
    "note data text table figure number detail info stat feedback review list minute point highlight update "
    "comment result record row value material intro draft copy excerpt passage email message post caption bio "
    "announcement paragraph notice blurb transcript fact".split()
)


def _fold_statements(requests: list[Request]) -> list[Request]:
    """A statement is context for the request that follows it, and for the requests joined to that one by "and"
    ("I got 14, 17, 9 and 20 points. What's my total, and what's the median?"); at the end, for the one before."""
    out: list[Request] = []
    pending: Request | None = None
    context: Request | None = None  # the statement the current "and" group started with
    for index, request in enumerate(requests):
        following = requests[index + 1] if index + 1 < len(requests) else None
        labels = _labels_data(request, following)
        if len(requests) > 1 and (
            labels
            or _is_statement(request)
            or _is_subject_of(request, following)
            or _introduces_data(request, following)
        ):
            if labels:  # the label names the data; what is done with it comes after
                request = dataclasses.replace(request, text=request.text.partition(":")[2].strip())
            pending = request if pending is None else _with_context(pending, request, pending.joiner)
            continue
        if pending is not None:
            context, pending = pending, None
            request = _with_context(context, request, context.joiner)
        elif (
            context is not None
            and (request.joiner == "and" or _asks_on(request))
            and not acts_in_the_world(request.text)
            and not refers_to_results(request.text)  # "... and put the total into a bullet outline": the answer
        ):
            # "How many is that in total?\nAnd what's the average per day?": the same statement's numbers
            # (but not "... and post it on our instagram", which does something with the answer)
            request = _with_context(context, request, "and", numbers_only=True)
        else:
            context = None
        out.append(request)
    if pending is not None:
        if out:
            last = out[-1]
            tail = _HERE_IT_IS.sub("", pending.text)  # "... how many words it has. Here it is: <text>"
            joined = f"{last.text}: {tail}" if tail != pending.text else join_sentences(last.text, tail)
            out[-1] = Request(joined, last.spans + pending.spans, last.joiner, last.shared)
        else:
            out.append(pending)
    return out


# "how many words per hour is that?": a rate of a thing counted in an earlier request; "if the hose runs 12
# litres a minute how long to empty it": how long the amount told before takes at a rate
_RATE_OF = re.compile(
    r"\bhow many\s+(?P<noun>[a-z]{3,})\s+(?:per|an?|each|every)\s+[a-z]+\b|"
    r"\d[\d.,]*\s*(?P<flow>[a-z]{3,})\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week)\b"
    r"(?=[^?]*\bhow long\b)|"
    r"\bhow long\b[^?]*\d[\d.,]*\s*(?P<flows>[a-z]{3,})\s+(?:a|an|per|each|every)\s+(?:second|minute|hour|day|week)\b",
    re.I,
)


def _carry_counts(requests: list[Request]) -> None:
    """ "... the contract I'm translating is 8,450 words, what do I invoice? Also if I finish it in 26 hours how
    many words per hour is that": the later question asks a rate of the words counted before, so the clause that
    counts them goes with it."""
    for index, request in enumerate(requests):
        asked = _RATE_OF.search(request.text)
        if asked is None or index == 0:
            continue
        noun = (asked["noun"] or asked["flow"] or asked["flows"]).lower().rstrip("s")
        counted = re.compile(rf"\d[\d,.]*\s*(?:[a-z]+\s+)?{re.escape(noun)}s?\b(?!\s+(?:a|an|per|each|every)\s)", re.I)
        if counted.search(request.text):
            continue
        for earlier in reversed(requests[:index]):
            clauses = re.split(r"(?<!\d),|,(?!\d{3}\b)|[;?!]|\.\s|\s+and\s+", PLACEHOLDER.sub(" ", earlier.text))
            clause = next((c.strip() for c in clauses if counted.search(c)), None)
            if clause:
                request.text = f"{clause}. {request.text}"
                break


def _labels_data(request: Request, following: Request | None) -> bool:
    """'session recap from last night: "..." pull out the keywords': a label and its data, then the request
    that reads it (with no data of its own)."""
    if following is None or not request.spans or following.spans or not starts_request(following.text):
        return False
    head, colon, tail = request.text.partition(":")
    if request.enumerated or _NAMES_TASK.search(head):
        return False  # "1. mean and median of these scores: <numbers>": an item of a list, asking for its work
    return bool(colon) and not PLACEHOLDER.sub("", tail).strip(" .") and not starts_request(head) and "?" not in head


def _introduces_data(request: Request, following: Request | None) -> bool:
    """'A visitor left this comment in our guest book: "..." Summarize it in one sentence': a clause that asks
    nothing and carries the data the request right after it points at ("it", "this") without any of its own."""
    if following is None or not request.spans or following.spans or following.joiner not in ("then", "sentence"):
        return False
    bare = PLACEHOLDER.sub("", request.text).strip()
    words = words_of(bare)
    if not words or starts_request(bare) or words[0] in QUESTION_WORDS or bare.endswith("?"):
        return False
    if _ASKS_WITHIN.search(request.text) or _QUESTION_WITHIN.search(bare) or _WANTING.match(bare):
        return False
    return bool(re.search(r"\b(?:it|this|that|these|them|its)\b", PLACEHOLDER.sub("", following.text), re.I))


_OPENS_WITH_AND = re.compile(r"\s*(?:and|also|plus)\b", re.I)


def _asks_on(request: Request) -> bool:
    """ "And what's the average per day?" after "We had 23 on Saturday, ... How many is that in total?": a
    question that goes on from the one before asks of the same numbers (but not "and write a summary of the
    result", which reads the result, nor "Also buy me some eggs")."""
    words = words_of(request.text)
    return request.continues and bool(words) and words[0] in QUESTION_WORDS and not refers_to_results(request.text)


def _is_subject_of(request: Request, following: Request | None) -> bool:
    """ "The data centre move is 2,450 km by road; what is that in miles?", "86 tables at 1,250 each; what is
    the total?": a clause that asks nothing and carries numbers is the subject of the question right after it
    that brings no numbers or data of its own."""
    if following is None or following.joiner not in ("then", "sentence") or starts_request(request.text):
        return False
    if request.text.rstrip().endswith("?") or any(
        m["verb"].lower() in REQUEST_VERBS for m in _ASKS_WITHIN.finditer(request.text)
    ):
        return False  # a question of its own: "We archived 3.2 TB of logs, how many GiB is that?", "... - can u get"
    bare = PLACEHOLDER.sub("", following.text).strip()
    asks = bool(words_of(bare)[:1]) and (words_of(bare)[0] in QUESTION_WORDS or bare.endswith("?"))
    # "... the dose is 15 mg per kg. Work out the dose": an order about what the statement names
    ordered = starts_request(bare) and bool(
        re.search(r"\b(?:the|that|this|it|its|their|them|those|these)\b", bare, re.I)
    )
    asks = asks or (ordered and bool(_DECLARES.search(request.text)))
    return (
        bool(re.search(r"(?<![A-Za-z])\d", request.text))
        and not re.search(r"\bplease\W*$", request.text, re.I)  # "The average of 4, 8 and 15 please."
        and asks
        and not following.spans
        and not re.search(r"(?<![A-Za-z])\d", bare)
    )


_DECLARES = re.compile(
    r"\b(?:is|are|was|were|weighs|weighed|weigh|costs?|cost|has|have|had|takes|took|measures?|holds?|contains?|runs|ran|"
    r"earns?|earned|pays?|paid)\b",
    re.I,
)


def _with_context(context: Request, request: Request, joiner: str, *, numbers_only: bool = False) -> Request:
    """`request` with the statement before it as its first words. A later member of an "and" group gets the
    statement only when it brings no data of its own (its spans are the first member's)."""
    if numbers_only and (request.spans or re.search(r"\d", request.text)):
        return request
    spans = request.spans if numbers_only else context.spans + request.spans
    shared = request.shared + (context.spans if numbers_only else [])
    if numbers_only and not re.search(r"\d", PLACEHOLDER.sub("", context.text)):
        return dataclasses.replace(request, spans=spans, joiner=joiner, shared=shared)  # its data
    text = join_sentences(PLACEHOLDER.sub("", context.text) if numbers_only else context.text, request.text)
    own = request.own or request.text
    return dataclasses.replace(request, text=text.strip(". "), spans=spans, joiner=joiner, shared=shared, own=own)


def join_sentences(first: str, second: str) -> str:
    """Two sentences as one text: "sold 40 boxes today!! work out the takings", "Is it done? Yes. Then ..."."""
    first = first.strip().rstrip(" .")
    if not first:
        return second
    return f"{first} {second}" if first.endswith(("?", "!", ":")) else f"{first}. {second}"


def _is_fragment(request: Request) -> bool:
    """ "Lowest first.", "just the name and the total please": how to answer the request before, not a request."""
    bare = PLACEHOLDER.sub(" ", request.text).strip()
    words = words_of(bare)
    if request.joiner == "sentence" and not request.spans and _NUMBERS_ONLY.fullmatch(bare):
        return True  # "What's the average squat across my clients? 100, 115, 92.5 and 110 kg.": its numbers
    if _ELABORATION.match(bare) and request.joiner == "sentence" and not request.spans:
        return True  # "Where is the agent card published? Like what URL path do clients fetch?": the same ask
    if request.joiner != "sentence" or not words or bare.endswith("?") or request.asked:
        return False  # "... And can you also renew my car insurance online": asked, however short
    if re.search(r"\b(?:too|also|as well)\W*$", bare, re.I):
        return False
    manner = len(words) <= 4 and words[0] in LIGHT_VERBS | {"be"} and "it" in words[1:3]  # "Keep it short."
    if (request.spans and not request.appended) or re.search(r"\d", bare):
        return manner  # "Summary statistics on these scores: 32, 41, 38": a request with its own data
    return manner or (len(words) <= 7 and words[0] not in REQUEST_VERBS and words[0] not in QUESTION_WORDS)


# "Mon 212, Tue 198": a day, a month or a quarter may label each number
_LABEL = (
    r"(?:(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?:day|nesday|rsday|urday)?|jan|feb|mar|apr|may|jun|jul|aug|sept?|"
    r"oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|q[1-4])"
    r"\.?:?\s*"
)
_NUMBERS_ONLY = re.compile(
    rf"\s*(?:{_LABEL})?[-+$€£]?\d[\d.,]*\s*(?:%|{UNIT})?"
    rf"(?:\s*(?:,|;|and|&|,\s*and)\s*(?:{_LABEL})?[-+$€£]?\d[\d.,]*\s*(?:%|{UNIT})?)+\s*[.!]?\s*",
    re.I,
)
_ELABORATION = re.compile(
    r"(?:like|i mean|as in|in other words|that is|i\.e\.|ie|specifically|basically)\b[,:]?\s+", re.I
)


def _fold_fragments(requests: list[Request]) -> list[Request]:
    out: list[Request] = []
    for request in requests:
        if out and _is_fragment(request):
            last = out[-1]
            bare = PLACEHOLDER.sub(" ", request.text).strip()
            glued = _NUMBERS_ONLY.fullmatch(bare) or _ELABORATION.match(bare)  # "... my clients? 100, 115 and 110"
            joint = " " if glued and last.text.rstrip().endswith("?") else ". "
            text = f"{last.text.rstrip(' .')}{joint}{request.text}"
            out[-1] = Request(
                text, last.spans + request.spans, last.joiner, last.shared, last.appended or request.appended
            )
            continue
        out.append(request)
    return out


def _is_heading(request: Request, spans: list[Span]) -> bool:
    """ "Two things:" / "Please do the following:" introduce requests; they are not requests themselves."""
    if request.spans:
        return False
    text = request.text.rstrip()
    words = words_of(text)
    return text.endswith(":") and not any(w in REQUEST_VERBS and w not in LIGHT_VERBS for w in words)


_PREAMBLE_NOUNS = frozenset(
    "one ones thing things question questions bit bits task tasks math maths stuff time favour favor favours favors "
    "sum sums calculation calculations conversion conversions check checks update updates admin housekeeping "
    "roundup".split()
)


def _without_preamble(request: Request) -> Request:
    """ "quick one from a night-shift nurse: patient weighs 68 kg ...": the words before the colon only announce
    what follows."""
    head, colon, tail = request.text.partition(":")
    if not colon or not tail.strip() or not _WHO_ASKS.fullmatch(head):
        return request
    return dataclasses.replace(request, text=tail.strip())


# "quick one from a night-shift nurse", "another question from the front desk", "teacher here": who asks, not what
_WHO_ASKS = re.compile(
    r"\s*(?:(?:a|one|another|quick|small|simple|easy|silly|one more)\s+)*(?:one|question|q|thing|favou?r|request)s?"
    r"\s+from\s+(?:a|an|the|my|our|your)?\s*[\w\s-]{1,30}|\s*[\w\s-]{1,30}\s+here\s*",
    re.I,
)


def _is_preamble(request: Request) -> bool:
    """ "OK wedding math time!!", "quick ones for the whiteboard": a few words that announce the requests after
    them and ask nothing (no verb of a request, no number, no data, nothing to make)."""
    bare = PLACEHOLDER.sub(" ", request.text).strip()
    words = words_of(bare)
    if request.spans or not words or len(words) > 6 or re.search(r"(?<![A-Za-z])\d|\?", bare):
        return False
    if words[0] in QUESTION_WORDS or any(w in REQUEST_VERBS and w not in LIGHT_VERBS for w in words):
        return False
    if any(w in ACTION_NOUNS for w in words):
        return False  # "A haiku, and the total of 3 and 4": a request without its verb
    if words[-1] == "here" and len(words) >= 2:
        return True  # "new to A2A here", "night nurse here": who is asking
    return any(w in _PREAMBLE_NOUNS for w in words)


_WANTS_DATA = re.compile(
    r"\b(?:attached|enclosed|uploaded)\b|"
    r"\b(?:this|these|the following|below|it|its|the (?:text|table|csv|data|list|passage|paragraph|review|"
    r"article|notes?|file|attachment|sentence|message|numbers|values|rows|columns))\b|"
    # "what's the word count of my lede": the asker's own writing, pasted with the goal
    r"\b(?:my|our)\s+(?:\w+\s+)?(?:lede|draft|email|post|essay|letter|story|copy|blurb|bio|intro|speech|"
    r"paragraph|passage|review|message|article|text|comment|poem|tweet|caption|announcement|memo|write-?up)\b",
    re.I,
)


def wants_data(text: str) -> bool:
    return bool(_WANTS_DATA.search(text))


_RESULT_REFERENCE = re.compile(
    r"\b(?:(?:the|that|this|those|these|my|your|all (?:the)?|both)\s+(?:answers?|results?|findings|outputs?|"
    r"figures|calculations?|conversions?|statistics|stats|analys[ie]s|summary|summaries|passages?|search|"
    r"numbers you (?:got|found|computed))|(?:of|on|from|about)\s+(?:it|that|them)\b|the above|above results|"
    r"previous|earlier|everything|combin\w+|together|based on (?:that|this|it|these|those|the)|"
    r"\b(?:use|using|take|taking)\s+(?:those|these|them|that|it)\b(?!\s+(?:text|table|data|file|csv|notes))|"
    r"what (?:the|those|these) (?:numbers|figures|totals|sums|averages|counts) (?:show|say|mean|tell|suggest)|"
    r"what (?:you|it|they) (?:find|found|get|got|learn|learned|discover|discovered|return|returned)|"
    r"your (?:answers?|findings|results?|output|explanation|summary|reply|response|report|outline|text))",
    re.I,
)


# an amount, not a rate: "$245.60", "8,400" (not "18%", "3x")
_OWN_AMOUNT = re.compile(r"[$€£]\s?\d|(?<![\w.])(?>\d[\d,]*(?:\.\d+)?)(?!\s*(?:%|percent|per cent|x\b|times\b))")


def has_own_amount(text: str) -> bool:
    return bool(_OWN_AMOUNT.search(PLACEHOLDER.sub("", text)))


_MEASURE_NAMED = re.compile(
    r"\b(?:convert|express|turn|round|double|halve|multiply|divide|split|share|put|include|insert|place|use)\s+"
    r"(?:the|that|this)\s+"
    r"(?:total|sum|average|mean|median|difference|product|amount|figure|number|count|distance|weight|area)\b(?!\s+of\b)",
    re.I,
)
_DATA_NOUNS = frozenset(
    "text table data list passage paragraph review article notes note file attachment csv sentence message email "
    "letter numbers values rows columns document documents story essay following below quote comment".split()
)
_FUNCTION_WORDS = frozenset("into from with that this what which when where there then than they them same".split())
_NAMED = re.compile(r"\b(?:the|those|these|that|this)\s+([a-z]+)", re.I)


def refers_to_results(text: str, earlier: Sequence[str] = ()) -> bool:
    """Whether a request works on what earlier requests produce ("a report on the results", "summarize the
    findings", "an executive summary of the answer", "an outline using those keywords" after a keyword step)."""
    bare = PLACEHOLDER.sub("", text)
    found = _RESULT_REFERENCE.search(bare)
    if (
        found
        and found.group(0).lower().split()[0] in ("of", "on", "from", "about")
        and _OWN_AMOUNT.search(bare[: found.start()])
    ):
        found = None  # "a table just left on a $245.60 bill, what would an 18% tip on that be?": its own amount
    if found or (_MEASURE_NAMED.search(bare) and not re.search(r"\d", bare)):
        return True  # "then convert the total to pounds"
    if not earlier:
        return False
    before = {w.rstrip("s") for t in earlier for w in words_of(PLACEHOLDER.sub("", t))}
    named = [n.lower() for n in _NAMED.findall(bare) if len(n) > 3 and n.lower() not in _FUNCTION_WORDS]
    return any(noun.rstrip("s") in before and noun not in _DATA_NOUNS for noun in named)


def _move_data_to_its_reader(requests: list[Request]) -> None:
    """Data pasted after the last request of a group ("Group this by team, then write a report on the results:
    <csv>") belongs to the request that points at it, not to the one that works on results."""
    for index, request in enumerate(requests):
        if not request.spans or index == 0:
            continue
        refers = refers_to_results(request.text, [r.text for r in requests[:index]])
        bare = PLACEHOLDER.sub("", request.text)
        has_own = not wants_data(bare) and bool(re.search(r"\d", bare))  # "... and tell me what 2^20 is: '...'"
        if not (refers or request.appended or has_own):
            continue
        candidates = [r for r in reversed(requests[:index]) if not r.spans and not refers_to_results(r.text)]
        wanting = [r for r in candidates if wants_data(r.text)]
        if not refers and not wanting:
            continue  # data under the last request: it is that request's, unless an earlier one points at it
        for earlier in wanting[-1:] or candidates[:1]:
            earlier.spans = list(request.spans)
            earlier.text = earlier.text.rstrip(" :") + ": " + " ".join(f"{OPEN}{i}{CLOSE}" for i in request.spans)
            request.text = PLACEHOLDER.sub("", request.text).rstrip(" :")
            if request.joiner == "and" and not refers and not has_own:
                request.shared = list(request.spans)  # "how does it read, and what are the key words? <text>"
            request.spans = []


def _share_data(requests: list[Request]) -> None:
    """A request with no data of its own that points at data ("list its keywords", "group this by team"), or
    that is joined by "and" to one with data and brings no numbers of its own ("pull the keywords out of this
    draft and give me a word count too"), shares the data of the nearest request of its group."""
    for index, request in enumerate(requests):
        if request.spans:
            continue
        sibling = request.joiner == "and" or (index + 1 < len(requests) and requests[index + 1].joiner == "and")
        asks = bool(words_of(request.text)[:1]) and words_of(request.text)[0] in QUESTION_WORDS
        if not (wants_data(request.text) or (sibling and not asks and not re.search(r"\d", request.text))):
            continue
        if refers_to_results(request.text):
            continue
        group = [index]
        j = index + 1
        while j < len(requests) and requests[j].joiner in ("and", "then"):
            group.append(j)
            j += 1
        k = index
        while k > 0 and requests[k].joiner in ("and",):
            k -= 1
            group.insert(0, k)
        for other in group:
            if other != index and requests[other].spans:
                request.shared = list(requests[other].spans)
                break


_TABLE_STOP = frozenset("yes no true false the and for with from".split())


def _table_words(table: Span) -> set[str]:
    """The words of a table's header and cells ("side", "meal", "vegetarian"), singular."""
    return {w.rstrip("s") for w in words_of(re.sub(r"[_,;|\t]", " ", table.text)) if len(w) > 2} - _TABLE_STOP


# a count asked of "it": "Also how many sentences does it have?" after "the keywords of this text: '...'"
_ASKS_OF_A_TEXT = re.compile(
    r"\b(?:how many|how long|count)\b[^?]*\b(?:words?|sentences?|characters?|letters?|paragraphs?)\b|"
    r"\b(?:readab\w+|reading (?:ease|level)|word count)\b",
    re.I,
)


def _share_text_asked_about(requests: list[Request], spans: Sequence[Span]) -> None:
    """A question about "it" that counts what a text is made of, with no data of its own, asks it of the text
    the request before it carries (quoted or pasted), not of nothing."""
    for index, request in enumerate(requests):
        if request.spans or request.shared or index == 0 or not _ASKS_OF_A_TEXT.search(request.text):
            continue
        if not re.search(r"\b(?:it|this|that|its)\b", PLACEHOLDER.sub("", request.text), re.I):
            continue
        earlier = next((r for r in reversed(requests[:index]) if r.spans or r.shared), None)
        texts = [i for i in (earlier.spans + earlier.shared if earlier else []) if spans[i].kind != "table"]
        if texts:
            request.shared = texts


_THRESHOLD = re.compile(
    r"\b(?:fewer|less|more|greater|higher|lower|bigger|smaller|cheaper|dearer|longer|shorter|older|younger)\s+than\s+"
    r"[$€£]?\d[\d.,]*|\b(?:over|under|above|below|at least|at most|exactly)\s+[$€£]?\d[\d.,]*",
    re.I,
)


def _share_table_asked_about(requests: list[Request], spans: Sequence[Span]) -> None:
    """ "Guest list below. How many guests are on each side? And how many people ordered the vegetarian meal?":
    a question with no data of its own that names a column or a value of the one table the goal carries asks
    about that table too."""
    tables = [i for i, span in enumerate(spans) if span.kind == "table"]
    if len(tables) != 1:
        return
    table = tables[0]
    owned = any(table in r.spans for r in requests)
    vocabulary = _table_words(spans[table])
    for request in requests:
        own = _THRESHOLD.sub(" ", request.text)  # "fewer than 10 in stock" asks of the rows, with no operands
        if not owned or request.spans or request.shared or re.search(r"\d", own):
            continue
        if refers_to_results(request.text):
            continue
        named = {w.rstrip("s") for w in words_of(request.text) if len(w) > 2} - _FUNCTION_WORDS
        if named & vocabulary:
            request.shared = [table]
