"""The calculator's offline model: a deterministic policy choosing the tools Claude would.

Decision order on a first turn: the skill the caller named (`skill_hint`), else a unit conversion written in
the request, else a statistics request (keywords plus numbers in the request or attached materials), else an
arithmetic expression, written in symbols or in words (`prose`); arithmetic on an earlier step's result ("the
square root of that mean", `references`) comes first. Without a skill hint, requests whose head
asks for other work (summaries, reports ...) and questions about tables are declined before anything is read
from the material they quote; calculation requests missing their numbers get a question. After the tools
ran, the answer is built from their results (`answer.compose`: a direct first line, then the details); a
tool error becomes a clear explanation, never a retry loop.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import Conversation, Material, ModelTurn, WorkerInput
from agents.runtime.offline import answer, ask, call, decline

from .answer import compose
from .chains import per_asked
from .describe import numbers_in_json, numbers_in_material_text, numbers_in_text
from .formatting import format_number
from .parsing import (
    find_conversion,
    find_expression,
    find_numbers,
    is_currency,
    latest_reply,
    looks_tabular,
    relevant_text,
    request_head,
)
from .prose import story
from .references import rate_on_result, resolve_references
from .spelling import corrected
from .units import find_unit_or_none

SKILLS = ("arithmetic", "unit_conversion", "statistics")

_STATS = re.compile(
    r"\b(mean|average|avg|median|modes?|std|stdev|standard deviation|variance|quartiles?|iqr|statistics|"
    r"statistical|stats|describe|descriptive|spread|range|minimum|maximum|sum of|total of)\b",
    re.IGNORECASE,
)
_OFF_TOPIC = re.compile(
    r"\b(weather|forecast|news|headlines?|flights?|hotels?|restaurants?|recipes?|jokes?|poems?|lyrics|capital of)\b",
    re.IGNORECASE,
)
_VERB_MEAN = re.compile(r"\b(?:does|do|did|would|will|could|to)\s+(?:[\w-]+\s+){0,4}?mean\b", re.I)
_QUESTION = re.compile(r"\s*(when|why|who|where|what|which|how|is|are|can|should|does|do)\b", re.IGNORECASE)
_TOTAL = re.compile(  # "what is the total?", "23 on Saturday, 31 on Sunday ... how many altogether?"
    r"\b(total|sum|altogether|all together|combined|in all|add (?:them|these|those|it) up)\b", re.IGNORECASE
)
_CONVERT = re.compile(  # but a "conversion rate" is a share of visitors, not a change of units
    r"\b(convert(?!\w*\s+rates?\b)|conversion(?!\s+rates?\b)|(?:how many|number of) .+ in|how far)\b", re.IGNORECASE
)
_CALCULATION = re.compile(
    r"\b(calculate|compute|evaluate|solve|arithmetic|math|how much|sum|product|total|multiply|divide|add|"
    r"subtract|percent|percentage|square root|expression)\b",
    re.IGNORECASE,
)
_SHARE_OF = re.compile(r"\d\s*(?:%|percent|per cent)\s+of\s+[$€£]?\d", re.IGNORECASE)
_SLASHED_LIST = re.compile(r"\d[\d,.]*(?:\s+/\s+\d[\d,.]*){2,}")  # "3,400 / 12,750 / 980"
# what a price asks: "at EUR 0.09 per word, what do I charge for the document?"
_PRICE_ASKED = re.compile(r"\bwhat (?:do|does|would|will|should|did) \w+ (?:charge|owe|invoice|bill|pay|cost)\b", re.I)
_ELSEWHERE = re.compile(
    r"\b(summar\w*|tl;?dr|essay|report|article|poem|story|translate|sentiment|keywords?|e-?mail|letter|"
    r"search|look up|documents?|write|draft|chart|plot|word count|readability|"
    r"how many (?:words|sentences|characters|letters|paragraphs|lines)(?!\s+(?:per|an?|each|every)\s)|"
    r"pdf|docx?|jpe?g|png|gif|mp[34]|html|"
    r"word documents?|spreadsheets?)\b",
    re.IGNORECASE,
)
ASK_EXPRESSION = "Which calculation should I do? Please write the expression out, for example (three + four) * two."
ASK_NUMBERS = "Which numbers should I analyse? Please list at least two, separated by commas or spaces."
ASK_CONVERSION = "What should I convert? Please give a value, its unit and the target unit, e.g. 'ten km to miles'."
DECLINE_REASON = (
    "the calculator does arithmetic, unit conversions and descriptive statistics of numbers; "
    "this request is for another kind of work"
)
DECLINE_CURRENCY = "the calculator converts units of measure; it has no exchange rates for currencies"
DECLINE_TABLE = (
    "the calculator does arithmetic, unit conversions and descriptive statistics of a list of numbers; "
    "questions about a table (its rows and columns) belong to a data analyst"
)


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn: tool calls on the first step, then an answer from their results."""
    history = conversation.tool_history()
    if history:
        return answer(compose(relevant_text(conversation.input.instruction), history))
    return _first_turn(conversation.input)


