"""Planning: step splitting, the offline planner on the real roster, plan validation and parsing."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator_agent.errors import PlanError
from orchestrator_agent.models import Plan, Subtask, Worker
from orchestrator_agent.planning import Goal, OfflinePlanner, parse_plan, split_steps, validate_plan


@pytest.mark.parametrize(
    "goal, steps",
    [
        ("Convert 10 km to miles", ["Convert 10 km to miles"]),
        ("Search the docs, then summarize it", ["Search the docs", "summarize it"]),
        ("Search the docs and then summarize it.", ["Search the docs", "summarize it"]),
        ("Add 2 and 3. Then write a report.", ["Add 2 and 3", "Then write a report"]),
        ("first thing; second thing", ["first thing", "second thing"]),
        ("one part\n\nanother part", ["one part", "another part"]),
        ("Do this:\n- add 2 and 2\n- write a report", ["Do this:", "add 2 and 2", "write a report"]),
        ("Pi is 3.14 exactly", ["Pi is 3.14 exactly"]),  # a decimal point is not a sentence end
        ("ok", []),  # fragments under three characters are dropped
    ],
)
def test_split_steps(goal: str, steps: list[str]) -> None:
    assert split_steps(goal) == steps


async def plan(roster: list[Worker], text: str, *attachments: str, max_subtasks: int = 12) -> Plan:
    return await OfflinePlanner().plan(Goal(text=text, attachments=attachments), roster, max_subtasks=max_subtasks)


@pytest.mark.parametrize(
    "goal, skill",
    [
        ("Convert 10 km to miles", "unit_conversion"),
        ("Summarize this text in 2 sentences", "summarize"),
        ("Search the library for push notifications", "search_documents"),
        ("Convert 10 km to miles. Thank you!", "unit_conversion"),  # an unmatched step: still the whole goal
    ],
)
async def test_a_single_skill_goal_is_handed_over_whole(roster: list[Worker], goal: str, skill: str) -> None:
    result = await plan(roster, goal)
    assert result.single and result.source == "offline"
    (only,) = result.subtasks
    assert (only.skill, only.brief, only.depends_on) == (skill, goal, ())


async def test_a_report_step_depends_on_every_earlier_step(roster: list[Worker]) -> None:
    goal = (
        "Compute the mean, median and standard deviation of 12, 15, 22, 31 and 40. "
        "Search the library for how agent cards describe skills. "
        "Then write a short report that combines these results."
    )
    result = await plan(roster, goal)
    assert [(s.id, s.skill, s.depends_on) for s in result.subtasks] == [
        ("s1", "statistics", ()),
        ("s2", "search_documents", ()),
        ("s3", "write_report", ("s1", "s2")),
    ]
    validate_plan(result, {s.id for w in roster for s in w.skills}, max_subtasks=12)


async def test_a_step_that_refers_back_depends_on_the_previous_one(roster: list[Worker]) -> None:
    result = await plan(roster, "Convert 10 km to miles. Search the library for push notifications, then summarize it")
    assert [(s.skill, s.depends_on) for s in result.subtasks] == [
        ("unit_conversion", ()),
        ("search_documents", ()),
        ("summarize", ("s2",)),
    ]
    assert [s.brief for s in result.subtasks][1:] == ["Search the library for push notifications", "summarize it"]


async def test_attachments_go_to_independent_steps_and_to_steps_that_name_them(roster: list[Worker]) -> None:
    result = await plan(
        roster,
        "Group the attached sales by region and sum revenue, then write a report. Then summarize the attached file",
        "sales.csv (text/csv)",
        "notes.txt (text/plain)",
    )
    assert [(s.skill, s.depends_on, s.attachments) for s in result.subtasks] == [
        ("group_aggregate", (), (0, 1)),
        ("write_report", ("s1",), ()),
        ("summarize", ("s2",), (0, 1)),
    ]
    validate_plan(result, {s.id for w in roster for s in w.skills}, max_subtasks=12, attachments=2)


async def test_a_goal_no_skill_matches_is_a_plan_error(roster: list[Worker]) -> None:
    with pytest.raises(PlanError) as caught:
        await plan(roster, "Paint my kitchen in zebra stripes")
    assert "no advertised skill matches" in caught.value.problems[0]


async def test_too_many_steps_is_a_plan_error(roster: list[Worker]) -> None:
    with pytest.raises(PlanError) as caught:
        await plan(roster, "Convert 10 km to miles. Add 2 and 3. Then write a short report.", max_subtasks=2)
    assert "3 steps, more than the limit of 2" in caught.value.problems[0]


# -- validation ---------------------------------------------------------------------------------------------

SKILLS = {"add", "write"}


def make(*subtasks: dict[str, Any]) -> Plan:
    return Plan(subtasks=tuple(Subtask.model_validate({"brief": "do it", **s}) for s in subtasks))


@pytest.mark.parametrize(
    "subtasks, attachments, problems",
    [
        ([{"id": "a", "skill": "teleport"}], 0, ["subtask 'a': unknown skill 'teleport' (known: add, write)"]),
        ([{"id": "a", "skill": "add"}, {"id": "a", "skill": "add"}], 0, ["duplicate subtask ids ['a']"]),
        ([{"id": "a", "skill": "add", "depends_on": ["a"]}], 0, ["subtask 'a' depends on itself"]),
        ([{"id": "a", "skill": "add", "depends_on": ["zz"]}], 0, ["subtask 'a' depends on unknown subtask 'zz'"]),
        (
            [{"id": "a", "skill": "add", "attachments": [0, 2, -1]}],
            2,
            ["subtask 'a': no attachments with indexes [2, -1]"],
        ),
        (
            [{"id": "a", "skill": "add", "depends_on": ["b"]}, {"id": "b", "skill": "add", "depends_on": ["a"]}],
            0,
            ["dependency cycle among ['a', 'b']"],
        ),
        ([{"id": f"s{i}", "skill": "add"} for i in range(4)], 0, ["4 subtasks, more than the limit of 3"]),
        (
            [
                {"id": "a", "skill": "teleport", "depends_on": ["a"]},
                {"id": "a", "skill": "add", "depends_on": ["ghost"], "attachments": [1]},
                {"id": "c", "skill": "write"},
                {"id": "d", "skill": "write"},
            ],
            1,
            [
                "4 subtasks, more than the limit of 3",
                "duplicate subtask ids ['a']",
                "subtask 'a': unknown skill 'teleport' (known: add, write)",
                "subtask 'a' depends on itself",
                "subtask 'a' depends on unknown subtask 'ghost'",
                "subtask 'a': no attachments with indexes [1]",
            ],
        ),
    ],
    ids=["unknown skill", "duplicate", "self", "unknown dep", "attachment", "cycle", "too many", "all at once"],
)
def test_validate_plan_lists_every_problem(
    subtasks: list[dict[str, Any]], attachments: int, problems: list[str]
) -> None:
    with pytest.raises(PlanError) as caught:
        validate_plan(make(*subtasks), SKILLS, max_subtasks=3, attachments=attachments)
    assert caught.value.problems == problems
    assert all(p in caught.value.message for p in problems)


def test_a_valid_dag_passes_unchanged() -> None:
    good = make(
        {"id": "a", "skill": "add"},
        {"id": "b", "skill": "add", "attachments": [0]},
        {"id": "c", "skill": "write", "depends_on": ["a", "b"]},
    )
    assert validate_plan(good, SKILLS, max_subtasks=3, attachments=1) is good


# -- parsing untrusted plan JSON ----------------------------------------------------------------------------

SUBTASKS = [
    {"id": "a", "skill": "add", "brief": "2 + 2"},
    {"id": "b", "skill": "write", "brief": "r", "depends_on": ["a"]},
]


@pytest.mark.parametrize(
    "data",
    [
        {"subtasks": SUBTASKS},
        {"plan": {"subtasks": SUBTASKS, "rationale": "why"}},
        {"subtasks": SUBTASKS, "usage": {"input_tokens": 10**9}, "constraints": {"deadline_s": 5}},
        {"plan": {"subtasks": SUBTASKS, "source": "claude", "usage": {"output_tokens": 7}}},
    ],
    ids=["bare", "wrapped", "usage and constraints ignored", "source and usage overridden"],
)
def test_parse_plan_accepts_both_shapes(data: dict[str, Any]) -> None:
    parsed = parse_plan(data, source="explicit")
    assert [(s.id, s.skill, s.depends_on) for s in parsed.subtasks] == [("a", "add", ()), ("b", "write", ("a",))]
    assert parsed.source == "explicit"
    assert parsed.usage.input_tokens == 0 and parsed.usage.output_tokens == 0


@pytest.mark.parametrize(
    "data, problem",
    [
        ("not a plan", "plan: Input should be a valid dictionary"),
        ({"subtasks": []}, "subtasks: Tuple should have at least 1 item"),
        ({"subtasks": [{"id": "a", "skill": "add"}]}, "subtasks.0.brief: Field required"),
        ({"subtasks": [{"id": "a b", "skill": "add", "brief": "x"}]}, "subtasks.0.id: String should match pattern"),
        ({"subtasks": [{"id": "a", "skill": "add", "brief": "x", "worker": "http://evil"}]}, "subtasks.0.worker"),
        ({"plan": "x", "subtasks": "y"}, "subtasks: Input should be a valid tuple"),
    ],
)
def test_parse_plan_rejects_malformed_input_readably(data: object, problem: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(data, source="explicit")
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
