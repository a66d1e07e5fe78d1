"""The offline planner: a plan that covers the whole goal, from the roster's cards alone, with no model.

1. `segmentation.segment` reads the goal into requests, keeping data (quoted text, tables, pasted passages)
   whole and with the request that wants it.
2. `matching.match` ranks the advertised skills for each request, or says that none fits and why.
3. Requests joined by "and" that are one operation ("group this by team and sum the points") merge back into
   one subtask; a request that works on earlier results ("a report on the results", "a summary of the
   answer") depends on them; the goal's attachments go to the requests that want material.
Every request ends up a subtask or an unserved part with its reason: nothing the caller asked for vanishes.
A goal of one request is handed over whole (the single-agent path).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import PlanError
from .lexicon import (
    ACTION_VERBS,
    QUESTION_WORDS,
    REQUEST_VERBS,
    acts_in_the_world,
    language_of,
    strip_polite,
    words_of,
)
from .matching import Verdict, match, profile, shapes
from .models import BRIEF_MAX_CHARS, Plan, Skill, Subtask, SubtaskInput, UnservedPart, Worker
from .planning import Goal
from .segmentation import (
    OPEN,
    Reading,
    Request,
    Span,
    has_own_amount,
    is_manner,
    join_sentences,
    last_of_measures,
    mask_data,
    opens_statement,
    refers_to_results,
    restore,
    segment,
    span_ids,
    wants_data,
)
from .selection import stem
from .semantic import NoSimilarity, Similarity
from .spelling import Speller, written_out

INLINE_DATA_CHARS = 3000  # data up to this size stays in the brief; larger data travels as its own part
_ALL_RESULTS = re.compile(
    r"\b(?:results|findings|outputs|answers|figures|these|those|all|both|everything|combin\w*|together|overall|"
    r"above)\b",
    re.I,
)
_NUMBER_LIST = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])")
_WRITES = re.compile(r"\b(?:write|draft|compose|report|outline|overview|brief|memo|executive|wrap.?up)\b", re.I)


@dataclass
class _Part:
    request: Request
    verdict: Verdict
    subtask_id: str = ""
    refolded: bool = False  # context joined it after it was judged: judge it again


class OfflinePlanner:
    """Deterministic planning from the roster's advertised skills; no model involved."""

    def __init__(self, similarity: Similarity | None = None) -> None:
        self._similarity = similarity or NoSimilarity()

    async def plan(self, goal: Goal, roster: Sequence[Worker], *, max_subtasks: int) -> Plan:
        await self._similarity.ready()
        english = language_of(goal.text) == "English"  # typos are corrected in English only ("Fasse" is German)
        reading = segment(goal.text, Speller(_vocabulary(roster)).correct if english else None)
        if not reading.requests:
            raise PlanError([f"the goal {goal.text[:200]!r} states no request"])
        language = language_of(" ".join(_bare(r.text) for r in reading.requests))
        parts = [self._judge(r, reading, goal, roster, language) for r in reading.requests]
        parts = [piece for part in parts for piece in self._coordinated(part, reading, goal, roster, language)]
        parts = [
            self._judge(p.request, reading, goal, roster, language) if p.refolded else p for p in _fold_context(parts)
        ]
        parts = _merge_continuations(parts, roster)
        subtasks, unserved = _build(parts, reading, goal, roster)
        if len(subtasks) > max_subtasks:
            raise PlanError([f"the goal splits into {len(subtasks)} steps, more than the limit of {max_subtasks}"])
        if len(subtasks) == 1 and not unserved:
            subtasks = [_whole_goal(subtasks[0], reading, goal)]
        served = ", ".join(f"{s.id}: {s.skill}" for s in subtasks) or "none"
        rationale = f"{len(parts)} part(s) read from the goal; served by skill: {served}"
        if unserved:
            rationale += f"; {len(unserved)} not served"
        return Plan(subtasks=tuple(subtasks), unserved=tuple(unserved), source="offline", rationale=rationale)

    def _coordinated(
        self, part: _Part, reading: Reading, goal: Goal, roster: Sequence[Worker], language: str
    ) -> list[_Part]:
        """ "Give me the keywords and the sentiment of this review": two things asked by one verb. Split at an
        "and" when each side, with the request's data, fits a different skill (and not when both fit the same
        one: "the mean, median and standard deviation of ...")."""
        if part.verdict.best is None and not _refused(part):
            return [part]
        # only the request's last clause: context before it ("Here is the feedback: '...'. Give me its
        # sentiment and a summary of it") stays with the first half; the second shares the request's data
        whole = part.request.text
        # "... the top 5 keywords? Intro: <intro>": the data after the question, with its label
        trailing = re.search(rf"(?:\s*[A-Za-z]{{2,20}}:)?(?:\s*{OPEN}\d+\ue001)+\s*$", whole)
        asked = whole[: trailing.start()] if trailing else whole
        boundary = max((m.end() for m in re.finditer(r"[.?!]\s+", asked)), default=0)
        context, text = whole[:boundary], whole[boundary:]
        for found in _NOUN_AND.finditer(text):
            left, right = context + text[: found.start()].strip(), text[found.end() :].strip()
            if not left or not right or re.match(r"[-+]?\d", right) or is_manner(right):
                continue  # "summarize the following text and keep it brief: ..."
            if opens_statement(text[: found.start()]):
                continue  # "Here's last month's expenses, and I need them totalled by department": one request
            if last_of_measures(text[: found.start()], right):
                continue  # "an overview of each column, like the min, max and average?": a list's last word
            verb = _lead_words(text[: found.start()].strip())
            right = right if verb == "" or right.lower().startswith(verb.lower()) else f"{verb} {right}"
            # "the sum and the average of 4, 8 and 15": what follows the right noun applies to the left one too
            tail = re.search(r"\s(?:of|in|for|from|on|about)\s.*$", right, re.S)
            own = re.search(r"(?<![A-Za-z])\d", text[: found.start()])  # "the square root of 729 and ..."
            left = f"{left}{tail.group(0)}" if tail and not own else left
            numbers = _NUMBER_LIST.findall(left)
            if len(numbers) >= 2 and not re.search(r"(?<![A-Za-z])\d", right):
                right = f"{right} of {', '.join(numbers)}"  # "the mean, the median and the IQR" of the same numbers
            data = part.request.spans + part.request.shared
            one = self._judge(
                Request(left, span_ids(left), part.request.joiner, [i for i in data if i not in span_ids(left)]),
                reading,
                goal,
                roster,
                language,
            )
            two = self._judge(
                Request(right, span_ids(right), "and", [i for i in data if i not in span_ids(right)]),
                reading,
                goal,
                roster,
                language,
            )
            a, b = one.verdict.best, two.verdict.best
            if a is not None and b is not None and a.skill_id != b.skill_id and min(a.score, b.score) >= SPLIT_SCORE:
                return [one, *self._coordinated(two, reading, goal, roster, language)]
            served = a if b is None else b
            if (a is None) != (b is None) and served is not None and served.score >= SPLIT_SCORE:
                if _refused(one if a is None else two):  # "the keywords and a haiku of this review": one of two
                    return [one, *self._coordinated(two, reading, goal, roster, language)]
        return [part]

    def _judge(self, request: Request, reading: Reading, goal: Goal, roster: Sequence[Worker], language: str) -> _Part:
        spans = list(reading.spans)
        own = [spans[i] for i in request.spans + request.shared]
        # "my phone plan is 22.50 a month. and cancel the insurance add-on": the statement told before an action
        # in the world is its context, not what makes it a calculation
        opener = words_of(strip_polite(request.own))[:1]
        acts = bool(request.own) and (acts_in_the_world(request.own) or bool(opener and opener[0] in ACTION_VERBS))
        asked = request.own if acts else request.text
        text = _renumber(_asking_clause(asked), request.spans + request.shared)
        verdict = match(
            text,
            own,
            roster,
            self._similarity,
            attachments=goal.attachments if _reads_attachments(request, own) else (),
            has_inputs=bool(goal.attachments),
        )
        if language != "English" and verdict.best is not None:
            carried = shapes(request.text, own)
            words = re.findall(r"[^\W\d_]{2,}", _bare(request.text))
            if not carried & {"expression", "conversion"} or len(words) > 3:  # only a bare calculation reads
                reason = (
                    f"the offline planner reads English only and this part looks {language} "
                    "(set ANTHROPIC_API_KEY to plan goals in other languages)"
                )
                verdict = Verdict(verdict.matches, reason)
        return _Part(request, verdict)


