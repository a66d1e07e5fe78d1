"""`ClaudePlanner` and `ClaudeSynthesizer` through the REAL anthropic client against the Messages API stand-in:
what the model is asked, and how each way its answer can go wrong ends (never as a plan or an answer it is not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from agents.host.process import anthropic_client
from agents.host.settings import ModelSettings
from orchestrator_agent.claude_planning import (
    PLAN_TOOL,
    ClaudePlanner,
    ClaudeSynthesizer,
    PlanSubmission,
)
from orchestrator_agent.errors import PlanError
from orchestrator_agent.models import Output, Plan, Subtask, SubtaskResult, SubtaskState, UnservedPart, Worker
from orchestrator_agent.planning import Goal
from orchestrator_agent.prompts import PLANNER_SYSTEM
from orchestrator_agent.synthesis import OfflineSynthesizer
from tests.support.fake_claude import (
    FakeClaude,
    Reply,
    error_reply,
    message,
    overloaded,
    serve_fake_claude,
    text_reply,
    tool_results,
    tool_use_block,
    usage,
)

pytestmark = pytest.mark.timeout(30)

GOAL = Goal(text="Compute the mean of 3, 5 and 10, then book a flight to Lisbon.")
STATS = {"id": "s1", "skill": "statistics", "brief": "Compute the mean of 3, 5 and 10.", "part": "Compute the mean"}
FLIGHT = {"text": "book a flight to Lisbon", "reason": "no listed skill can book travel"}
GOOD = {"subtasks": [STATS], "unserved": [FLIGHT], "rationale": "Statistics computes the mean; nothing books travel."}


@dataclass
class Claude:
    fake: FakeClaude
    planner: ClaudePlanner
    synthesizer: ClaudeSynthesizer

    def bodies(self) -> list[dict[str, Any]]:
        return self.fake.bodies()


@pytest.fixture
async def claude() -> AsyncIterator[Claude]:
    fake = FakeClaude()
    async with serve_fake_claude(fake) as url:
        client = anthropic_client(ModelSettings(anthropic_api_key="test-key", anthropic_base_url=url, max_retries=0))
        planner = ClaudePlanner(client, model="claude-test", max_tokens=4096, retries=2)
        synthesizer = ClaudeSynthesizer(client, model="claude-test", max_tokens=1024, fallback=OfflineSynthesizer())
        try:
            yield Claude(fake, planner, synthesizer)
        finally:
            await client.close()


def plan_reply(arguments: Any, stop_reason: str = "tool_use", *, tokens: dict[str, Any] | None = None) -> Reply:
    """A submit_plan call; `arguments` may be any JSON (a model can send a list or a string as tool input)."""
    block = tool_use_block(PLAN_TOOL, {})
    block["input"] = arguments
    return message([block], stop_reason, tokens=tokens)


# -- what the planner asks for -----------------------------------------------------------------------------


async def test_the_tool_schema_has_unserved_parts_and_allows_no_subtasks(claude: Claude, roster: list[Worker]) -> None:
    claude.fake.script(plan_reply(GOOD))
    plan = await claude.planner.plan(GOAL, roster, max_subtasks=5)

    assert [s.skill for s in plan.subtasks] == ["statistics"] and plan.subtasks[0].part == "Compute the mean"
    assert plan.unserved == (UnservedPart(**FLIGHT),)
    assert plan.rationale == GOOD["rationale"] and plan.source == "claude"
    [body] = claude.bodies()
    [tool] = body["tools"]
    assert tool["name"] == PLAN_TOOL and body["tool_choice"] == {"type": "tool", "name": PLAN_TOOL}
    schema = tool["input_schema"]
    assert schema == PlanSubmission.model_json_schema()
    assert "minItems" not in schema["properties"]["subtasks"] and schema.get("required", []) == []
    unserved = schema["$defs"]["UnservedPart"]
    assert set(unserved["required"]) == {"text", "reason"}
    assert all(unserved["properties"][k]["description"] for k in ("text", "reason"))
    subtask = schema["$defs"]["Subtask"]["properties"]
    assert subtask["inputs"]["description"] and subtask["part"]["description"] and subtask["brief"]["description"]
    system = body["system"][0]["text"]
    assert system == PLANNER_SYSTEM.format(max_subtasks=5)
    for rule in ("Cover the whole goal", "`unserved`", "one-line reason", "Never drop a part", "`inputs`"):
        assert rule in system


async def test_a_model_that_declines_everything_submits_a_clean_plan(claude: Claude, roster: list[Worker]) -> None:
    refusal = {"subtasks": [], "unserved": [FLIGHT], "rationale": "Nothing listed books travel."}
    claude.fake.script(plan_reply(refusal, tokens=usage(200, 30)))
    plan = await claude.planner.plan(Goal(text="Book a flight to Lisbon"), roster, max_subtasks=5)
    assert plan.subtasks == () and plan.unserved == (UnservedPart(**FLIGHT),)
    assert plan.usage.calls == 1 and plan.usage.output_tokens == 30  # one call: not a schema error, not retried


async def test_a_plan_with_neither_subtasks_nor_unserved_parts_is_sent_back(
    claude: Claude, roster: list[Worker]
) -> None:
    claude.fake.script(plan_reply({"subtasks": [], "unserved": []}), plan_reply(GOOD))
    plan = await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert len(plan.subtasks) == 1 and plan.usage.calls == 2
    (feedback,) = tool_results(claude.bodies()[1])
    assert feedback["is_error"] is True and "the plan is empty" in feedback["content"]


# -- a plan cut off at the output limit ---------------------------------------------------------------------


async def test_a_plan_cut_off_is_asked_for_again_with_twice_the_room(claude: Claude, roster: list[Worker]) -> None:
    cut = plan_reply({"subtasks": [STATS]}, "max_tokens", tokens=usage(100, 4096))  # looks whole: still not used
    claude.fake.script(cut, plan_reply(GOOD, tokens=usage(100, 50)))
    plan = await claude.planner.plan(GOAL, roster, max_subtasks=5)

    assert plan.unserved == (UnservedPart(**FLIGHT),)  # the second, whole plan
    assert plan.usage.calls == 2 and plan.usage.output_tokens == 4146
    first, second = claude.bodies()
    assert (first["max_tokens"], second["max_tokens"]) == (4096, 8192)
    assert first["messages"] == second["messages"]  # the cut-off answer is not fed back as if it were a plan


async def test_a_plan_cut_off_twice_fails_saying_so(claude: Claude, roster: list[Worker]) -> None:
    cut = plan_reply({"subtasks": [STATS]}, "max_tokens")
    claude.fake.script(cut, cut, plan_reply(GOOD))
    with pytest.raises(PlanError) as info:
        await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert info.value.problems == ["the model's plan was cut off at 8192 output tokens"]
    assert [b["max_tokens"] for b in claude.bodies()] == [4096, 8192] and claude.fake.pending == 1


async def test_no_more_room_than_the_ceiling_is_given(claude: Claude, roster: list[Worker]) -> None:
    claude.fake.script(plan_reply(GOOD, "max_tokens"), plan_reply(GOOD, "max_tokens"))
    planner = ClaudePlanner(claude.planner._client, model="m", max_tokens=3000, max_tokens_ceiling=5000)
    with pytest.raises(PlanError, match="cut off at 5000 output tokens"):
        await planner.plan(GOAL, roster, max_subtasks=5)
    assert [b["max_tokens"] for b in claude.bodies()] == [3000, 5000]

    claude.fake.script(plan_reply(GOOD, "max_tokens"))
    at_ceiling = ClaudePlanner(claude.planner._client, model="m", max_tokens=5000, max_tokens_ceiling=5000)
    with pytest.raises(PlanError, match="cut off at 5000 output tokens"):
        await at_ceiling.plan(GOAL, roster, max_subtasks=5)
    assert len(claude.bodies()) == 3  # no room to give: not asked again


# -- answers that are not a plan ----------------------------------------------------------------------------


async def test_a_refusal_fails_planning_at_once_with_the_models_words(claude: Claude, roster: list[Worker]) -> None:
    claude.fake.script(text_reply("I can't help with planning that.", "refusal"), plan_reply(GOOD))
    with pytest.raises(PlanError) as info:
        await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert info.value.problems == [
        'the model declined to plan this goal (it said: "I can\'t help with planning that.")'
    ]
    assert len(claude.bodies()) == 1


async def test_an_answer_without_the_tool_call_is_reminded_then_used(claude: Claude, roster: list[Worker]) -> None:
    claude.fake.script(text_reply("Here is my plan: compute the mean."), plan_reply(GOOD))
    plan = await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert len(plan.subtasks) == 1 and plan.usage.calls == 2
    messages = claude.bodies()[1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[1]["content"] == "Here is my plan: compute the mean."
    assert "Call the submit_plan tool" in messages[2]["content"]


async def test_no_tool_call_at_all_fails_after_the_retries(claude: Claude, roster: list[Worker]) -> None:
    claude.fake.script(message([], "end_turn"), message([], "end_turn"), message([], "end_turn"))
    with pytest.raises(PlanError) as info:
        await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert info.value.problems == [
        "the model's plan was still invalid after 2 retries",
        "the model answered without calling submit_plan",
    ]
    # nothing was said, so no empty assistant turn (the API refuses one): only the reminders
    assert [m["role"] for m in claude.bodies()[2]["messages"]] == ["user", "user", "user"]


@pytest.mark.parametrize("arguments", [["s1", "statistics"], "compute the mean", 42, None])
async def test_tool_input_that_is_not_an_object_is_sent_back(
    claude: Claude, roster: list[Worker], arguments: Any
) -> None:
    claude.fake.script(plan_reply(arguments), plan_reply(GOOD))
    plan = await claude.planner.plan(GOAL, roster, max_subtasks=5)
    assert len(plan.subtasks) == 1
    second = claude.bodies()[1]["messages"]
    assert second[1]["content"][0]["input"] == {}  # replayed as an object: the API takes no other tool input
    (feedback,) = tool_results(claude.bodies()[1])
    assert feedback["is_error"] is True and "must be a JSON object" in feedback["content"]


async def test_schema_errors_are_named_field_by_field(claude: Claude, roster: list[Worker]) -> None:
    bad = {"subtasks": [{"id": "s 1", "skill": "statistics"}], "unserved": [{"text": "x"}], "extra": 1}
    claude.fake.script(plan_reply(bad), plan_reply(GOOD))
    await claude.planner.plan(GOAL, roster, max_subtasks=5)
    (feedback,) = tool_results(claude.bodies()[1])
    for problem in ("subtasks.0.id", "subtasks.0.brief: Field required", "unserved.0.reason", "extra: Extra"):
        assert problem in feedback["content"]


# -- synthesis ----------------------------------------------------------------------------------------------

PLAN = Plan(
    subtasks=(
        Subtask(id="s1", skill="statistics", brief="Compute the mean of 3, 5 and 10."),
        Subtask(id="s2", skill="summarize", brief="Summarise the notes."),
    ),
    unserved=(UnservedPart(**FLIGHT),),
)
RESULTS = [
    SubtaskResult(
        subtask_id="s1", skill="statistics", state=SubtaskState.COMPLETED, worker_name="calc", output=Output(text="6")
    ),
    SubtaskResult(
        subtask_id="s2",
        skill="summarize",
        state=SubtaskState.COMPLETED,
        worker_name="text",
        output=Output(text="Notes, in short."),
        reason="incomplete: the worker's answer was cut short at its model's output limit",
    ),
]


async def test_a_whole_synthesis_is_the_answer_and_sees_unserved_parts_and_notes(claude: Claude) -> None:
    claude.fake.script(text_reply("The mean is 6 [s1]; notes [s2]. No flight was booked.", tokens=usage(80, 12)))
    text, spent = await claude.synthesizer.synthesize(GOAL.text, PLAN, RESULTS)
    assert text == "The mean is 6 [s1]; notes [s2]. No flight was booked." and spent.calls == 1
    content = claude.bodies()[0]["messages"][0]["content"]
    assert "<unserved>" in content and '"part": "book a flight to Lisbon"' in content
    assert '"note": "incomplete: the worker' in content


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (
            error_reply(500, "api_error", "Internal server error"),
            "the synthesis model failed (model request failed with HTTP 500)",
        ),
        (overloaded(), "the synthesis model failed (model request failed with HTTP 529)"),
        (
            text_reply("The mean is 6 [s1] and the notes say", "max_tokens"),
            "the model's synthesis was cut short at 1024 output tokens",
        ),
        (text_reply("  \n "), "the model's synthesis was empty"),
        (message([], "end_turn"), "the model's synthesis was empty"),
        (text_reply("I won't.", "refusal"), "the model declined to write the synthesis"),
    ],
)
async def test_a_synthesis_that_is_not_whole_falls_back_to_the_offline_merge(
    claude: Claude, reply: Reply, why: str
) -> None:
    claude.fake.script(reply)
    text, spent = await claude.synthesizer.synthesize(GOAL.text, PLAN, RESULTS)
    merged, _ = await OfflineSynthesizer().synthesize(GOAL.text, PLAN, RESULTS)
    assert text == f"{merged.rstrip()}\n\n*Merged offline: {why}.*\n"
    assert text.rstrip().count("\n") == merged.rstrip().count("\n") + 2  # one note line, after one blank line
    assert spent.calls == (1 if reply.status == 200 else 0)  # a wasted call still counts


async def test_a_synthesis_model_that_cannot_be_reached_falls_back_too() -> None:
    async with serve_fake_claude(FakeClaude()) as url:
        pass  # the port is closed again: nothing listens there
    client = anthropic_client(ModelSettings(anthropic_api_key="k", anthropic_base_url=url, max_retries=0))
    try:
        synthesizer = ClaudeSynthesizer(client, model="m", max_tokens=256, fallback=OfflineSynthesizer())
        text, _ = await synthesizer.synthesize(GOAL.text, PLAN, RESULTS)
    finally:
        await client.close()
    assert text.endswith("*Merged offline: the synthesis model failed (model request failed: APIConnectionError).*\n")
    assert "## s1" in text and "Notes, in short." in text
