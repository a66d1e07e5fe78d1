"""Claude as planner and synthesizer, through the anthropic SDK (Messages API, tool use, prompt caching).

The planner forces the `submit_plan` tool, whose input schema is `PlanSubmission`. Its input is untrusted:
parsed and validated like any plan, and a rejected plan (or an answer that is not a plan at all) is sent back
naming every problem, at most `retries` times. A plan may have no subtasks when every part of the goal is
unserved: that is a clean plan (the goal code rejects the goal), not an error. A reply cut off at the output
limit is never used as a plan: it is asked for once more with twice the room (at most `max_tokens_ceiling`),
then planning fails saying so. A refusal fails planning at once.

The synthesizer's answer is used only when it is whole: an outage (`ModelError` after the SDK's retries), an
empty answer, a refusal or one cut off at the output limit falls back to `fallback` (the offline merge), and
the text says in its last line that it did and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anthropic
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.host.errors import ModelError
from agents.host.wire import Usage

from .errors import PlanError
from .models import Plan, Subtask, SubtaskResult, UnservedPart, Worker
from .planning import Goal, known_skills, validate_plan
from .prompts import PLANNER_SYSTEM, SYNTHESIS_SYSTEM, goal_message, roster_block, synthesis_message
from .synthesis import Synthesizer

PLAN_TOOL = "submit_plan"
PLAN_MAX_TOKENS_CEILING = 16_384  # the most room a plan cut off at the output limit is given on its one retry
SAID_CHARS = 300  # of the model's own words quoted in a planning error


class PlanSubmission(BaseModel):
    """The input schema of `submit_plan`. Unlike a caller's plan document, `subtasks` may be empty: a goal that
    no listed skill can serve is all `unserved`."""

    model_config = ConfigDict(extra="forbid")

    subtasks: list[Subtask] = Field(
        default_factory=list,
        description="One subtask per piece of work a listed skill can do. Empty if no listed skill can serve any "
        "part of the goal.",
    )
    unserved: list[UnservedPart] = Field(
        default_factory=list,
        description="Every part of the goal that no listed skill can serve, each with a one-line reason. Empty if "
        "the subtasks cover the whole goal.",
    )
    rationale: str = Field(
        default="", max_length=2000, description="One or two sentences: how the plan covers the goal."
    )


def _usage(response: Any) -> Usage:
    u = response.usage
    return Usage(
        input_tokens=u.input_tokens,
        output_tokens=u.output_tokens,
        cache_read_tokens=u.cache_read_input_tokens or 0,
        cache_write_tokens=u.cache_creation_input_tokens or 0,
        calls=1,
    )


def _text(response: Any) -> str:
    return "".join(b.text for b in response.content if b.type == "text").strip()


def _said(response: Any) -> str:
    """The model's own words, quoted for an error message ("" if it said nothing)."""
    text = " ".join(_text(response).split())
    return f' (it said: "{text[:SAID_CHARS]}{"…" if len(text) > SAID_CHARS else ""}")' if text else ""


async def _create(client: anthropic.AsyncAnthropic, **kwargs: Any) -> Any:
    try:
        return await client.messages.create(**kwargs)
    except anthropic.APIStatusError as exc:
        raise ModelError(f"model request failed with HTTP {exc.status_code}", status_code=exc.status_code) from exc
    except anthropic.APIError as exc:
        raise ModelError(f"model request failed: {type(exc).__name__}") from exc


def accept_plan(raw: object, skills: set[str], *, max_subtasks: int, attachments: int) -> Plan:
    """The plan in a `submit_plan` input, validated; `PlanError` listing every problem otherwise."""
    if not isinstance(raw, dict):
        raise PlanError([f"the {PLAN_TOOL} input must be a JSON object, not {type(raw).__name__}"])
    try:
        submitted = PlanSubmission.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise PlanError([f"{'.'.join(str(p) for p in e['loc']) or 'plan'}: {e['msg']}" for e in errors][:20]) from None
    if not submitted.subtasks and not submitted.unserved:
        raise PlanError(
            [
                "the plan is empty: give subtasks for what the listed skills can do and list every other "
                "part of the goal under unserved"
            ]
        )
    plan = Plan(
        subtasks=tuple(submitted.subtasks),
        unserved=tuple(submitted.unserved),
        rationale=submitted.rationale,
        source="claude",
    )
    return validate_plan(plan, skills, max_subtasks=max_subtasks, attachments=attachments)