def _vocabulary(roster: Sequence[Worker]) -> frozenset[str]:
    """The words typos are corrected toward: the roster's skill texts and the planner's own lexicon."""
    texts = [
        " ".join([s.id.replace("_", " "), s.name, s.description, *s.tags, *s.examples])
        for w in roster
        for s in w.skills
    ]
    words = {w.lower() for text in texts for w in re.findall(r"[A-Za-z]{4,}", text)}
    return frozenset(words | REQUEST_VERBS | QUESTION_WORDS | _ROUTING_WORDS)


# words of operations and data that cards may not spell out but requests use
_ROUTING_WORDS = frozenset(
    "square root cube average median mean percent percentage divide divided multiply multiplied minus plus times "
    "power convert conversion kilometers kilometres miles pounds kilograms celsius fahrenheit summarize summarise "
    "summary keywords sentiment report outline executive statistics total highest lowest column table".split()
)


def _reads_attachments(request: Request, own: list[Span]) -> bool:
    """Whether the goal's attachments are this request's to read: it points at data ("the attached file",
    "this table"), or it asks something and brings no data of its own; a sentence that only sets the scene
    ("Some housekeeping before the planning day.") reads nothing."""
    if _own_operands(request.text):
        return False  # "86 tables at 1,250 each; what is the total?" even if it says "the numbers"
    if refers_to_results(_bare(request.text)):
        return False  # "then an executive summary of that": it reads the earlier result
    if wants_data(request.text):
        return True
    clause = _asking_clause(request.text)
    if own or (re.search(r"(?<![A-Za-z])\d", _bare(request.text)) and not shapes(request.text) & {"rank", "filter"}):
        return False  # "86 tables at 1,250 each; what is the total?" brings its own numbers
    clause = _WHERE_FROM.sub("", clause)  # "From our holiday weather log, show me only the days ..."
    return _request_like(strip_polite(clause)) or clause.rstrip().endswith("?")


