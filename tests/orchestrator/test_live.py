"""The live view of `switchboard ask`, pure: stream events in (as the orchestrator publishes them), tree text out."""

from __future__ import annotations

import io
from typing import Any

from a2a.types import Artifact, Message, Part, Role, StreamResponse, Task, TaskState, TaskStatus, TaskStatusUpdateEvent
from google.protobuf.json_format import ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host.wire import KIND_KEY
from orchestrator_agent.client import progress_of
from orchestrator_agent.live import LiveView, dependency_order

WORKING = TaskState.TASK_STATE_WORKING
PLAN = {
    "source": "explicit",
    "subtasks": [
        {"id": "s1", "skill": "arithmetic", "depends_on": []},
        {"id": "s2", "skill": "search", "depends_on": []},
        {"id": "s3", "skill": "report", "depends_on": ["s1"]},
    ],
}


def _data(payload: dict[str, Any], kind: str) -> Part:
    return Part(data=ParseDict(payload, Value()), metadata={KIND_KEY: kind}, media_type="application/json")


def status(payload: dict[str, Any] | None, text: str = "", state: TaskState = WORKING) -> StreamResponse:
    """A status update as the orchestrator sends it: a text part and, if given, a progress data part."""
    parts = [Part(text=text)] if text else []
    parts += [_data(payload, "progress")] if payload is not None else []
    message = Message(role=Role.ROLE_AGENT, message_id="m", parts=parts)
    update = TaskStatusUpdateEvent(task_id="t", context_id="c", status=TaskStatus(state=state, message=message))
    return StreamResponse(status_update=update)


def subtask(sid: str, skill: str, state: str, worker: str = "", detail: str = "") -> StreamResponse:
    info = {"event": "subtask", "subtask_id": sid, "skill": skill, "state": state, "worker": worker, "detail": detail}
    return status(info, f"{sid} ({skill}): {state}")


def fed(*events: tuple[float, StreamResponse]) -> LiveView:
    view = LiveView(io.StringIO(), ascii_only=False)
    for now, event in events:
        view.feed(event, progress_of(event), now)
    return view


def test_a_plan_of_three_with_one_dependency_moves_through_its_states() -> None:
    view = fed((0.0, status({"event": "plan", "plan": PLAN}, "Plan (explicit): ...")))
    assert view.lines(0.5) == [
        "working 0.5s · plan (explicit) 0/3 done",
        "s1 arithmetic · -",
        "s2 search · -",
        "└─ s3 report · -",
    ]
    view.feed(s := subtask("s1", "arithmetic", "working", "calculator"), progress_of(s), 1.0)
    view.feed(s := subtask("s2", "search", "working", "librarian"), progress_of(s), 1.2)
    view.feed(s := subtask("s1", "arithmetic", "completed", "calculator"), progress_of(s), 1.4)
    view.feed(s := subtask("s3", "report", "working", "writer"), progress_of(s), 1.5)
    assert view.lines(2.0) == [
        "working 2.0s · plan (explicit) 1/3 done",
        "s1 arithmetic ✓ calculator 0.4s",
        "s2 search … librarian 0.8s",
        "└─ s3 report … writer 0.5s",
    ]


def test_the_final_manifest_brings_durations_and_tokens() -> None:
    view = fed((0.0, status({"event": "plan", "plan": PLAN})), (1.0, subtask("s1", "arithmetic", "working", "calc")))
    manifest = {
        "usage": {"input_tokens": 100, "output_tokens": 50},
        "subtasks": [
            {"id": sid, "skill": skill, "state": "completed", "worker": w, "duration_s": d, "usage": u}
            for sid, skill, w, d, u in (
                ("s1", "arithmetic", "calc", 0.25, {"input_tokens": 10, "output_tokens": 5}),
                ("s2", "search", "lib", 1.5, {}),
                ("s3", "report", "writer", 2.0, {"input_tokens": 90.0, "output_tokens": 45.0}),
            )
        ],
    }
    result = Artifact(artifact_id="result", parts=[Part(text="done"), _data(manifest, "manifest")])
    task = Task(id="t", status=TaskStatus(state=TaskState.TASK_STATE_COMPLETED), artifacts=[result])
    view.finish(task, 4.0)
    assert view.lines(4.0) == [
        "completed 4.0s · plan (explicit) 3/3 done · 150 tok",
        "s1 arithmetic ✓ calc 0.2s 15 tok",
        "s2 search ✓ lib 1.5s 0 tok",
        "└─ s3 report ✓ writer 2.0s 135 tok",
    ]


