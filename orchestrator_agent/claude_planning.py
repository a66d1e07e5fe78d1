"""Claude as planner and synthesizer, through the anthropic SDK (Messages API, tool use, prompt caching).

The planner forces the `submit_plan` tool; its input is untrusted: parsed and validated like any plan, and
a rejected plan is sent back as an error `tool_result` naming every problem, at most `retries` times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anthropic

from agents.runtime.errors import ModelError
from agents.runtime.messages import Usage

from .errors import PlanError
from .models import Plan, SubtaskResult, Worker
from .planning import Goal, PlanDocument, known_skills, parse_plan, validate_plan
from .prompts import PLANNER_SYSTEM, SYNTHESIS_SYSTEM, goal_message, roster_block, synthesis_message

PLAN_TOOL = "submit_plan"


def _usage(response: Any) -> Usage:
    u = response.usage
    return Usage(
        input_tokens=u.input_tokens,
        output_tokens=u.output_tokens,
        cache_read_tokens=u.cache_read_input_tokens or 0,
        cache_write_tokens=u.cache_creation_input_tokens or 0,
        calls=1,
    )


async def _create(client: anthropic.AsyncAnthropic, **kwargs: Any) -> Any:
    try:
        return await client.messages.create(**kwargs)
    except anthropic.APIStatusError as exc:
        raise ModelError(f"model request failed with HTTP {exc.status_code}", status_code=exc.status_code) from exc
    except anthropic.APIError as exc:
        raise ModelError(f"model request failed: {type(exc).__name__}") from exc


class ClaudePlanner:
    def __init__(self, client: anthropic.AsyncAnthropic, *, model: str, max_tokens: int, retries: int = 2) -> None:
        self._client = client
        self._model = model
        self._max_tokens = max_tokens
        self._retries = retries

    async def plan(self, goal: Goal, roster: Sequence[Worker], *, max_subtasks: int) -> Plan:
        schema = PlanDocument.model_json_schema()
        system = [
            {"type": "text", "text": PLANNER_SYSTEM.format(max_subtasks=max_subtasks)},
            {"type": "text", "text": roster_block(roster), "cache_control": {"type": "ephemeral"}},
        ]
        tools = [{"name": PLAN_TOOL, "description": "Submit the plan.", "input_schema": schema}]
        messages: list[dict[str, Any]] = [{"role": "user", "content": goal_message(goal.text, goal.attachments)}]
        skills = known_skills(roster)
        problems: list[str] = []
        usage = Usage()
        for _ in range(self._retries + 1):
            response = await _create(
                self._client,
                model=self._model,
                max_tokens=self._max_tokens,
                system=system,
                tools=tools,
                tool_choice={"type": "tool", "name": PLAN_TOOL},
                messages=messages,
            )
            usage = usage + _usage(response)
            call = next((b for b in response.content if b.type == "tool_use" and b.name == PLAN_TOOL), None)
            if call is None:
                raise PlanError(["the model did not submit a plan"])
            try:
                plan = parse_plan(dict(call.input), source="claude")
                validate_plan(plan, skills, max_subtasks=max_subtasks, attachments=len(goal.attachments))
                return plan.model_copy(update={"usage": usage})
            except PlanError as exc:
                problems = exc.problems
            messages.append(
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": call.id, "name": call.name, "input": call.input}],
                }
            )
            messages.append(
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
                }
            )
        raise PlanError([f"the model's plan was still invalid after {self._retries} retries", *problems])


class ClaudeSynthesizer:
    def __init__(self, client: anthropic.AsyncAnthropic, *, model: str, max_tokens: int) -> None:
        self._client = client
        self._model = model
        self._max_tokens = max_tokens

    async def synthesize(self, goal: str, plan: Plan, results: Sequence[SubtaskResult]) -> tuple[str, Usage]:
        response = await _create(
            self._client,
            model=self._model,
            max_tokens=self._max_tokens,
            system=[{"type": "text", "text": SYNTHESIS_SYSTEM, "cache_control": {"type": "ephemeral"}}],
            messages=[{"role": "user", "content": synthesis_message(goal, plan, results)}],
        )
        text = "".join(b.text for b in response.content if b.type == "text")
        return text, _usage(response)