_WHERE_FROM = re.compile(r"^\s*(?:from|in|using|based on|with|looking at|according to)\b[^,]{0,60},\s*", re.I)
_SENTENCE_BREAK = re.compile(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<=[.?!])\s+", re.I)


def _asking_clause(text: str) -> str:
    """What a request asks, without the context sentences folded before it ("I have two questions. First, what
    is 1250 divided by 8?"): its last sentence when that one asks and the others carry no data."""
    sentences = _SENTENCE_BREAK.split(text.strip())
    if len(sentences) < 2:
        return text
    last = sentences[-1]
    if not (_request_like(strip_polite(last)) or last.rstrip().endswith("?")):
        return text
    context = " ".join(sentences[:-1])
    if re.search(r"\d", _bare(context)) or span_ids(context) or "table" in shapes(context):
        return text  # "Our times were 120, 135 and 150 ms. What is the mean?", "exported from the spreadsheet
        # (attached). Which supplier ...?": the context carries its data, or says where it is
    return last


def _refused(part: _Part) -> bool:
    """Whether a request is unserved for asking a capability no card offers (not merely for matching weakly)."""
    return part.verdict.unserved_reason.startswith("no advertised skill can ")


_NOUN_AND = re.compile(r",?\s+(?:and|&)\s+(?:also\s+)?(?=[a-z])|,?\s+as well as\s+|\s+\+\s+(?=[a-z])", re.I)
SPLIT_SCORE = 0.35  # each side of a noun coordination must fit its own skill at least this well


def _lead_words(text: str) -> str:
    """The verb (with "me") that a coordinated noun phrase shares: "Give me", "Make", "What are"."""
    words = text.split()
    lead: list[str] = []
    for word in words[:3]:
        lowered = word.lower().strip(",")
        if not lead and lowered not in REQUEST_VERBS and lowered not in QUESTION_WORDS:
            return ""
        if lead and lowered not in ("me", "us", "is", "are"):
            break
        lead.append(word)
    return " ".join(lead)


def _bare(text: str) -> str:
    return re.sub(OPEN + r"\d+\ue001", " ", text)


