"""The live view of `switchboard ask` on a terminal: the plan as a tree, redrawn in place as the goal runs.

`LiveView.feed` folds the orchestrator's stream (its `progress` data parts: plan, subtask, question) into a model
of the plan: per subtask its state, worker, start/end time and, once the final manifest arrives, duration and
tokens; and the parts of the goal the plan does not serve, each shown as its own row, "not served", with why.
Every text shown is one line (`render.one_line`), so a drawing's line count is its row count and no payload
can send the terminal an escape sequence. `LiveView.lines` renders that model as text (pure: same model and
clock, same text). `LiveView.draw` rewrites the previous drawing in place with ANSI escapes (cursor up, clear to
the end of the screen), at most once per `interval` seconds unless forced. Dependency-free on purpose; the plain
line-per-event output for pipes stays in `render.render_progress`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from typing import Any, TextIO

from a2a.types import StreamResponse, Task

from .render import NotDone, as_list, manifest_of, one_line, state_name, subtask_entries, unserved_entries

UNICODE_MARKS = {"pending": "·", "working": "…", "input_required": "?", "completed": "✓", "failed": "✗"}
UNICODE_MARKS |= {"rejected": "✗", "canceled": "⊘", "skipped": "-", "not_served": "∅"}
ASCII_MARKS = {"pending": ".", "working": "~", "input_required": "?", "completed": "+", "failed": "x"}
ASCII_MARKS |= {"rejected": "x", "canceled": "/", "skipped": "-", "not_served": "!"}
TERMINAL = frozenset({"completed", "failed", "rejected", "canceled", "skipped"})


@dataclass
class Node:
    """One subtask as the view knows it."""

    id: str
    skill: str
    depends_on: tuple[str, ...] = ()
    state: str = "pending"
    worker: str = ""
    started: float | None = None
    ended: float | None = None
    duration: float | None = None  # from the manifest: the orchestrator's own measure
    tokens: int | None = None  # input + output tokens, from the manifest
    detail: str = ""
    question: str = ""

    def elapsed(self, now: float) -> float | None:
        if self.duration is not None:
            return self.duration
        if self.started is None:
            return None
        return (self.ended if self.ended is not None else now) - self.started


def _tokens(usage: Any) -> int | None:
    """Input + output tokens of a manifest's usage; None when it is not a usage record."""
    if not isinstance(usage, dict):
        return None
    counts = [usage.get(k, 0) for k in ("input_tokens", "output_tokens")]
    return sum(int(c) for c in counts if isinstance(c, int | float))


def dependency_order(nodes: dict[str, Node]) -> list[tuple[Node, int]]:
    """Subtasks in dependency order (plan order among the ready ones), each with its depth: 0 without
    dependencies, else one more than its deepest dependency. Unknown or cyclic dependencies are ignored."""
    depth: dict[str, int] = {}
    ordered: list[tuple[Node, int]] = []
    pending = list(nodes.values())
    while pending:
        ready = [n for n in pending if all(d in depth or d not in nodes for d in n.depends_on)] or pending[:1]
        node = ready[0]
        depth[node.id] = 1 + max((depth[d] for d in node.depends_on if d in depth), default=-1)
        ordered.append((node, depth[node.id]))
        pending.remove(node)
    return ordered


