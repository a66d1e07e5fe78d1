"""The calculator's offline model: a deterministic policy choosing the tools Claude would.

Decision order on a first turn: the skill the caller named (`skill_hint`), else a unit conversion written in
the request, else a statistics request (keywords plus numbers in the request or attached materials), else an
arithmetic expression. Requests for other kinds of work (summaries, reports ...) are declined; calculation
requests missing their numbers get a question. After the tools ran, the answer is built from their results;
a tool error becomes a clear explanation, never a retry loop.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import Conversation, ModelTurn, ToolCall, ToolOutcome, WorkerInput
from agents.runtime.offline import answer, ask, call, decline

from .describe import numbers_in_json, numbers_in_material_text
from .formatting import format_number
from .parsing import find_conversion, find_expression, find_numbers, latest_reply, relevant_text
from .tools import STAT_LABELS

SKILLS = ("arithmetic", "unit_conversion", "statistics")

_STATS = re.compile(
    r"\b(mean|average|avg|median|modes?|std|stdev|standard deviation|variance|quartiles?|iqr|statistics|"
    r"statistical|stats|describe|descriptive|spread|range|minimum|maximum|sum of|total of)\b",
    re.IGNORECASE,
)
_CONVERT = re.compile(r"\b(convert|conversion|how many .+ in)\b", re.IGNORECASE)
_CALCULATION = re.compile(
    r"\b(calculate|compute|evaluate|solve|arithmetic|math|how much|sum|product|total|multiply|divide|add|"
    r"subtract|percent|percentage|square root|expression)\b",
    re.IGNORECASE,
)
_ELSEWHERE = re.compile(
    r"\b(summar\w*|tl;?dr|essay|report|article|poem|story|translate|sentiment|keywords?|e-?mail|letter|"
    r"search|look up|documents?|write|draft|chart|plot)\b",
    re.IGNORECASE,
)
_REQUESTED = (
    (r"\b(mean|average|avg)\b", ("mean",)),
    (r"\bmedian\b", ("median",)),
    (r"\bmodes?\b", ("modes",)),
    (r"\b(sum|total)\b", ("sum",)),
    (r"\b(count|how many)\b", ("count",)),
    (r"\b(min|minimum|smallest|lowest)\b", ("min",)),
    (r"\b(max|maximum|largest|highest)\b", ("max",)),
    (r"\brange\b", ("range",)),
    (r"\b(standard deviation|stdev|std|sd)\b", ("sample_stdev", "population_stdev")),
    (r"\bvariance\b", ("sample_variance", "population_variance")),
    (r"\b(quartiles?|iqr|interquartile)\b", ("q1", "q3", "iqr")),
)

ASK_EXPRESSION = "Which calculation should I do? Please write the expression out, for example (three + four) * two."
ASK_NUMBERS = "Which numbers should I analyse? Please list at least two, separated by commas or spaces."
ASK_CONVERSION = "What should I convert? Please give a value, its unit and the target unit, e.g. 'ten km to miles'."
DECLINE_REASON = (
    "the calculator does arithmetic, unit conversions and descriptive statistics of numbers; "
    "this request is for another kind of work"
)


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn: tool calls on the first step, then an answer from their results."""
    history = conversation.tool_history()
    if history:
        return _answer(conversation.input, history)
    return _first_turn(conversation.input)


def _first_turn(task: WorkerInput) -> ModelTurn:
    text = relevant_text(task.instruction)
    reply = latest_reply(task.instruction)
    hint = task.skill_hint if task.skill_hint in SKILLS else None
    for skill in (hint,) if hint else SKILLS[1:] + SKILLS[:1]:  # conversions and statistics before arithmetic
        if not hint and skill == "arithmetic" and _ELSEWHERE.search(text):
            break
        turn = _attempt(skill, task, text, reply, explicit=hint is not None)
        if turn is not None:
            return turn
    if _ELSEWHERE.search(text) and not _STATS.search(text):
        return decline(DECLINE_REASON)
    if hint == "statistics" or _STATS.search(text):
        return ask(ASK_NUMBERS)
    if hint == "unit_conversion" or _CONVERT.search(text):
        return ask(ASK_CONVERSION)
    if hint == "arithmetic" or _CALCULATION.search(text):
        return ask(ASK_EXPRESSION)
    return decline(DECLINE_REASON)


def _attempt(skill: str, task: WorkerInput, text: str, reply: str, *, explicit: bool) -> ModelTurn | None:
    """The tool call for `skill` when the request carries what it needs, else None."""
    if skill == "unit_conversion":
        conversion = find_conversion(reply) or find_conversion(text)
        if conversion and (conversion.known or explicit or _CONVERT.search(text)):
            return call("convert_units", value=conversion.value, from_unit=conversion.source, to_unit=conversion.target)
        return None
    if skill == "statistics":
        if not (explicit or _STATS.search(text)):
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
    return None


def _material_has_numbers(text: str, data: JsonValue) -> bool:
    if data is not None:
        return bool(numbers_in_json(data))
    return bool(numbers_in_material_text(text))


def _answer(task: WorkerInput, history: list[tuple[ToolCall, ToolOutcome]]) -> ModelTurn:
    failures = [outcome.content for _, outcome in history if outcome.is_error]
    successes = [(tool_call, outcome) for tool_call, outcome in history if not outcome.is_error]
    if not successes:
        reasons = "\n".join(f"- {reason}" for reason in failures)
        return answer(
            f"**I could not complete this calculation.**\n\n{reasons}\n\nPlease correct the request and send it again."
        )
    sections = [_section(task, tool_call, outcome) for tool_call, outcome in successes]
    sections.extend(f"**Could not compute:** {reason}" for reason in failures)
    return answer("\n\n".join(sections))


def _section(task: WorkerInput, tool_call: ToolCall, outcome: ToolOutcome) -> str:
    if tool_call.name == "calculate":
        return f"**Result:** {outcome.content}"
    if tool_call.name == "convert_units":
        return f"**Conversion:** {outcome.content}"
    highlights = _highlights(relevant_text(task.instruction), outcome)
    return "\n\n".join(part for part in (highlights, outcome.content) if part)


def _highlights(text: str, outcome: ToolOutcome) -> str:
    """One line with the measures the request named, e.g. "**Mean:** 18 · **Median:** 15.5"."""
    if not isinstance(outcome.data, dict):
        return ""
    keys = [key for pattern, found in _REQUESTED if re.search(pattern, text, re.IGNORECASE) for key in found]
    shown: list[str] = []
    for key in dict.fromkeys(keys):
        value = outcome.data.get(key)
        if isinstance(value, list):
            shown.append(
                f"**{STAT_LABELS[key]}:** {', '.join(format_number(float(str(v)), 10) for v in value) or 'none'}"
            )
        elif isinstance(value, int | float):
            shown.append(f"**{STAT_LABELS[key]}:** {format_number(value, 10)}")
    return " · ".join(shown)