def _first_turn(task: WorkerInput) -> ModelTurn:
    text = corrected(relevant_text(task.instruction))  # "sqaure root of 2025"
    reply = corrected(latest_reply(task.instruction))
    hint = task.skill_hint if task.skill_hint in SKILLS else None
    if hint is None:
        refusal = _elsewhere(text, task.materials)
        if refusal is not None:
            return decline(refusal)
    elif _unrelated(text) and not task.materials:
        return decline(DECLINE_REASON)  # a skill was chosen for us, but "what's the weather" is no calculation
    referenced = resolve_references(reply or text, task.materials)  # "the square root of that mean"
    expression = find_expression(referenced) if referenced != (reply or text) and hint != "statistics" else None
    if expression and hint in (None, "arithmetic"):
        return call("calculate", expression=expression)  # arithmetic on an earlier result, not statistics of it
    applied = rate_on_result(text, task.materials) if task.materials and referenced == (reply or text) else None
    if applied is not None and hint in (None, "arithmetic"):
        return call("calculate", expression=applied[0])  # "... at 40 minutes per kilogram" of the weight before
    told = story(referenced)
    if told is not None and (hint in (None, "arithmetic", "unit_conversion") or per_asked(referenced)):
        return call("calculate", expression=told)  # "how long to walk 24 km at 5 km/h": no conversion
    converted = find_conversion(referenced) if hint == "arithmetic" else None  # "then convert it to grams"
    if referenced != (reply or text) and (hint in (None, "unit_conversion") or (converted and converted.known)):
        turn = _attempt("unit_conversion", task, referenced, "", explicit=hint is not None)
        if turn is not None:
            return turn  # "convert that number of kilograms to pounds"
    slashed = _SLASHED_LIST.search(text) and _STATS.search(request_head(text))
    if hint == "arithmetic" and slashed:
        hint = "statistics"  # "the average of 3,400 / 12,750 / 980": a list, not a chain of divisions
    for skill in (hint,) if hint else SKILLS[1:] + SKILLS[:1]:  # conversions and statistics before arithmetic
        if not hint and skill == "arithmetic" and _ELSEWHERE.search(text) and not _PRICE_ASKED.search(text):
            break
        turn = _attempt(skill, task, text, reply, explicit=hint is not None)
        if turn is not None:
            return turn
    if _ELSEWHERE.search(text) and not _STATS.search(text):
        return decline(DECLINE_REASON)
    if hint is None and _unrelated(text):
        return decline(DECLINE_REASON)
    if hint == "unit_conversion" and _SHARE_OF.search(text):
        turn = _attempt("arithmetic", task, text, reply, explicit=True)
        if turn is not None:
            return turn
    if hint == "arithmetic" and _STATS.search(text):
        turn = _attempt("statistics", task, text, reply, explicit=True)  # "the median of these", asked as a sum
        if turn is not None:
            return turn
    if hint == "statistics" or _STATS.search(text):
        return ask(ASK_NUMBERS)
    if hint == "unit_conversion" or _CONVERT.search(text):
        return ask(ASK_CONVERSION)
    if hint == "arithmetic" or _CALCULATION.search(text):
        return ask(ASK_EXPRESSION)
    return decline(DECLINE_REASON)