def test_a_failed_subtask_shows_why_and_its_dependent_is_skipped() -> None:
    view = fed(
        (0.0, status({"event": "plan", "plan": PLAN})),
        (0.1, subtask("s1", "arithmetic", "working", "calculator")),
        (0.6, subtask("s1", "arithmetic", "failed", "calculator", "division by zero")),
        (0.7, subtask("s3", "report", "skipped", "", "a dependency failed")),
        (0.8, status(None, "1 of 3 subtasks failed", TaskState.TASK_STATE_FAILED)),
    )
    assert view.lines(1.0) == [
        "failed 1.0s · plan (explicit) 0/3 done",
        "s1 arithmetic ✗ calculator 0.5s failed (division by zero)",
        "s2 search · -",
        "└─ s3 report - - 0.0s skipped (a dependency failed)",
        "1 of 3 subtasks failed",
    ]


def test_a_question_shows_under_its_subtask_and_the_ascii_fallback() -> None:
    view = fed(
        (0.0, status({"event": "plan", "plan": PLAN})),
        (0.2, subtask("s1", "arithmetic", "working", "calculator")),
        (0.3, subtask("s1", "arithmetic", "input_required", "calculator")),
        (
            0.3,
            status(
                {"event": "question", "subtask_id": "s1", "question": "Which base?"},
                "Which base?",
                TaskState.TASK_STATE_INPUT_REQUIRED,
            ),
        ),
    )
    view.marks, view.branch = LiveView(io.StringIO(), ascii_only=True).marks, "`- "
    assert view.lines(1.0)[1:3] == ["s1 arithmetic ? calculator 0.8s input_required", "   ? Which base?"]
    assert view.lines(1.0)[4] == "`- s3 report . -"
    assert view.status == "input_required"


def test_dependency_order_puts_dependents_after_their_dependencies_whatever_the_plan_order() -> None:
    plan = {
        "subtasks": [
            {"id": "d", "skill": "x", "depends_on": ["b", "c"]},
            {"id": "c", "skill": "x", "depends_on": ["a"]},
            {"id": "b", "skill": "x", "depends_on": ["a", "ghost"]},  # an unknown dependency is ignored
            {"id": "a", "skill": "x"},
        ]
    }
    view = fed((0.0, status({"event": "plan", "plan": plan})))
    assert [(n.id, depth) for n, depth in dependency_order(view.nodes)] == [("a", 0), ("c", 1), ("b", 1), ("d", 2)]
    assert view.lines(0.0)[-1] == "   └─ d x · - (after b, c)"


def test_cyclic_dependencies_still_render_every_subtask_once() -> None:
    plan = {
        "subtasks": [{"id": "a", "skill": "x", "depends_on": ["b"]}, {"id": "b", "skill": "x", "depends_on": ["a"]}]
    }
    view = fed((0.0, status({"event": "plan", "plan": plan})))
    assert sorted(n.id for n, _ in dependency_order(view.nodes)) == ["a", "b"]


def test_drawing_rewrites_in_place_at_most_once_per_interval() -> None:
    out = io.StringIO()
    view = LiveView(out, interval=0.1, ascii_only=True)
    event = status({"event": "plan", "plan": PLAN})
    view.feed(event, progress_of(event), 0.0)
    assert view.draw(0.0)
    assert out.getvalue().startswith("\x1b[J") and out.getvalue().count("\n") == 4
    assert not view.draw(0.05)  # throttled
    assert view.draw(0.05, force=True)
    assert "\x1b[4A\r\x1b[J" in out.getvalue()  # back up over the 4 lines drawn, clear, redraw


def test_malformed_progress_and_manifest_from_a_foreign_agent_are_ignored_not_fatal() -> None:
    junk: list[dict[str, Any]] = [
        {"event": "plan", "plan": "not a plan"},
        {"event": "plan", "plan": {"subtasks": [1, {"skill": "no id"}, {"id": "", "skill": "x"}, {"id": "ok"}]}},
        {"event": "plan", "plan": {"subtasks": [{"id": "s9", "depends_on": "s1"}]}},
        {"event": "subtask", "state": "working"},  # no subtask id
        {"event": "question", "subtask_id": "nobody", "question": "Who am I?"},
        {"event": "fireworks"},
    ]
    view = fed(*((0.1 * i, status(p)) for i, p in enumerate(junk)))
    manifest = {"usage": "lots", "subtasks": [{"id": "ok", "duration_s": "soon", "usage": {"input_tokens": "x"}}, 7]}
    task = Task(id="t", status=TaskStatus(state=TaskState.TASK_STATE_COMPLETED))
    task.artifacts.append(Artifact(artifact_id="result", parts=[_data(manifest, "manifest")]))
    view.finish(task, 1.0)
    assert view.lines(1.0) == [
        "completed 1.0s · plan (?) 0/2 done",
        "ok · - 0 tok",
        "s9 · -",
    ]


