"""Plain-text rendering of an orchestrator's stream and final task for the CLI.

`outcome_of` says what a final task amounts to (completed, completed in part, rejected, ...), `not_done` what of
the goal was not done and why, `render_progress` one line per stream event, `render_result` the final block.
`ask` talks to any A2A agent, so every payload read here is untrusted: malformed entries are skipped, never
fatal, and every text printed goes through `printable` (no control characters, so no terminal escapes) or
`one_line` (also on one line, bounded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from a2a.types import StreamResponse, Task, TaskState
from google.protobuf.json_format import MessageToDict

from agents.host.wire import KIND_KEY

RULE = "=" * 78
# C0 (but tab and newline), DEL, C1 (ESC and CSI start terminal escapes), and the bidi overrides that reorder text
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_REJECTED = re.compile(r"^(?:rejected\s*[:.-]\s*)+", re.I)  # an agent's own "Rejected:" before its reason


class Outcome(StrEnum):
    """What a final task amounts to for the caller; the CLI's exit code follows from it."""

    COMPLETED = "completed"  # every part of the goal served
    PARTIAL = "partial"  # completed, but some parts not served (or, after a budget stop, not run)
    FAILED = "failed"
    CANCELED = "canceled"
    REJECTED = "rejected"  # no part of the goal could be served
    INPUT_REQUIRED = "input_required"  # paused on a question for the caller
    UNFINISHED = "unfinished"  # the stream ended before a final state (submitted, working, auth_required)


@dataclass(frozen=True)
class NotDone:
    """A part of the goal that was not done: what (in the caller's words, or a subtask), and why."""

    what: str
    why: str


