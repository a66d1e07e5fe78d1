"""The text analyst's offline model: a deterministic policy choosing the tools Claude would.

First turn: read the request (`request.read_request`); call one tool per skill it names (or all four for a
generic "analyse this"), passing inline text or, when there is none, letting the tools read the attached
materials. No text anywhere -> ask for it; arithmetic or table work, or anything else -> decline. After the
tools ran, `answer.compose` writes the answer: the direct answers first, then the details; tool errors are
explained, never retried.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import Conversation, ModelTurn, WorkerInput
from agents.runtime.offline import answer, ask, calls, decline

from .answer import compose
from .request import ASK_TASK, ASK_TEXT, SKILLS, Request, read_request

TOOL_OF_SKILL = {
    "summarize": "summarize_text",
    "keywords": "extract_keywords",
    "sentiment": "analyze_sentiment",
    "text_stats": "describe_text",
}
DECLINE_ELSEWHERE = (
    "the text analyst summarizes text and finds its keywords, sentiment and statistics; arithmetic, unit "
    "conversions and data tables belong to other agents"
)
DECLINE_OTHER = "the text analyst only summarizes text and finds its keywords, sentiment and statistics"
# subjects that are no text to analyse, when nothing to analyse came with them
_UNRELATED = re.compile(
    r"\b(weather|forecast|news|headlines|flights?|hotels?|stock prices?|recipes?|capital of|directions to)\b"
    r"|^\s*(?:when|why|who|where|what|which|how|is|are|can|should|does|do)\b(?!.*\b(?:text|passage|review|article|"
    r"e-?mail|message|document|paragraph|sentences?|words?|comment|post|letter|essay|story|report|notes?|this|"
    r"that|these|those)\b)",
    re.IGNORECASE,
)


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn: tool calls on the first step, then an answer from their results."""
    history = conversation.tool_history()
    if history:
        task = conversation.input
        request = read_request(task.instruction, task.skill_hint, has_materials=bool(task.materials))
        return answer(compose(request.request, history))
    return _first_turn(conversation.input)


def _first_turn(task: WorkerInput) -> ModelTurn:
    request = read_request(task.instruction, task.skill_hint, has_materials=bool(task.materials))
    has_text = request.text is not None or any(m.as_text().strip() for m in task.materials)
    skills = request.skills or (SKILLS if request.generic and not request.elsewhere else ())
    if not skills:
        if request.elsewhere:
            return decline(DECLINE_ELSEWHERE)
        if has_text and not request.request.strip():
            return ask(ASK_TASK)
        return decline(DECLINE_OTHER)
    if not has_text:
        if not request.named and _UNRELATED.search(request.request):
            return decline(DECLINE_OTHER)  # a skill was chosen for us, but "today's news" names no text
        return ask(ASK_TEXT)
    return calls(*(_call(skill, request) for skill in skills))


def _call(skill: str, request: Request) -> tuple[str, dict[str, JsonValue]]:
    arguments: dict[str, JsonValue] = {} if request.text is None else {"text": request.text}
    if skill == "summarize":
        arguments["sentences"] = request.sentences
    elif skill == "keywords":
        arguments["top"] = request.top
    return TOOL_OF_SKILL[skill], arguments
