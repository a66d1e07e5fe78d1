"""What `switchboard ask` prints, pure: hand-built final tasks (and stream events) in, text and outcome out."""

from __future__ import annotations

from typing import Any, cast

import pytest
from a2a.types import Artifact, Message, Part, Role, StreamResponse, Task, TaskState, TaskStatus, TaskStatusUpdateEvent
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host.wire import KIND_KEY
from orchestrator_agent.client import progress_of
from orchestrator_agent.render import (
    RULE,
    NotDone,
    Outcome,
    not_done,
    one_line,
    outcome_of,
    plan_line,
    render_progress,
    render_result,
)

S = TaskState
PIZZA = {"text": "order a pizza for delivery at 8pm", "reason": "no advertised skill can order food"}
FLIGHT = {"text": "book a flight", "reason": "no advertised skill can book travel"}
S1 = {"id": "s1", "skill": "arithmetic", "state": "completed", "worker": "calculator", "duration_s": 0.5}
PROVENANCE = "  s1     arithmetic         completed  calculator       0.50s  attempts=0  task=-"


def _data(payload: Any, kind: str) -> Part:
    return Part(data=ParseDict(payload, Value()), metadata={KIND_KEY: kind}, media_type="application/json")


def task(state: TaskState, status: str = "", text: str | None = None, manifest: Any = None) -> Task:
    """A final task as `fold` leaves it: a status message and, if given, the `result` artifact."""
    message = Message(role=Role.ROLE_AGENT, message_id="m", parts=[Part(text=status)] if status else [])
    done = Task(id="t1", context_id="c", status=TaskStatus(state=state, message=message))
    parts = ([Part(text=text)] if text is not None else []) + ([_data(manifest, "manifest")] if manifest else [])
    if parts:
        done.artifacts.append(Artifact(artifact_id="result", name="result", parts=parts))
    return done


def manifest(*subtasks: dict[str, Any], unserved: Any = (), state: str = "completed") -> dict[str, Any]:
    return {"state": state, "subtasks": list(subtasks), "unserved": list(unserved), "rationale": "r"}


@pytest.mark.parametrize(
    ("final", "outcome"),
    [
        (task(S.TASK_STATE_COMPLETED, "Done.", "4", manifest(S1)), Outcome.COMPLETED),
        (task(S.TASK_STATE_COMPLETED, "Done.", "4"), Outcome.COMPLETED),  # a foreign agent: no manifest
        (task(S.TASK_STATE_COMPLETED, "Done.", "4", manifest(S1, unserved=[PIZZA])), Outcome.PARTIAL),
        (task(S.TASK_STATE_COMPLETED, "", "", manifest(S1, {**S1, "id": "s2", "state": "skipped"})), Outcome.PARTIAL),
        (task(S.TASK_STATE_FAILED, "boom", "", manifest(S1, unserved=[PIZZA])), Outcome.FAILED),
        (task(S.TASK_STATE_REJECTED, "no", "", manifest(unserved=[PIZZA])), Outcome.REJECTED),
        (task(S.TASK_STATE_CANCELED), Outcome.CANCELED),
        (task(S.TASK_STATE_INPUT_REQUIRED, "Which?"), Outcome.INPUT_REQUIRED),
        (task(S.TASK_STATE_WORKING), Outcome.UNFINISHED),
        (task(S.TASK_STATE_AUTH_REQUIRED), Outcome.UNFINISHED),
        (task(S.TASK_STATE_UNSPECIFIED), Outcome.UNFINISHED),
        (task(cast(TaskState, 99)), Outcome.UNFINISHED),  # a state this SDK does not know
    ],
)
def test_outcome_of_each_final_state(final: Task, outcome: Outcome) -> None:
    assert outcome_of(final) is outcome


def test_completed_in_full_shows_the_result_provenance_and_state() -> None:
    assert render_result(task(S.TASK_STATE_COMPLETED, "Done.", "# Result\n4\n", manifest(S1))).splitlines() == [
        "",
        RULE,
        "# Result\n4".splitlines()[0],
        "4",
        RULE,
        "Provenance:",
        PROVENANCE,
        "Task t1: completed (Done.)",
    ]