UNSERVED = [
    {"text": "order a pizza for delivery at 8pm", "reason": "no advertised skill can order food"},
    {"text": "book a flight", "reason": "no advertised skill can book travel"},
]
NOT_SERVED_ROWS = [
    "order a pizza for delivery at 8pm ∅ not served (no advertised skill can order food)",
    "book a flight ∅ not served (no advertised skill can book travel)",
]


def _final(state: TaskState, manifest: dict[str, Any] | None) -> Task:
    parts = [Part(text="text")] + ([_data(manifest, "manifest")] if manifest is not None else [])
    return Task(id="t", status=TaskStatus(state=state), artifacts=[Artifact(artifact_id="result", parts=parts)])


def test_unserved_parts_are_rows_of_their_own_from_the_plan_to_the_end() -> None:
    plan = {"source": "claude", "subtasks": PLAN["subtasks"][:1], "unserved": UNSERVED}
    view = fed((0.0, status({"event": "plan", "plan": plan})), (0.1, subtask("s1", "arithmetic", "working", "calc")))
    head, row = "working 0.5s · plan (claude) 0/1 done · 2 not served", "s1 arithmetic … calc 0.4s"
    assert view.lines(0.5) == [head, row, *NOT_SERVED_ROWS]
    manifest = {"subtasks": [{"id": "s1", "skill": "arithmetic", "state": "completed", "worker": "calc"}]}
    view.finish(_final(TaskState.TASK_STATE_COMPLETED, {**manifest, "unserved": UNSERVED}), 1.0)
    head, row = "completed 1.0s · plan (claude) 1/1 done · 2 not served", "s1 arithmetic ✓ calc 0.9s"
    assert view.lines(1.0) == [head, row, *NOT_SERVED_ROWS]


def test_a_rejected_goal_has_no_subtasks_and_only_not_served_rows() -> None:
    view = fed(
        (0.0, status({"event": "plan", "plan": {"source": "claude", "subtasks": [], "unserved": UNSERVED}})),
        (0.2, status(None, "No part of the goal can be served.", TaskState.TASK_STATE_REJECTED)),
    )
    assert view.lines(0.5) == [
        "rejected 0.5s · plan (claude) no subtasks · 2 not served",
        *NOT_SERVED_ROWS,
        "No part of the goal can be served.",
    ]
    view.finish(_final(TaskState.TASK_STATE_REJECTED, {"subtasks": [], "unserved": UNSERVED[:1]}), 0.6)
    assert view.lines(0.6) == ["rejected 0.6s · plan (claude) no subtasks · 1 not served", NOT_SERVED_ROWS[0]]


def test_the_manifest_brings_unserved_parts_the_stream_never_showed_and_ascii_marks_them() -> None:
    view = LiveView(io.StringIO(), ascii_only=True)
    view.finish(_final(TaskState.TASK_STATE_COMPLETED, {"subtasks": [], "unserved": UNSERVED[1:]}), 0.0)
    assert view.lines(0.0)[1:] == ["book a flight ! not served (no advertised skill can book travel)"]
    view.finish(_final(TaskState.TASK_STATE_COMPLETED, {"subtasks": []}), 0.0)  # no key: what was known stays
    assert len(view.lines(0.0)) == 2


def test_hostile_text_never_breaks_a_row_or_reaches_the_terminal() -> None:
    evil = "x\x1b[2J\ny\r\u202ez"
    plan = {"source": evil, "subtasks": [{"id": evil, "skill": evil}], "unserved": [{"text": evil, "reason": evil}]}
    out = io.StringIO()
    view = LiveView(out, ascii_only=True)
    for event in (
        status({"event": "plan", "plan": plan}),
        subtask(evil, evil, "failed", evil, evil),
        status({"event": "question", "subtask_id": evil, "question": evil}),
        status(None, evil),
    ):
        view.feed(event, progress_of(event), 0.0)
    lines = view.lines(0.0)
    assert len(lines) == 5 and lines[-1] == "x[2J y z" and lines[0].startswith("working 0.0s | plan (x[2J y z)")
    assert not any(c in line for line in lines for c in "\n\r\x1b\u202e")
    view.draw(0.0)
    assert out.getvalue().count("\x1b") == 1 and out.getvalue().count("\n") == len(lines)  # only our own escape