class ClaudePlanner:
    def __init__(
        self,
        client: anthropic.AsyncAnthropic,
        *,
        model: str,
        max_tokens: int,
        retries: int = 2,
        max_tokens_ceiling: int = PLAN_MAX_TOKENS_CEILING,
    ) -> None:
        self._client = client
        self._model = model
        self._max_tokens = max_tokens
        self._retries = retries
        self._ceiling = max(max_tokens_ceiling, max_tokens)

    async def plan(self, goal: Goal, roster: Sequence[Worker], *, max_subtasks: int) -> Plan:
        """A validated plan (`source="claude"`, `usage` = every call made), or `PlanError` saying why there is
        none: still invalid after `retries` feedbacks, cut off at the output limit twice, or refused.
        `ModelError` if the model service fails."""
        request: dict[str, Any] = {
            "model": self._model,
            "system": [
                {"type": "text", "text": PLANNER_SYSTEM.format(max_subtasks=max_subtasks)},
                {"type": "text", "text": roster_block(roster), "cache_control": {"type": "ephemeral"}},
            ],
            "tools": [
                {
                    "name": PLAN_TOOL,
                    "description": "Submit the plan: subtasks for what the listed skills can do, and every other "
                    "part of the goal under unserved.",
                    "input_schema": PlanSubmission.model_json_schema(),
                }
            ],
            "tool_choice": {"type": "tool", "name": PLAN_TOOL},
        }
        messages: list[dict[str, Any]] = [{"role": "user", "content": goal_message(goal.text, goal.attachments)}]
        skills = known_skills(roster)
        max_tokens, usage, feedbacks = self._max_tokens, Usage(), 0
        while True:
            response = await _create(self._client, **request, max_tokens=max_tokens, messages=messages)
            usage = usage + _usage(response)
            if response.stop_reason == "max_tokens":
                # a cut-off tool input is never used: the same request again, once, with more room
                if max_tokens > self._max_tokens or max_tokens >= self._ceiling:
                    raise PlanError([f"the model's plan was cut off at {max_tokens} output tokens"])
                max_tokens = min(max_tokens * 2, self._ceiling)
                continue
            if response.stop_reason == "refusal":
                raise PlanError([f"the model declined to plan this goal{_said(response)}"])
            call = next((b for b in response.content if b.type == "tool_use" and b.name == PLAN_TOOL), None)
            if call is None:
                problems = [f"the model answered without calling {PLAN_TOOL}{_said(response)}"]
                messages += _no_call_feedback(response)
            else:
                try:
                    plan = accept_plan(call.input, skills, max_subtasks=max_subtasks, attachments=len(goal.attachments))
                    return plan.model_copy(update={"usage": usage})
                except PlanError as exc:
                    problems = exc.problems
                messages += _rejection_feedback(call, problems)
            if feedbacks == self._retries:
                raise PlanError([f"the model's plan was still invalid after {self._retries} retries", *problems])
            feedbacks += 1


def _rejection_feedback(call: Any, problems: list[str]) -> list[dict[str, Any]]:
    """The rejected call as the assistant made it, and an error `tool_result` naming every problem."""
    raw = call.input if isinstance(call.input, dict) else {}  # the API takes back only an object as tool input
    return [
        {"role": "assistant", "content": [{"type": "tool_use", "id": call.id, "name": call.name, "input": raw}]},
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": call.id,
                    "is_error": True,
                    "content": "The plan was rejected: " + "; ".join(problems) + ". Submit a corrected plan.",
                }
            ],
        },
    ]


def _no_call_feedback(response: Any) -> list[dict[str, Any]]:
    """An answer that is not a tool call (a server that ignores `tool_choice`): what it said, and a reminder."""
    said = _text(response)
    turns: list[dict[str, Any]] = [{"role": "assistant", "content": said}] if said else []
    reminder = f"No plan was submitted. Call the {PLAN_TOOL} tool with the plan; answer with nothing else."
    return [*turns, {"role": "user", "content": reminder}]


class ClaudeSynthesizer:
    def __init__(self, client: anthropic.AsyncAnthropic, *, model: str, max_tokens: int, fallback: Synthesizer) -> None:
        self._client = client
        self._model = model
        self._max_tokens = max_tokens
        self._fallback = fallback

    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]:
        """Claude's synthesis when it is whole; else the fallback's, with one last line saying why. The usage
        counts every call made, a wasted one included."""
        try:
            response = await _create(
                self._client,
                model=self._model,
                max_tokens=self._max_tokens,
                system=[{"type": "text", "text": SYNTHESIS_SYSTEM, "cache_control": {"type": "ephemeral"}}],
                messages=[{"role": "user", "content": synthesis_message(goal, plan, results)}],
            )
        except ModelError as exc:
            return await self._fall_back(goal, plan, results, f"the synthesis model failed ({exc.message})", Usage())
        usage, text = _usage(response), _text(response)
        if response.stop_reason == "max_tokens":
            why = f"the model's synthesis was cut short at {self._max_tokens} output tokens"
        elif response.stop_reason == "refusal":
            why = "the model declined to write the synthesis"
        elif not text:
            why = "the model's synthesis was empty"
        else:
            return text, usage
        return await self._fall_back(goal, plan, results, why, usage)

    async def _fall_back(
        self, goal: str, plan: Plan, results: Sequence[SubtaskResult], why: str, spent: Usage
    ) -> tuple[str, Usage]:
        text, usage = await self._fallback.synthesize(goal, plan, results)
        return f"{text.rstrip()}\n\n*Merged offline: {why}.*\n", spent + usage
