"""The librarian's offline policy: the tool choices Claude would make for a library request.

First turn: ask when there is no question, decline other agents' work (`scope`: arithmetic, conversions,
tables, doing something to a given text), else call
`search_documents` (for "find/search/list ..." requests or the search skill) or `answer_question` (for
questions) with the request stripped of meta words ("search the library for", "with citations"). Second
turn: answer with the tool's cited Markdown, or explain the tool's error. Never calls a tool twice.
"""

from __future__ import annotations

import re

from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer_from, ask, call, decline

from .scope import out_of_scope
from .text import tokens

ASK_FOR_QUESTION = "What would you like me to look up in the library? Please ask a question or name a topic."
_SEARCH = re.compile(
    r"^\s*(please\s+)?(search|find|look\s+(up|for)|retrieve|locate|list|show)\b|\b(passages|documents|docs)"
    r"\s+(about|on|mentioning|that mention)\b",
    re.I,
)
_META = re.compile(
    r"^\s*(please\s+)?((search|find|look\s+(up|for)|retrieve|locate|list|show)(\s+me)?(\s+(in|through))?"
    r"(\s+the)?(\s+(library|documents|docs|corpus|passages|sources))?(\s+(for|about|on|mentioning))?\s*)"
    r"|\b(using|according to|from|in|with)\s+(the\s+)?(library|documents|docs|corpus)\b"
    r"|\b(with|and)\s+citations?\b|\bcite\s+(your\s+|the\s+)?sources\b|\banswer\s+(this|the|my)\s+question:?",
    re.I,
)
_QUESTION_WORD = re.compile(r"\b(what|what's|when|where|why|who|which|how|is|are|can|does|do|should)\b", re.I)
_LIMIT = re.compile(r"\b(?:top|first|best)\s+(\d+)\b|\b(\d+)\s+(?:passages|results|hits|sources|documents)\b", re.I)


def question_text(instruction: str) -> str:
    """The caller's words: the instruction without the runtime's "You asked: ..." lines and reply prefixes."""
    lines = [line for line in instruction.splitlines() if not line.startswith("You asked:")]
    return "\n".join(line.removeprefix("The caller replied:").strip() for line in lines).strip()


def clean_query(text: str) -> str:
    """The request without meta words about searching and citing, and without a lead-in before the question
    ("For a piece I'm writing on AI agents: where does ...?" asks only the part after the colon), whitespace
    collapsed (may be empty)."""
    head, colon, tail = text.partition(":")
    if colon and tail.strip().endswith("?") and _QUESTION_WORD.search(tail) and not _QUESTION_WORD.search(head):
        text = tail
    return " ".join(_META.sub(" ", text).split()).strip(" :;,.")


def _limit(text: str, default: int, top: int) -> int:
    m = _LIMIT.search(text)
    if not m:
        return default
    return max(1, min(top, int(m.group(1) or m.group(2))))


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn for `conversation` (see the module docstring)."""
    history = conversation.tool_history()
    if history:
        return answer_from(history[-1][1], failed="I could not search the library")
    task = conversation.input
    text = question_text(task.instruction)
    refusal = out_of_scope(text, task.materials) if text else None
    if refusal is not None:
        return decline(refusal)
    query = clean_query(text)
    if not tokens(query):
        return ask(ASK_FOR_QUESTION)
    search = task.skill_hint == "search_documents" or (task.skill_hint is None and bool(_SEARCH.search(text)))
    if search:
        return call("search_documents", query=query, limit=_limit(text, 5, 20))
    return call("answer_question", question=query, limit=_limit(text, 3, 10))
