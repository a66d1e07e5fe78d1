"""The offline model: a deterministic policy per worker behind the `Model` protocol.

A policy reads the conversation (the instruction, its materials and the tool calls made so far) and decides
the next turn exactly as a language model would: call tools, ask the caller, decline, or answer. It is the
embedded default, so the network does real work with no API key and no network, and tests are reproducible.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from pydantic import JsonValue

from .messages import Conversation, ModelTurn, ToolCall, ToolOutcome

Policy = Callable[[Conversation], ModelTurn]

ASK_USER = "ask_user"
DECLINE = "decline"


class OfflineModel:
    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    async def respond(self, conversation: Conversation) -> ModelTurn:
        return self._policy(conversation)


_ids = itertools.count(1)


def call(name: str, **arguments: JsonValue) -> ModelTurn:
    """A turn that calls one tool."""
    return calls((name, arguments))


def calls(*requests: tuple[str, dict[str, JsonValue]]) -> ModelTurn:
    """A turn that calls several tools at once (the loop runs them concurrently)."""
    return ModelTurn(
        tool_calls=tuple(ToolCall(id=f"offline-{next(_ids)}", name=n, arguments=a) for n, a in requests),
        stop_reason="tool_use",
    )


def answer(text: str) -> ModelTurn:
    return ModelTurn(text=text, stop_reason="end_turn")


def answer_from(outcome: ToolOutcome, *, failed: str, heading: str = "") -> ModelTurn:
    """The final turn after a worker's one tool call: its result (under `heading`), or `failed: <error>`."""
    if outcome.is_error:
        return answer(f"{failed}: {outcome.content}")
    return answer(f"{heading}\n\n{outcome.content}" if heading else outcome.content)


def ask(question: str) -> ModelTurn:
    """Ask the caller for something essential that is missing."""
    return call(ASK_USER, question=question)


def decline(reason: str) -> ModelTurn:
    """Refuse a request that is outside this worker's skills."""
    return call(DECLINE, reason=reason)
