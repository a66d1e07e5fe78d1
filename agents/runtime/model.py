"""The `Model` port: one step of an agent's reasoning, provider-neutral."""

from __future__ import annotations

from typing import Protocol

from .messages import Conversation, ModelTurn


class Model(Protocol):
    """Proposes the next turn of a conversation: a final answer, tool calls, or a control call.

    Implementations raise `ModelError` (see `errors`) when the provider fails after its own retries.
    """

    async def respond(self, conversation: Conversation) -> ModelTurn: ...
