"""Plain-text rendering of an orchestrator's stream and final task for the CLI."""

from __future__ import annotations

from typing import Any

from a2a.types import StreamResponse, Task, TaskState
from google.protobuf.json_format import MessageToDict

from agents.runtime.parts import KIND_KEY


def render_progress(event: StreamResponse, progress: dict[str, Any] | None, elapsed: float) -> str | None:
    stamp = f"[{elapsed:6.2f}s]"
    kind = event.WhichOneof("payload")
    if progress is not None:
        if progress.get("event") == "plan":
            plan = progress["plan"]
            steps = []
            for s in plan["subtasks"]:
                after = f" after {', '.join(s['depends_on'])}" if s.get("depends_on") else ""
                steps.append(f"{s['id']}:{s['skill']}{after}")
            return f"{stamp} plan ({plan.get('source')}): " + "; ".join(steps)
        if progress.get("event") == "subtask":
            who = f" @ {progress['worker']}" if progress.get("worker") else ""
            detail = f" ({progress['detail'][:100]})" if progress.get("detail") else ""
            return f"{stamp} {progress['subtask_id']} {progress['skill']}{who}: {progress['state']}{detail}"
        if progress.get("event") == "question":
            return f"{stamp} question from {progress['subtask_id']}: {progress['question']}"
        return None
    if kind == "status_update":
        state = TaskState.Name(event.status_update.status.state).removeprefix("TASK_STATE_").lower()
        text = " ".join(p.text for p in event.status_update.status.message.parts if p.text)
        return f"{stamp} {state}: {text}" if text else f"{stamp} {state}"
    if kind == "artifact_update":
        a = event.artifact_update.artifact
        return f"{stamp} artifact {a.name or a.artifact_id}" if not event.artifact_update.append else None
    return None


def manifest_of(task: Task) -> dict[str, Any] | None:
    """The goal's own manifest: from its `result` artifact first, since relayed worker artifacts can carry
    manifests too (a nested orchestrator's)."""
    for artifact in sorted(task.artifacts, key=lambda a: a.artifact_id != "result"):
        for part in artifact.parts:
            if part.WhichOneof("content") == "data" and MessageToDict(part.metadata).get(KIND_KEY) == "manifest":
                data = MessageToDict(part.data)
                return data if isinstance(data, dict) else None
    return None


def render_result(task: Task) -> str:
    state = TaskState.Name(task.status.state).removeprefix("TASK_STATE_").lower()
    status = " ".join(p.text for p in task.status.message.parts if p.text)
    result = next((a for a in task.artifacts if a.artifact_id == "result"), None)
    if result is not None:
        body = "".join(p.text for p in result.parts if p.WhichOneof("content") == "text")
    else:
        body = "\n\n".join("".join(p.text for p in a.parts if p.text) for a in task.artifacts)
    lines = ["", "=" * 78, body.strip() or "(no result text)", "=" * 78]
    manifest = manifest_of(task)
    if manifest and manifest.get("subtasks"):
        lines.append("Provenance:")
        for s in manifest["subtasks"]:
            attempts = len(s.get("attempts", []))
            lines.append(
                f"  {s['id']:<6} {s['skill']:<18} {s['state']:<10} {s.get('worker') or '-':<14} "
                f"{float(s.get('duration_s', 0)):6.2f}s  attempts={attempts}  task={s.get('remote_task_id') or '-'}"
            )
    lines.append(f"Task {task.id}: {state}" + (f" ({status})" if status else ""))
    return "\n".join(lines)