def _elsewhere(text: str, materials: tuple[Material, ...]) -> str | None:
    """Why a request is for another agent, judged on what it asks (its head), not on the material it quotes;
    a table, inline or attached, is a data analyst's unless the request brings its own numbers."""
    head = request_head(text)
    calculation = _CALCULATION.search(head) or _PRICE_ASKED.search(head)
    if _ELSEWHERE.search(head) and not (_STATS.search(head) or _CONVERT.search(head) or calculation):
        return DECLINE_REASON
    if looks_tabular(text):
        return DECLINE_TABLE
    if materials and all(_tabular(m) for m in materials) and len(numbers_in_text(head)) < 2:
        return DECLINE_TABLE
    return None


def _unrelated(text: str) -> bool:
    """Whether a request has nothing a calculation needs: no number, no unit, no calculation word, and it is
    about another subject (weather, news ...) or a question about something else ("when is it safe to retry?")."""
    statistics = _STATS.search(_VERB_MEAN.sub(" ", text))  # "what does the rejected state mean?" is no mean
    calculation = statistics or _CONVERT.search(text) or _CALCULATION.search(text) or find_expression(text)
    if re.search(r"\d", text) or calculation or re.search(r"\b(?:numbers|figures|values)\b", text, re.I):
        return False  # "can you help me with my numbers?": ours to ask about
    if _OFF_TOPIC.search(text):
        return True
    named_units = [w for w in re.findall(r"[^\W\d_]{3,}", text) if find_unit_or_none(w) is not None]
    return not named_units and bool(_QUESTION.match(text)) and len(text.split()) >= 4


def _tabular(material: Material) -> bool:
    """Whether a material is a table of several columns (a CSV file, JSON records, a pasted table)."""
    if isinstance(material.data, list):
        return any(isinstance(row, dict) and len(row) > 1 for row in material.data)
    text = material.as_text()
    header = text.strip().splitlines()[0] if text.strip() else ""
    if material.media_type in ("text/csv", "text/tab-separated-values") and re.search(r"[,;\t]", header):
        return True
    return material.data is None and looks_tabular(text)


def _attempt(skill: str, task: WorkerInput, text: str, reply: str, *, explicit: bool) -> ModelTurn | None:
    """The tool call for `skill` when the request carries what it needs, else None."""
    if skill == "unit_conversion":
        if _SHARE_OF.search(reply or text):
            return None  # "99.9% of 30 days in minutes": a share of the measure first, then its unit
        conversion = find_conversion(reply) or find_conversion(text)
        if conversion and not conversion.known and (is_currency(conversion.source) or is_currency(conversion.target)):
            return decline(DECLINE_CURRENCY)
        if conversion and not conversion.known and not explicit and find_expression(text):
            return None  # "how many minutes of downtime does 99.95% uptime allow": a calculation, not units
        if conversion and (conversion.known or explicit or _CONVERT.search(text)):
            return call("convert_units", value=conversion.value, from_unit=conversion.source, to_unit=conversion.target)
        return None
    if skill == "statistics":
        totals = bool(_TOTAL.search(text)) and not find_expression(text)  # "what is the total?" of given numbers
        if not (explicit or _STATS.search(text) or totals):
            return None
        numbers = find_numbers(reply) if reply else []
        numbers = numbers if len(numbers) >= 2 else find_numbers(text)
        if len(numbers) >= 2:
            return call("describe_numbers", numbers=list(numbers))
        if any(_material_has_numbers(m.as_text(), m.data) for m in task.materials):
            return call("describe_numbers")
        return None
    sources = [reply, text, *(m.as_text() for m in task.materials)]
    for source in sources:
        expression = find_expression(source) if source else None
        if expression:
            return call("calculate", expression=expression)
    numbers = find_numbers(text)
    if _TOTAL.search(text) and len(numbers) >= 2:
        return call("calculate", expression=" + ".join(format_number(n) for n in numbers))
    return None


def _material_has_numbers(text: str, data: JsonValue) -> bool:
    if data is not None:
        return bool(numbers_in_json(data))
    return bool(numbers_in_material_text(text))