def test_completed_in_part_puts_the_not_done_block_before_the_result_body() -> None:
    text = "Not done: 2 parts (no skill can order food or book travel).\n\n4"
    out = render_result(task(S.TASK_STATE_COMPLETED, "Done.", text, manifest(S1, unserved=[PIZZA, FLIGHT])))
    assert out.splitlines() == [
        "",
        "NOT DONE (2 parts):",
        "  - order a pizza for delivery at 8pm: no advertised skill can order food",
        "  - book a flight: no advertised skill can book travel",
        RULE,
        "Not done: 2 parts (no skill can order food or book travel).",
        "",
        "4",
        RULE,
        "Provenance:",
        PROVENANCE,
        "Task t1: completed in part, 2 not done (Done.)",
    ]


def test_a_budget_stop_lists_the_subtasks_that_did_not_run_as_not_done() -> None:
    skipped = {"id": "s2", "skill": "write_report", "state": "skipped", "reason": "budget reached: tokens"}
    final = task(S.TASK_STATE_COMPLETED, "Done.", "partial", manifest(S1, skipped, unserved=[PIZZA]))
    assert not_done(final) == [
        NotDone("order a pizza for delivery at 8pm", "no advertised skill can order food"),
        NotDone("s2 (write_report)", "skipped: budget reached: tokens"),
    ]
    assert render_result(final).splitlines()[1:4] == [
        "NOT DONE (2 parts):",
        "  - order a pizza for delivery at 8pm: no advertised skill can order food",
        "  - s2 (write_report): skipped: budget reached: tokens",
    ]


def test_rejected_is_one_line_with_the_reason_then_the_parts_then_what_the_network_can_do() -> None:
    why = "No part of the goal can be served.\nThis network can: arithmetic, statistics."
    final = task(S.TASK_STATE_REJECTED, why, "This network can: arithmetic, statistics.", manifest(unserved=[PIZZA]))
    assert render_result(final).splitlines() == [
        "",
        "Rejected: No part of the goal can be served. This network can: arithmetic, statistics.",
        "",
        "NOT DONE (1 part):",
        "  - order a pizza for delivery at 8pm: no advertised skill can order food",
        RULE,
        "This network can: arithmetic, statistics.",
        RULE,
        "Task t1: rejected",
    ]


@pytest.mark.parametrize(
    ("final", "expected"),
    [
        # refused before planning (too deep, the caller's limit): no artifact, the status says why
        (task(S.TASK_STATE_REJECTED, "delegation depth 3 reached"), ["", "Rejected: delegation depth 3 reached"]),
        # the result text is the status message: said once
        (task(S.TASK_STATE_REJECTED, "Nothing fits.", "Nothing fits."), ["", "Rejected: Nothing fits."]),
        (task(S.TASK_STATE_REJECTED), ["", "Rejected: the agent refused the goal"]),
        (task(S.TASK_STATE_REJECTED, "Rejected: too deep"), ["", "Rejected: too deep"]),  # not "Rejected: Rejected:"
    ],
)
def test_a_rejection_without_a_separate_result_text_prints_no_empty_frame(final: Task, expected: list[str]) -> None:
    assert render_result(final).splitlines() == [*expected, "Task t1: rejected"]


def test_input_required_shows_the_question_once() -> None:
    out = render_result(task(S.TASK_STATE_INPUT_REQUIRED, "Which unit:\n- km\n- miles"))
    assert out.splitlines() == ["", "Input required: Which unit:", "- km", "- miles", "Task t1: input_required"]


def test_failed_keeps_its_reason_and_still_lists_unserved_parts() -> None:
    failed = {**S1, "state": "failed", "reason": "division by zero"}
    final = task(S.TASK_STATE_FAILED, "The goal failed: s1", "s1 failed", manifest(failed, unserved=[FLIGHT]))
    out = render_result(final).splitlines()
    assert out[1:3] == ["NOT DONE (1 part):", "  - book a flight: no advertised skill can book travel"]
    assert out[-1] == "Task t1: failed (The goal failed: s1)"


@pytest.mark.parametrize(
    ("final", "last"),
    [
        (task(S.TASK_STATE_CANCELED, "Canceled."), "Task t1: canceled (Canceled.)"),
        (
            task(S.TASK_STATE_WORKING, "s1 working"),
            "Task t1: working, the stream ended before the task did (s1 working)",
        ),
    ],
)
def test_canceled_and_unfinished_tasks_say_which(final: Task, last: str) -> None:
    assert render_result(final).splitlines() == ["", RULE, "(no result text)", RULE, last]