def printable(text: object) -> str:
    """`text` without control characters: a carriage return ends a line, a tab is four spaces."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", lines)


def one_line(text: object, limit: int = 200) -> str:
    """`text` printable, its whitespace runs (newlines too) collapsed to one space, at most `limit` characters."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: max(limit - 3, 1)] + "..."


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def subtask_entries(value: Any) -> list[dict[str, Any]]:
    """The well-formed subtask entries of a plan or manifest (dicts with a string id); the rest are ignored."""
    return [e for e in as_list(value) if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"]]


def unserved_entries(value: Any) -> list[NotDone]:
    """The well-formed `unserved` entries of a plan or manifest ({"text", "reason"}, text not blank)."""
    parts = [e for e in as_list(value) if isinstance(e, dict) and one_line(e.get("text") or "")]
    return [NotDone(one_line(e["text"]), one_line(e.get("reason") or "no reason given", 300)) for e in parts]


def state_name(state: int) -> str:
    return str(TaskState.Name(state)).removeprefix("TASK_STATE_").lower() if state in TaskState.values() else "?"


def status_text(task: Task) -> str:
    return printable(" ".join(p.text for p in task.status.message.parts if p.text)).strip()


def manifest_of(task: Task) -> dict[str, Any] | None:
    """The goal's own manifest: from its `result` artifact first, since relayed worker artifacts can carry
    manifests too (a nested orchestrator's)."""
    for artifact in sorted(task.artifacts, key=lambda a: a.artifact_id != "result"):
        for part in artifact.parts:
            if part.WhichOneof("content") == "data" and MessageToDict(part.metadata).get(KIND_KEY) == "manifest":
                data = MessageToDict(part.data)
                return data if isinstance(data, dict) else None
    return None


def not_done(task: Task) -> list[NotDone]:
    """What of the goal was not done: the manifest's unserved parts and, for a completed task (a budget stop's
    partial result), every subtask that did not complete."""
    manifest = manifest_of(task) or {}
    items = unserved_entries(manifest.get("unserved"))
    if task.status.state == TaskState.TASK_STATE_COMPLETED:
        for s in subtask_entries(manifest.get("subtasks")):
            state = s.get("state")
            if isinstance(state, str) and state != "completed":
                why = ": ".join(one_line(w, 300) for w in (state, s.get("reason")) if w)
                items.append(NotDone(one_line(f"{s['id']} ({s.get('skill', '?')})"), why))
    return items


def outcome_of(task: Task) -> Outcome:
    state = task.status.state
    if state == TaskState.TASK_STATE_COMPLETED:
        return Outcome.PARTIAL if not_done(task) else Outcome.COMPLETED
    by_state = {
        TaskState.TASK_STATE_FAILED: Outcome.FAILED,
        TaskState.TASK_STATE_CANCELED: Outcome.CANCELED,
        TaskState.TASK_STATE_REJECTED: Outcome.REJECTED,
        TaskState.TASK_STATE_INPUT_REQUIRED: Outcome.INPUT_REQUIRED,
    }
    return by_state.get(state, Outcome.UNFINISHED)


def plan_line(plan: Any) -> str:
    """A plan on one line: its subtasks with their dependencies, then the parts of the goal it does not serve."""
    plan = plan if isinstance(plan, dict) else {}
    steps = []
    for s in subtask_entries(plan.get("subtasks")):
        deps = [str(d) for d in as_list(s.get("depends_on"))]
        after = f" after {', '.join(deps)}" if deps else ""
        steps.append(one_line(f"{s['id']}:{s.get('skill', '?')}{after}"))
    line = f"plan ({one_line(plan.get('source') or '?', 40)}): " + ("; ".join(steps) or "no subtasks")
    unserved = unserved_entries(plan.get("unserved"))
    if unserved:
        line += f" | not served ({len(unserved)}): " + "; ".join(f"{u.what} ({u.why})" for u in unserved)
    return line


def render_progress(event: StreamResponse, progress: dict[str, Any] | None, elapsed: float) -> str | None:
    stamp = f"[{elapsed:6.2f}s]"
    kind = event.WhichOneof("payload")
    if progress is not None:
        what = progress.get("event")
        if what == "plan":
            return f"{stamp} {plan_line(progress.get('plan'))}"
        if what == "subtask":
            who = f" @ {one_line(progress['worker'], 80)}" if progress.get("worker") else ""
            detail = f" ({one_line(progress['detail'], 100)})" if progress.get("detail") else ""
            sid, skill = one_line(progress.get("subtask_id", "?"), 80), one_line(progress.get("skill", "?"), 80)
            return f"{stamp} {sid} {skill}{who}: {one_line(progress.get('state', '?'), 40)}{detail}"
        if what == "question":
            sid, question = one_line(progress.get("subtask_id", "?"), 80), one_line(progress.get("question", ""), 500)
            return f"{stamp} question from {sid}: {question}"
        return None
    if kind == "status_update":
        state = state_name(event.status_update.status.state)
        text = one_line(" ".join(p.text for p in event.status_update.status.message.parts if p.text), 500)
        return f"{stamp} {state}: {text}" if text else f"{stamp} {state}"
    if kind == "artifact_update":
        a = event.artifact_update.artifact
        return None if event.artifact_update.append else f"{stamp} artifact {one_line(a.name or a.artifact_id, 120)}"
    return None


def not_done_block(items: list[NotDone]) -> list[str]:
    """The NOT DONE block: a heading with the count, then one line per part and why."""
    noun = "part" if len(items) == 1 else "parts"
    return [f"NOT DONE ({len(items)} {noun}):", *(f"  - {i.what}: {i.why}" for i in items)]


def _body(task: Task) -> str:
    result = next((a for a in task.artifacts if a.artifact_id == "result"), None)
    if result is not None:
        body = "".join(p.text for p in result.parts if p.WhichOneof("content") == "text")
    else:
        body = "\n\n".join("".join(p.text for p in a.parts if p.text) for a in task.artifacts)
    return printable(body).strip()


def _provenance(manifest: dict[str, Any]) -> list[str]:
    rows = subtask_entries(manifest.get("subtasks"))
    lines = ["Provenance:"] if rows else []
    for s in rows:
        duration = s.get("duration_s")
        seconds = float(duration) if isinstance(duration, int | float) else 0.0
        cells = [one_line(s[k] if k in s else "", 40) for k in ("id", "skill", "state")]
        worker, task = one_line(s.get("worker") or "-", 40), one_line(s.get("remote_task_id") or "-", 80)
        lines.append(
            f"  {cells[0]:<6} {cells[1]:<18} {cells[2]:<10} {worker:<14} "
            f"{seconds:6.2f}s  attempts={len(as_list(s.get('attempts')))}  task={task}"
        )
    return lines


def render_result(task: Task) -> str:
    """The final block: for a rejection "Rejected: <reason>", for a pause the question; then the NOT DONE block
    (when anything was not done), the result text between rules, the provenance table and the task's state."""
    outcome, status, body, items = outcome_of(task), status_text(task), _body(task), not_done(task)
    lines = [""]
    if outcome is Outcome.REJECTED:
        reason = _REJECTED.sub("", one_line(status, 2000))  # said once, whether or not the agent said it too
        lines.append(f"Rejected: {reason or 'the agent refused the goal'}")
    elif outcome is Outcome.INPUT_REQUIRED:
        lines.append(f"Input required: {status or '(the agent asked no question)'}")
    if items:
        lines += [*([""] if len(lines) > 1 else []), *not_done_block(items)]
    paused = outcome in (Outcome.REJECTED, Outcome.INPUT_REQUIRED)
    if body and not (paused and body == status):
        lines += [RULE, body, RULE]
    elif not paused:
        lines += [RULE, "(no result text)", RULE]
    lines += _provenance(manifest_of(task) or {})
    lines.append(f"Task {one_line(task.id, 80)}: {_verdict(task, outcome, status, len(items))}")
    return "\n".join(lines)


def _verdict(task: Task, outcome: Outcome, status: str, not_done_count: int) -> str:
    """The last line's verdict: the state and, unless shown above, the status message."""
    said = f" ({one_line(status, 500)})" if status else ""
    if outcome is Outcome.PARTIAL:
        return f"completed in part, {not_done_count} not done{said}"
    if outcome in (Outcome.REJECTED, Outcome.INPUT_REQUIRED):
        return outcome.value
    if outcome is Outcome.UNFINISHED:
        return f"{state_name(task.status.state)}, the stream ended before the task did{said}"
    return f"{outcome.value}{said}"