class LiveView:
    """Folds progress events into the plan tree and draws it on `out` (a terminal)."""

    def __init__(self, out: TextIO, *, interval: float = 0.1, ascii_only: bool | None = None) -> None:
        self.out = out
        self.interval = interval
        self.nodes: dict[str, Node] = {}
        self.unserved: list[NotDone] = []
        self.source = ""
        self.status = "submitted"
        self.note = ""
        self.started: float | None = None
        self.total_tokens: int | None = None
        self._drawn = 0  # lines on screen from the last draw
        self._last_draw: float | None = None
        if ascii_only is None:
            ascii_only = not _can_encode(out, "✓✗…·⊘∅└─")
        self.marks = ASCII_MARKS if ascii_only else UNICODE_MARKS
        self.branch = "`- " if ascii_only else "└─ "
        self.dot = " | " if ascii_only else " · "  # between the header's facts

    def feed(self, event: StreamResponse, progress: dict[str, Any] | None, now: float) -> None:
        """Fold one stream event (and its progress part, if any) into the model."""
        if self.started is None:
            self.started = now
        kind = event.WhichOneof("payload")
        if kind == "task":
            self.status = state_name(event.task.status.state)
        elif kind == "status_update":
            self.status = state_name(event.status_update.status.state)
            text = " ".join(p.text for p in event.status_update.status.message.parts if p.text)
            if progress is None and text:
                self.note = text
        if progress is not None:
            self._fold_progress(progress, now)

    def _fold_progress(self, progress: dict[str, Any], now: float) -> None:
        what = progress.get("event")
        if what == "plan":
            plan: dict[str, Any] = progress["plan"] if isinstance(progress.get("plan"), dict) else {}
            self.source = str(plan.get("source", ""))
            for s in subtask_entries(plan.get("subtasks")):
                deps = tuple(str(d) for d in as_list(s.get("depends_on")))
                self.nodes.setdefault(s["id"], Node(id=s["id"], skill=str(s.get("skill", "")), depends_on=deps))
            self.unserved = unserved_entries(plan.get("unserved"))
        elif what == "subtask" and progress.get("subtask_id"):
            sid = str(progress["subtask_id"])
            node = self.nodes.setdefault(sid, Node(id=sid, skill=str(progress.get("skill", ""))))
            node.state = str(progress.get("state", node.state))
            node.worker = str(progress.get("worker") or node.worker)
            node.detail = str(progress.get("detail") or "")
            if node.state != "input_required":
                node.question = ""
            if node.started is None and node.state != "pending":
                node.started = now
            node.ended = now if node.state in TERMINAL else None
        elif what == "question":
            asked = self.nodes.get(str(progress.get("subtask_id", "")))
            if asked is not None:
                asked.state, asked.question = "input_required", str(progress.get("question", ""))
            else:
                self.note = f"question: {progress.get('question', '')}"
        elif what in ("queued", "resumed"):
            self.note = what

    def finish(self, task: Task, now: float) -> None:
        """Take the final task: states, durations and tokens from its manifest, when it has one."""
        self.status = state_name(task.status.state)
        manifest = manifest_of(task) or {}
        for s in subtask_entries(manifest.get("subtasks")):
            node = self.nodes.setdefault(s["id"], Node(id=s["id"], skill=str(s.get("skill", ""))))
            node.depends_on = node.depends_on or tuple(str(d) for d in as_list(s.get("depends_on")))
            node.state, node.worker = str(s.get("state", node.state)), str(s.get("worker") or node.worker)
            duration = s.get("duration_s")
            node.duration = float(duration) if isinstance(duration, int | float) else node.duration
            node.tokens = _tokens(s.get("usage"))
            node.ended = node.ended if node.ended is not None else now
        self.total_tokens = _tokens(manifest.get("usage"))
        if "unserved" in manifest:  # the goal's last word on it; a plan event may never have come (a refusal)
            self.unserved = unserved_entries(manifest["unserved"])
        self.note = ""

    def lines(self, now: float) -> list[str]:
        """The tree as text lines: a header, one line per subtask indented by dependency, questions, one line per
        part of the goal not served, a note."""
        elapsed = now - self.started if self.started is not None else 0.0
        head = f"{self.status} {elapsed:.1f}s"
        if self.nodes or self.unserved:
            done = sum(n.state == "completed" for n in self.nodes.values())
            progress = f"{done}/{len(self.nodes)} done" if self.nodes else "no subtasks"
            head += f"{self.dot}plan ({one_line(self.source or '?', 40)}) {progress}"
        if self.unserved:
            head += f"{self.dot}{len(self.unserved)} not served"
        if self.total_tokens is not None:
            head += f"{self.dot}{self.total_tokens} tok"
        out = [head]
        for node, depth in dependency_order(self.nodes):
            out.append(self._line(node, depth, now))
            if node.question:
                out.append("   " * (depth + 1) + f"? {one_line(node.question, 300)}")
        mark = self.marks["not_served"]
        out += [f"{one_line(u.what, 80)} {mark} not served ({u.why})" for u in self.unserved]
        if self.note:
            out.append(one_line(self.note, 300))
        return out

    def _line(self, node: Node, depth: int, now: float) -> str:
        indent = ("   " * (depth - 1) + self.branch) if depth else ""
        parts = [f"{indent}{one_line(node.id, 64)}", one_line(node.skill, 80), self.marks.get(node.state, "?")]
        parts.append(one_line(node.worker, 80) or "-")
        elapsed = node.elapsed(now)
        if elapsed is not None:
            parts.append(f"{elapsed:.1f}s")
        if node.tokens is not None:
            parts.append(f"{node.tokens} tok")
        if node.state not in ("pending", "working", "completed"):
            parts.append(one_line(node.state, 40))
        if len(node.depends_on) > 1:
            parts.append(f"(after {one_line(', '.join(node.depends_on), 200)})")
        if node.detail and node.state in TERMINAL - {"completed"}:
            parts.append(f"({one_line(node.detail, 80)})")
        return " ".join(p for p in parts if p)

    def draw(self, now: float, *, force: bool = False) -> bool:
        """Redraw in place unless the last draw was under `interval` ago (and not `force`); True if drawn."""
        if not force and self._last_draw is not None and now - self._last_draw < self.interval:
            return False
        width = max(shutil.get_terminal_size((100, 24)).columns - 1, 20)
        lines = [line[:width] for line in self.lines(now)]  # no wrapping, so the line count is the row count
        up = f"\x1b[{self._drawn}A\r" if self._drawn else ""
        self.out.write(up + "\x1b[J" + "\n".join(lines) + "\n")
        self.out.flush()
        self._drawn, self._last_draw = len(lines), now
        return True


def _can_encode(out: TextIO, text: str) -> bool:
    try:
        text.encode(getattr(out, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