def _renumber(text: str, ids: list[int]) -> str:
    """The request's text with its own spans numbered 0.. in the order of `ids` (as `match` receives them)."""
    order = {old: new for new, old in enumerate(ids)}
    return re.sub(OPEN + r"(\d+)\ue001", lambda m: f"{OPEN}{order.get(int(m.group(1)), 0)}\ue001", text)


def _skill(roster: Sequence[Worker], skill_id: str) -> Skill | None:
    return next((s for w in roster for s in w.skills if s.id == skill_id), None)


def _fold_context(parts: list[_Part]) -> list[_Part]:
    """ "Need to reorder before the weekend market. Which items have fewer than 10 in stock?": a sentence that
    asks nothing (no request verb or question opens it) and that no skill serves is context for the request
    next to it, not an unserved part."""
    out: list[_Part] = []
    pending: _Part | None = None
    for index, part in enumerate(parts):
        context = (
            part.verdict.best is None
            and not part.request.asked  # "can you also renew my car insurance": asked of us, not said
            and not _request_like(strip_polite(_asking_clause(part.request.text)))
            and not _asking_clause(part.request.text).rstrip().endswith("?")
            and len(parts) > 1
            and part.request.joiner in ("", "sentence")
        )
        following = parts[index + 1] if index + 1 < len(parts) else None
        if context and following is not None and following.request.joiner == "sentence":
            pending = part if pending is None else _Part(_joined(pending.request, part.request), part.verdict)
            continue
        if context and following is None and out and out[-1].verdict.best is not None:
            out[-1] = _Part(_joined(out[-1].request, part.request), out[-1].verdict)
            continue
        if pending is not None:
            part = _Part(_joined(pending.request, part.request, keep=part.request), part.verdict, refolded=True)
            pending = None
        out.append(part)
    if pending is not None:
        out.append(pending)
    return out


