"""The writer's offline policy: the deterministic stand-in for Claude (see `agents.runtime.offline`).

Decision order: after a tool ran, answer with its Markdown (or explain its error); otherwise decline requests
that are not writing from material (computing, data analysis, code), ask for material when there is none
attached and none inline (a report on a topic is not material: the writer never writes an empty or invented
document), and else call the tool of the requested product once.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer_from, ask, call, decline

from .request import Request, find_skill, read_request

PRODUCT_NOUN = {"write_report": "report", "outline": "outline", "executive_summary": "summary"}
SCOPE = "I write reports, outlines and executive summaries from supplied material"
# a question about another subject, which no writing from material answers
_UNRELATED = re.compile(
    r"\b(weather|forecast|news|headlines|flights?|hotels?|stock prices?|capital of)\b"
    r"|^\s*(?:when|why|who|where|what|which|how|is|are|can|should|does|do)\b",
    re.IGNORECASE,
)


def tool_call(request: Request) -> ModelTurn:
    """The tool call that produces what `request` asks for (its skill must be set)."""
    notes: dict[str, JsonValue] = {"notes": request.notes} if request.notes else {}
    if request.skill == "outline":
        return call("outline", title=request.title or "", max_points=request.count or 6, **notes)
    if request.skill == "executive_summary" or request.short:  # a note is a few sentences, no sections
        return call("executive_summary", max_sentences=min(request.count or 3, 10), **notes)
    return call("compose_report", title=request.title or "Report", style=request.style, **notes)


def policy(conversation: Conversation) -> ModelTurn:
    """The next turn for the writer (contract in the module docstring)."""
    history = conversation.tool_history()
    if history:
        return answer_from(history[-1][1], failed="I could not write this from the material given")
    task = conversation.input
    request = read_request(task.instruction, task.skill_hint, has_materials=bool(task.materials))
    if request.out_of_scope:
        return decline(request.out_of_scope)
    if request.skill is None:
        return decline(f"{SCOPE}; this request asks for none of them")
    if not task.materials and not request.notes:
        if task.skill_hint and find_skill(task.instruction, None) is None and _UNRELATED.search(task.instruction):
            return decline(f"{SCOPE}; this request asks for none of them")  # a chosen skill, but no writing asked
        return ask(material_question(request))
    return tool_call(request)


def material_question(request: Request) -> str:
    """The question asked when there is nothing to write from: what the writer needs, and that it writes only
    from supplied material (it never invents a document about a topic)."""
    noun = PRODUCT_NOUN[request.skill or "write_report"]
    about = f" for \u201c{request.title}\u201d" if request.title else ""
    return (
        f"What material should the {noun} be based on? I write only from material you supply, and none came with"
        f" this request: please paste your notes or a source text{about}, or attach a document or data."
    )
