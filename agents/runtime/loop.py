"""The agent loop shared by every worker.

The model proposes tool calls; the loop validates and runs them (concurrently within a step, each under a
timeout) and feeds results or errors back, until the model answers, asks the caller a question, declines the
request as out of scope, or the step limit is reached. Two control tools are always offered: `ask_user` and
`decline`. The loop never raises for tool failures; model failures propagate as `ModelError`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field, JsonValue

from agents.host import tracing
from agents.host.wire import Usage

from .messages import (
    AssistantTurn,
    Conversation,
    ToolCall,
    ToolOutcome,
    ToolResultsTurn,
    ToolSpec,
    Turn,
    UserTurn,
    WorkerInput,
)
from .model import Model
from .offline import ASK_USER, DECLINE
from .tools import Tool, Toolbox, ToolContext, ToolError

log = logging.getLogger(__name__)

Progress = Callable[[str], Awaitable[None]]


class _AskUser(BaseModel):
    question: str = Field(description="The question for the caller: what is missing and why it is needed.")


class _Decline(BaseModel):
    reason: str = Field(description="Why the request is outside this agent's skills.")


CONTROL_TOOLS = (
    ToolSpec(
        name=ASK_USER,
        description="Ask the caller for information that is essential and missing. Ends this turn.",
        input_schema=_AskUser.model_json_schema(),
    ),
    ToolSpec(
        name=DECLINE,
        description="Decline a request that is outside this agent's skills, saying why. Ends the task.",
        input_schema=_Decline.model_json_schema(),
    ),
)


@dataclass(frozen=True)
class ToolData:
    """Structured output of one successful tool call, published with the answer."""

    tool: str
    data: JsonValue


@dataclass(frozen=True)
class Answer:
    text: str
    results: tuple[ToolData, ...] = ()
    truncated: bool = False
    usage: Usage = Usage()


@dataclass(frozen=True)
class Question:
    text: str
    usage: Usage = Usage()


@dataclass(frozen=True)
class Refusal:
    reason: str
    usage: Usage = Usage()


@dataclass(frozen=True)
class StepLimit:
    steps: int
    usage: Usage = Usage()


@dataclass(frozen=True)
class ToolFailure:
    """Every tool call failed and the model gave up: the task fails, with the model's explanation as reason."""

    reason: str
    usage: Usage = Usage()


Outcome = Answer | Question | Refusal | StepLimit | ToolFailure


@dataclass
class AgentLoop:
    model: Model
    system_prompt: str
    toolbox: Toolbox
    max_steps: int = 8
    tool_timeout: float = 30.0
    _specs: tuple[ToolSpec, ...] = field(init=False)

    def __post_init__(self) -> None:
        self._specs = (*self.toolbox.specs(), *CONTROL_TOOLS)

    async def run(self, task_input: WorkerInput, progress: Progress | None = None) -> Outcome:
        """Run the loop to an outcome, under an `agent loop` span (one `model call` / `tool <name>` span each)."""
        with tracing.span("agent loop", max_steps=self.max_steps) as current:
            outcome = await self._run(task_input, progress)
            current.set_attribute("outcome", type(outcome).__name__)
            current.set_attribute("model_calls", outcome.usage.calls)
            return outcome

    async def _run(self, task_input: WorkerInput, progress: Progress | None) -> Outcome:
        turns: list[Turn] = [UserTurn(text=task_input.instruction)]
        context = ToolContext(materials=task_input.materials)
        usage = Usage()
        results: list[ToolData] = []
        calls = failures = 0
        for _step in range(self.max_steps):
            conversation = Conversation(
                system=self.system_prompt, tools=self._specs, turns=tuple(turns), input=task_input
            )
            with tracing.span("model call", step=_step):
                turn = await self.model.respond(conversation)
            usage = usage + turn.usage
            turns.append(AssistantTurn(turn=turn))
            for call in turn.tool_calls:
                if call.name == ASK_USER:
                    return Question(text=str(call.arguments.get("question") or "More input is needed."), usage=usage)
                if call.name == DECLINE:
                    return Refusal(reason=str(call.arguments.get("reason") or "Out of scope."), usage=usage)
            if not turn.tool_calls and turn.stop_reason == "refusal":
                return Refusal(reason=turn.text or "The model declined the request.", usage=usage)
            if not turn.tool_calls and calls and failures == calls:
                return ToolFailure(reason=turn.text or "every tool call failed", usage=usage)
            if not turn.tool_calls:
                return Answer(
                    text=turn.text, results=tuple(results), truncated=turn.stop_reason == "max_tokens", usage=usage
                )
            if progress is not None:
                await progress("Running " + ", ".join(c.name for c in turn.tool_calls))
            outcomes = await asyncio.gather(*(self._run_tool(c, context) for c in turn.tool_calls))
            results.extend(ToolData(o.name, o.data) for o in outcomes if not o.is_error and o.data is not None)
            calls += len(outcomes)
            failures += sum(o.is_error for o in outcomes)
            turns.append(ToolResultsTurn(outcomes=tuple(outcomes)))
        return StepLimit(steps=self.max_steps, usage=usage)

    async def _run_tool(self, call: ToolCall, context: ToolContext) -> ToolOutcome:
        with tracing.span(f"tool {call.name}", tool=call.name) as current:
            outcome = await self._invoke(call, context)
            current.set_attribute("is_error", outcome.is_error)
            return outcome

    async def _invoke(self, call: ToolCall, context: ToolContext) -> ToolOutcome:
        try:
            tool: Tool[Any] = self.toolbox.get(call.name)
            args = tool.parse(call.arguments)
            result = await asyncio.wait_for(tool.invoke(args, context), timeout=self.tool_timeout)
        except ToolError as exc:
            return ToolOutcome(call_id=call.id, name=call.name, content=str(exc), is_error=True)
        except TimeoutError:
            return ToolOutcome(
                call_id=call.id,
                name=call.name,
                content=f"{call.name} timed out after {self.tool_timeout:g} s",
                is_error=True,
            )
        except Exception:  # a bug in a tool: the model hears it failed, the log gets the traceback
            log.exception("tool %s crashed", call.name)
            return ToolOutcome(call_id=call.id, name=call.name, content=f"{call.name} failed", is_error=True)
        return ToolOutcome(call_id=call.id, name=call.name, content=result.text, data=result.data)