def test_hostile_text_cannot_escape_its_line_or_reach_the_terminal() -> None:
    evil = {"text": "pay\x1b[2J\x1b]0;pwned\x07 now\nand\r\nthen", "reason": "\u202eevil\x9b31m"}
    final = task(S.TASK_STATE_COMPLETED, "Done.\x1b[31m", "body\x1b[1A\x00", manifest(unserved=[evil]))
    out = render_result(final)
    assert not any(c in out for c in "\x1b\x07\x00\r\x9b\u202e")
    assert "  - pay[2J]0;pwned now and then: evil31m" in out.splitlines()


def test_malformed_manifests_are_skipped_not_fatal() -> None:
    junk = {
        "unserved": [7, {"reason": "no text"}, {"text": "   "}, {"text": "kept"}, "x"],
        "subtasks": [{"id": "s1"}, {"skill": "no id"}, {"id": "s2", "duration_s": "soon", "attempts": 3}],
    }
    final = task(S.TASK_STATE_COMPLETED, "", "ok", junk)
    assert not_done(final) == [NotDone("kept", "no reason given")]
    out = render_result(final)
    rows = [line.split() for line in out.splitlines() if line.startswith("  s")]
    assert rows == [["s1", "-", "0.00s", "attempts=0", "task=-"], ["s2", "-", "0.00s", "attempts=0", "task=-"]]
    assert render_result(task(S.TASK_STATE_COMPLETED, "", "ok", {"unserved": "all", "subtasks": {}}))
    assert outcome_of(task(S.TASK_STATE_COMPLETED, "", "ok", {"unserved": {"text": "x"}})) is Outcome.COMPLETED


@pytest.mark.parametrize(
    ("plan", "line"),
    [
        (
            {"source": "claude", "subtasks": [{"id": "s1", "skill": "stats"}, {"id": "s2", "skill": "report",
             "depends_on": ["s1"]}], "unserved": [PIZZA]},
            "plan (claude): s1:stats; s2:report after s1 | not served (1): order a pizza for delivery at 8pm "
            "(no advertised skill can order food)",
        ),
        ({"source": "claude", "subtasks": [], "unserved": [PIZZA, FLIGHT]}, "plan (claude): no subtasks | "
         "not served (2): order a pizza for delivery at 8pm (no advertised skill can order food); book a flight "
         "(no advertised skill can book travel)"),
        ({"source": "explicit", "subtasks": [{"id": "s1", "skill": "x"}]}, "plan (explicit): s1:x"),
        ("not a plan", "plan (?): no subtasks"),
        ({"subtasks": [1, {"skill": "no id"}, {"id": "s9", "depends_on": "s1"}], "unserved": [{"text": 3}]},
         "plan (?): s9:? | not served (1): 3 (no reason given)"),
    ],
)  # fmt: skip
def test_the_plain_plan_line_names_unserved_parts(plan: Any, line: str) -> None:
    assert plan_line(plan) == line


def _status(payload: dict[str, Any] | None, text: str = "", state: TaskState = S.TASK_STATE_WORKING) -> StreamResponse:
    parts = ([Part(text=text)] if text else []) + ([_data(payload, "progress")] if payload is not None else [])
    message = Message(role=Role.ROLE_AGENT, message_id="m", parts=parts)
    update = TaskStatusUpdateEvent(task_id="t1", context_id="c", status=TaskStatus(state=state, message=message))
    return StreamResponse(status_update=update)


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (_status({"event": "plan", "plan": {"source": "claude", "unserved": [PIZZA]}}), "[  1.50s] plan (claude): "
         "no subtasks | not served (1): order a pizza for delivery at 8pm (no advertised skill can order food)"),
        (_status({"event": "subtask", "subtask_id": "s1", "skill": "x", "state": "failed", "detail": "a\nb"}),
         "[  1.50s] s1 x: failed (a b)"),
        (_status({"event": "subtask", "state": "working"}), "[  1.50s] ? ?: working"),  # a foreign payload
        (_status({"event": "question", "question": "Which\nunit?"}), "[  1.50s] question from ?: Which unit?"),
        (_status(None, "Nothing\x1b[2J fits.", S.TASK_STATE_REJECTED), "[  1.50s] rejected: Nothing[2J fits."),
    ],
)  # fmt: skip
def test_progress_lines_stay_on_one_line(event: StreamResponse, line: str) -> None:
    assert render_progress(event, progress_of(event), 1.5) == line


def test_one_line_bounds_and_flattens() -> None:
    assert one_line("a\n\n b\tc", 100) == "a b c"
    assert one_line("x" * 50, 10) == "xxxxxxx..."
    assert one_line(None) == "None"
