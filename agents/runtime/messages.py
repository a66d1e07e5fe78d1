"""Provider-neutral conversation types shared by the agent loop and every `Model`.

The agent loop speaks only these frozen models; `ClaudeModel` translates them to the Messages API and the
offline model reads them directly. Nothing here knows about A2A or HTTP.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from agents.host.wire import Usage


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Material(Frozen):
    """One input the caller supplied besides the instruction: text, structured data or a file.

    `source` names where it came from (a dependency's subtask id, a file name, "caller reply"), so tools and
    reports can cite it.
    """

    source: str
    text: str | None = None
    data: JsonValue = None
    content: bytes | None = None
    media_type: str = "text/plain"
    filename: str = ""

    def as_text(self) -> str:
        """The material rendered as text (data as JSON, files decoded as UTF-8 where possible)."""
        import json

        if self.text is not None:
            return self.text
        if self.content is not None:
            return self.content.decode("utf-8", errors="replace")
        return json.dumps(self.data, ensure_ascii=False, indent=1)


class WorkerInput(Frozen):
    """What one task gives a worker: the instruction plus the materials attached to it."""

    instruction: str
    materials: tuple[Material, ...] = ()
    skill_hint: str | None = None  # the skill id the caller asked for, when it said


class ToolCall(Frozen):
    id: str
    name: str
    arguments: dict[str, JsonValue] = Field(default_factory=dict)


class ToolOutcome(Frozen):
    """The result of one tool call as fed back to the model."""

    call_id: str
    name: str
    content: str
    is_error: bool = False
    data: JsonValue = None


StopReason = Literal["end_turn", "tool_use", "max_tokens", "refusal"]


class ModelTurn(Frozen):
    """One reply of a model: text, tool calls or both."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    stop_reason: StopReason = "end_turn"
    usage: Usage = Usage()


class UserTurn(Frozen):
    role: Literal["user"] = "user"
    text: str


class AssistantTurn(Frozen):
    role: Literal["assistant"] = "assistant"
    turn: ModelTurn


class ToolResultsTurn(Frozen):
    role: Literal["tool_results"] = "tool_results"
    outcomes: tuple[ToolOutcome, ...]


Turn = UserTurn | AssistantTurn | ToolResultsTurn


class ToolSpec(Frozen):
    """What a model is told about one tool."""

    name: str
    description: str
    input_schema: dict[str, JsonValue]


class Conversation(Frozen):
    """Everything a model sees for one step: the system prompt, the tools, the turns so far, and the input."""

    system: str
    tools: tuple[ToolSpec, ...]
    turns: tuple[Turn, ...]
    input: WorkerInput

    def tool_history(self) -> list[tuple[ToolCall, ToolOutcome]]:
        """Every tool call made so far, paired with its outcome, in order."""
        outcomes = {o.call_id: o for t in self.turns if isinstance(t, ToolResultsTurn) for o in t.outcomes}
        return [
            (call, outcomes[call.id])
            for t in self.turns
            if isinstance(t, AssistantTurn)
            for call in t.turn.tool_calls
            if call.id in outcomes
        ]