def _request_like(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    return bool(words) and (words[0] in REQUEST_VERBS or words[0] in QUESTION_WORDS)


def _joined(first: Request, second: Request, keep: Request | None = None) -> Request:
    """Two requests' words as one, in order; joiner and shared data from `keep` (else the first)."""
    base = keep or first
    text = join_sentences(first.text, second.text)
    return Request(text, first.spans + second.spans, first.joiner, base.shared, first.appended or second.appended)


def _merge_continuations(parts: list[_Part], roster: Sequence[Worker]) -> list[_Part]:
    """ "Group this by team and sum the points": a part joined by "and" with no data of its own, whose words the
    previous part's skill already advertises (or that matched the same skill), is the same subtask."""
    merged: list[_Part] = []
    for part in parts:
        previous = merged[-1] if merged else None
        short = len(part.request.text.split()) <= 6
        if previous is not None and (
            _same_question_of_same_data(part, previous)
            or _orders_the_rows(part, previous)
            or _follow_up_question(part, previous, roster)
            or _another_question_for_the_answerer(part, previous, roster)
        ):
            merged[-1] = _Part(_joined(previous.request, part.request, keep=previous.request), previous.verdict)
            continue
        grouped = _one_grouping(part, previous, roster) if previous is not None else None
        if previous is not None and grouped is not None:
            merged[-1] = _Part(_joined(previous.request, part.request, keep=previous.request), grouped.verdict)
            continue
        if (
            previous is not None
            and (part.request.joiner == "and" or (part.request.joiner == "sentence" and short))
            and not part.request.spans
            and not re.search(r"\d", part.request.text)
            and not shapes(part.request.text) & {"expression", "conversion", "numbers", "question"}
            and previous.verdict.best is not None
            and (_continues(part, previous, roster) if part.request.joiner == "and" else _same_skill(part, previous))
        ):
            request = previous.request
            data = "".join(f"{OPEN}{i}\ue001" for i in span_ids(request.text))
            joined = f"{_bare(request.text).strip()} and {part.request.text} {data}".strip()
            merged[-1] = _Part(Request(joined, request.spans, request.joiner, request.shared), previous.verdict)
            continue
        merged.append(part)
    return merged


def _same_question_of_same_data(part: _Part, previous: _Part) -> bool:
    """ "How many words does this sentence have, and how readable is it? '...'": one skill, one text; so is
    "is my bio too hard to read? can I get the word count and readability score: '...'", the text pasted after
    the second question and read by the first."""
    data = set(previous.request.spans + previous.request.shared)
    own = set(part.request.spans + part.request.shared)
    same_data = part.request.joiner == "and" and own == data
    pasted_after = part.request.appended and not own
    # "How many words is the notice ..., and is it easy to read? '<notice>'": the text quoted with the second
    # question is the first one's too
    quoted_with_second = (
        part.request.joiner == "and" and bool(own) and not data and _BACK_REFERENCE.search(_bare(part.request.text))
    )
    if quoted_with_second and _same_skill(part, previous) and not re.search(r"\d", _bare(previous.request.text)):
        return True
    return (
        (same_data or pasted_after)
        and bool(data)
        and not re.search(r"\d", _bare(part.request.text))
        and _same_skill(part, previous)
    )


_ORDERING = re.compile(
    r"\s*(?:and\s+|then\s+)?(?:sort|order|rank|list|arrange|show)\s+(?:them|those|these|the results?|the rows)\b", re.I
)


def _orders_the_rows(part: _Part, previous: _Part) -> bool:
    """ "Which plants have fewer than 10 in stock? Sort them lowest stock first. <csv>": the order of the rows
    the question before found, asked of the same table and the same skill: one query."""
    data = set(previous.request.spans + previous.request.shared)
    own = set(part.request.spans + part.request.shared)
    attached = not data and not part.request.spans and not previous.request.spans  # one attached table
    return (
        (bool(data) or attached)  # the same pasted table, or the one attached for both
        and own == data
        and bool(_ORDERING.match(_bare(part.request.text)))
        and len(_bare(part.request.text).split()) <= 10
        and _same_skill(part, previous)
    )


_CHECKING = re.compile(r"\s*(?:so\s+)?(?:is|are|does|do|would|could|should|can)\s+(?:that|this|it|they)\b", re.I)
_BACK_REFERENCE = re.compile(r"\b(?:it|its|each|they|them|their|one)\b", re.I)
_PLAIN = frozenset("what what's whats how which who is are does do did can could kind sort type go goes in".split())


def _follow_up_question(part: _Part, previous: _Part, roster: Sequence[Worker]) -> bool:
    """ "What is an agent card and what goes in it?", "What columns are in this file and what kind of data does
    each hold?", "How does a client learn what an agent can do? Is that what the card is for?": a second
    question about the first one's subject, with nothing of its own to work on, is the same question (asked of
    the same skill), not a new part."""
    request, best = part.request, previous.verdict.best
    bare = _bare(request.text)
    # "... before sending it a task? Is that what the agent card is for?": a yes-or-no check on the answer
    checks = request.joiner == "sentence" and bool(_CHECKING.match(bare))
    if (
        best is None
        or (request.joiner != "and" and not checks)
        or request.spans
        or re.search(r"(?<![A-Za-z])\d", f"{bare} {_bare(previous.request.text)}")
        or (not bare.rstrip().endswith("?") and not _request_like(bare))
        or not (checks or _BACK_REFERENCE.search(bare))
    ):
        return False
    skill = _skill(roster, best.skill_id)
    answers = skill is not None and "question" in profile(skill).shapes  # a skill that answers questions
    if checks and answers and (part.verdict.best is None or part.verdict.best.skill_id == best.skill_id):
        return True  # "... the same notification twice. Is that expected?": asked of the same answerer
    if part.verdict.best is not None:
        same = next((m.score for m in part.verdict.matches if m.skill_id == best.skill_id), 0.0)
        # about as well: but "a one-sentence summary of the text below, and tell me how many words it has" is a
        # second piece of work on the same text (both skills fit a text), for the skill that fits it best
        close = 0.9 if request.shared and not answers else 0.8
        if same >= close * part.verdict.best.score:  # the first question's skill fits it about as well
            return True
        if request.shared and not answers:
            return False
    own = [stem(w) for w in re.findall(r"[a-z]+", bare.lower()) if w not in _PLAIN and len(w) > 2]
    vocabulary = profile(skill).vocabulary if skill is not None else frozenset()
    own = [w for w in own if not _BACK_REFERENCE.fullmatch(w)]
    return bool(own) and 2 * sum(w in vocabulary for w in own) >= len(own)


def _another_question_for_the_answerer(part: _Part, previous: _Part, roster: Sequence[Worker]) -> bool:
    """ "What is an agent card and where do you find it?", "How do push notifications work? Anything I should
    worry about security-wise?": questions in a row, with nothing of their own to work on, for an agent that
    answers questions from what it knows (no material) are asked of it together: one answer, not one per
    sentence. A numbered list of questions stays a list."""
    a, b = previous.verdict.best, part.verdict.best
    if a is None or b is None or part.request.enumerated or previous.request.enumerated:
        return False
    if part.request.continues and not _BACK_REFERENCE.search(_bare(part.request.text)):
        return False  # "... ? Also, how do I cancel a task that's already running?": another question
    if re.search(r"(?<![A-Za-z])\d", _bare(part.request.text)) or refers_to_results(part.request.text):
        return False
    if not _same_agent(roster, a.skill_id, b.skill_id):
        return False
    found = [_skill(roster, m.skill_id) for m in (a, b)]
    skills = [s for s in found if s is not None]
    return (
        len(skills) == 2
        and not any(profile(s).needs_material for s in skills)
        and any("question" in profile(s).shapes for s in skills)
        and not any(profile(s).shapes & {"expression", "conversion", "numbers"} for s in skills)
    )


def _same_agent(roster: Sequence[Worker], first: str, second: str) -> bool:
    """Whether one agent of the roster advertises both skills."""
    return any({first, second} <= {s.id for s in worker.skills} for worker in roster)


_CONTENT_STOP = frozenset("which what that this these those with from last month week year please attached".split())


def _one_grouping(part: _Part, previous: _Part, roster: Sequence[Worker]) -> _Part | None:
    """ "Which genre sold most copies? Total copies per genre please": two asks of one table that one grouping
    answers (the totals per genre show which sold most). Returns the part whose skill groups, or None."""
    a, b = previous.verdict.best, part.verdict.best
    if a is None or b is None or a.skill_id == b.skill_id or refers_to_results(part.request.text):
        return None
    if sorted(previous.request.spans + previous.request.shared) != sorted(part.request.spans + part.request.shared):
        return None
    if not _same_agent(roster, a.skill_id, b.skill_id):
        return None
    skills = {m.skill_id: _skill(roster, m.skill_id) for m in (a, b)}
    if any(s is None or "table" not in profile(s).shapes for s in skills.values()):
        return None
    grouping = [p for p, m in ((previous, a), (part, b)) if "group" in profile(skills[m.skill_id]).shapes]
    if len(grouping) != 1:
        return None

    def content(text: str) -> set[str]:
        return {stem(w) for w in re.findall(r"[a-z]{4,}", _bare(text).lower()) if w not in _CONTENT_STOP}

    shared = content(previous.request.text) & content(part.request.text)
    asked = re.search(r"\bwhich\s+([a-z]+)", _bare(previous.request.text + " " + part.request.text), re.I)
    keys = {
        stem(k.lower())
        for k in re.findall(r"\b(?:per|by|for each|each)\s+([a-z]+)", _bare(grouping[0].request.text), re.I)
    }
    if not keys:
        return None  # "which tenants are behind? what's the total rent across all flats?": a total of all rows
    # "which supplier did we spend the most with? total per supplier": the groups asked for are the ones named
    return grouping[0] if len(shared) >= 2 or (asked is not None and stem(asked[1].lower()) in keys) else None


def _same_skill(part: _Part, previous: _Part) -> bool:
    """ "How should an orchestrator pick a worker? Answer from the docs.": a short directive for the same skill."""
    a, b = part.verdict.best, previous.verdict.best
    return a is not None and b is not None and a.skill_id == b.skill_id and not refers_to_results(part.request.text)


def _continues(part: _Part, previous: _Part, roster: Sequence[Worker]) -> bool:
    best = previous.verdict.best
    assert best is not None
    if part.verdict.best is not None and part.verdict.best.skill_id == best.skill_id:
        return True
    skill = _skill(roster, best.skill_id)
    words = [w for w in re.findall(r"[a-z]+", _bare(part.request.text).lower())[:1]]
    return skill is not None and bool(words) and stem(words[0]) in profile(skill).vocabulary


def _build(
    parts: list[_Part], reading: Reading, goal: Goal, roster: Sequence[Worker]
) -> tuple[list[Subtask], list[UnservedPart]]:
    subtasks: list[Subtask] = []
    unserved: list[UnservedPart] = []
    spans = list(reading.spans)
    served_before: list[_Part] = []
    for part in parts:
        words = part.request.instruction(spans)
        best = part.verdict.best
        index = parts.index(part)
        deps = _dependencies(part, served_before, roster, [p.request.text for p in parts[:index]], goal)
        before = parts[index - 1] if index > 0 else None
        after_unserved = (
            before is not None
            and before.verdict.best is None
            and _points_back(part.request.text)
            and not has_own_amount(part.request.text)  # "12% on a hammer price of 8,400 - how much is that"
            # "Forward the list to Hannah. How many sentences does it have?": nothing comes out of forwarding
            and not (acts_in_the_world(before.request.text) and not re.search(r"\d", before.request.text))
        )
        context = ""
        if after_unserved and before is not None and re.search(r"\d", before.request.text):
            # "order 3 boxes at 12.99 each -- first tell me what that comes to with 8% tax": the numbers of
            # the part not served are this one's data
            context, after_unserved = before.request.instruction(spans), False
        if best is None or deps is None or (after_unserved and not part.request.spans and not deps):
            reason = part.verdict.unserved_reason or "it needs the result of a part that cannot be served"
            unserved.append(UnservedPart(text=_short(part.request.own_words(spans)), reason=reason))
            continue
        part.subtask_id = f"s{len(subtasks) + 1}"
        brief, inputs = _brief(part.request, spans)
        brief = f"{context} -- {brief}" if context else brief
        subtasks.append(
            Subtask(
                id=part.subtask_id,
                skill=best.skill_id,
                brief=brief,
                depends_on=tuple(p.subtask_id for p in deps),
                attachments=_attachments(part, goal, bool(deps)),
                inputs=inputs,
                part=_short(words),
            )
        )
        served_before.append(part)
    return subtasks, unserved


def _points_back(text: str) -> bool:
    """ "turn it into a report", "summarize the result": works on what the part before it produces."""
    return refers_to_results(text) or bool(re.search(r"\b(?:it|them|that)\b", text, re.I))


def _dependencies(
    part: _Part, before: list[_Part], roster: Sequence[Worker], earlier: list[str], goal: Goal
) -> list[_Part] | None:
    """The earlier parts whose output this one needs ([] for none); None when it needs a part that was not
    served (a summary of an untranslatable translation)."""
    request = part.request
    if request.joiner == "":
        return []
    refers = refers_to_results(_bare(request.text), earlier[-1:])
    if refers and wants_data(request.text) and not refers_to_results(_bare(request.text)):
        refers = False  # "the total pledged per tier" of the attached pledges: a noun met before, new data
    if request.spans and not refers:
        return []
    if request.shared and not refers:
        return []  # the data it shares is what it works on ("... and list its keywords")
    if _applies_a_rate(request) and before and not refers:
        return [before[-1]]  # "..., then how many hours it will take at our pace of 4 km per hour"
    if not refers and _own_operands(request.text) and shapes(request.text) & {"expression", "conversion"}:
        return []  # it carries its own operands: "we archived 3.2 TB of logs, how many GiB is that?"
    best = part.verdict.best
    skill = _skill(roster, best.skill_id) if best else None
    consumes = skill is not None and profile(skill).needs_material and not wants_data(request.text)
    if consumes and not refers and skill is not None and "table" in profile(skill).shapes and goal.attachments:
        consumes = False  # "what's the total rent across all flats?" asks the attached sheet, not the step before
    if not (refers or consumes or _POINTS_BACK.search(_bare(request.text))):
        return []
    if not before:
        return None if refers else []
    if _ALL_RESULTS.search(request.text) or (not refers and _WRITES.search(request.text)):
        return list(before)
    if refers and earlier and not refers_to_results(request.text) and before[-1].request.text != earlier[-1]:
        return None  # it names the output of the part just before it, which is not served
    return [before[-1]]


def _applies_a_rate(request: Request) -> bool:
    """ "..., then tell me how many hours it will take at our pace of 4 km per hour": after "then", a rate whose
    number is the request's only one is applied to the result before it."""
    bare = _bare(request.text)
    return (
        request.joiner == "then"
        and len(re.findall(r"(?<![\w.])\d", bare)) == 1
        and bool(re.search(r"\bat\b[^?]*\d[\d.,]*\s*[a-z]+\s*(?:per|a|an|each|/)\s*[a-z]+", bare, re.I))
    )


# "convert it to miles", "double that", "a report on it" point at an earlier result; the "it" of "reconnect to a
# stream after it drops" points inside its own sentence
_POINTS_BACK = re.compile(
    r"^\W*(?:[\w'-]+\s+){0,3}?(?:it|them|that|those)\b|\b(?:of|on|from|about|into|with|around|for)\s+(?:it|them|that)\b|"
    r"\b(?:that|those|these)\s+(?:\w+\s+)?(?:distance|number|numbers|amount|total|figure|figures|value|values|sum|"
    r"price|time|weight|length|temperature|speed|answer|result|results|average|mean)\b",
    re.I,
)


def _brief(request: Request, spans: list[Span]) -> tuple[str, tuple[SubtaskInput, ...]]:
    """The request in the caller's words with its data inline, or, when the data is large, with the data as
    inputs that travel beside the brief."""
    ids = span_ids(request.text)
    shared = [i for i in request.shared if i not in ids]
    text = request.text
    if shared:
        text = text.rstrip(" :") + ": " + " ".join(f"{OPEN}{i}\ue001" for i in shared)
    inline = restore(text, spans).strip()
    data_size = sum(len(spans[i].text) for i in ids + shared)
    if data_size <= INLINE_DATA_CHARS and len(inline) <= BRIEF_MAX_CHARS:
        return inline, ()
    # the brief names no stand-in a worker could take for the material itself; the material follows as parts
    brief = re.sub(r"\s*:?\s*" + OPEN + r"\d+\ue001", "", text).strip(" :") or "Work on the attached material"
    inputs = tuple(
        SubtaskInput(text=spans[i].text, media_type=spans[i].media_type, name=_label(spans[i])) for i in ids + shared
    )
    return brief[:BRIEF_MAX_CHARS], inputs


def _label(span: Span) -> str:
    return "the table" if span.kind == "table" else "the text"


def _attachments(part: _Part, goal: Goal, has_deps: bool) -> tuple[int, ...]:
    """The goal's attachments this part reads: the ones it names, else all of them, unless it has data of its
    own, works on earlier results, or carries its own numbers ("the mean of 120, 135 and 150")."""
    if not goal.attachments or part.request.spans:
        return ()
    named = [i for i, a in enumerate(goal.attachments) if a.split(" (")[0].lower() in part.request.text.lower()]
    if named:
        return tuple(named)
    if not wants_data(part.request.text) and (has_deps or _own_operands(part.request.text)):
        return ()
    return tuple(range(len(goal.attachments)))


def _own_operands(text: str) -> bool:
    """A list of numbers, an expression or a conversion of its own: "the mean of 120, 135 and 150", "3.2 TB in
    GiB" (a threshold, "sales over 1000", is a question about a table)."""
    bare = _bare(text)
    if len(_NUMBER_LIST.findall(bare)) >= 3:
        return True
    back = _POINTS_BACK.search(bare)
    amount_first = back is not None and bool(re.search(r"[$€£]\s?\d", bare[: back.start()]))
    if back and not amount_first:
        return False  # "multiply that by 4": one operand is an earlier result (but "a $245.60 bill, an 18% tip
        # on that": its own)
    return bool(re.search(r"(?<![A-Za-z])\d", bare)) and bool(shapes(text) & {"expression", "conversion"})


def _whole_goal(only: Subtask, reading: Reading, goal: Goal) -> Subtask:
    """One skill covers the goal: hand over the whole goal rather than a fragment of it (its data inline unless
    it is too large, then as inputs)."""
    text = goal.text.strip()
    masked, spans = mask_data(text)
    if written_out(masked) != masked and restore(masked, spans) == text:
        text = restore(written_out(masked), spans)  # "hw many kg is 165 lbs": short forms written out, not in data
    if len(text) <= BRIEF_MAX_CHARS and sum(len(s.text) for s in reading.spans) <= INLINE_DATA_CHARS * 3:
        return only.model_copy(update={"brief": text, "inputs": ()})
    return only


def _short(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat or "(empty)"
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"
