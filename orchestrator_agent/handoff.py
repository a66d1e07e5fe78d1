"""The handoff contract (DESIGN.md): how a subtask becomes an A2A request, and a worker's task an `Output`.

Orchestrator -> worker: a fresh context per subtask attempt; first part a self-contained text brief; then the
material the plan put beside the brief (`Subtask.inputs`, tagged with `source`); then only the outputs of the
subtask's own dependencies (each part tagged with `source` and `subtask_id`) and the goal attachments the plan
routed to it; the structured subtask as a data part when the worker's card declares the Switchboard subtask
extension; goal id, subtask id, delegation depth and the chain of orchestrators in request metadata.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from a2a.types import Artifact, Message, Part, Role, SendMessageConfiguration, SendMessageRequest
from google.protobuf.json_format import MessageToDict, ParseDict
from google.protobuf.struct_pb2 import Value

from agents.host.wire import KIND_KEY, SUBTASK_EXTENSION_URI, SUBTASK_KIND, Usage

from .models import Output, Subtask, SubtaskResult, Worker

GOAL_ID_KEY = "switchboard.goal_id"
SUBTASK_ID_KEY = "switchboard.subtask_id"
DEPTH_KEY = "switchboard.depth"
CHAIN_KEY = "switchboard.chain"  # base URLs of the orchestrators a goal has passed through
USAGE_KEY = "switchboard.usage"


def brief_text(subtask: Subtask) -> str:
    text = subtask.brief.strip()
    if subtask.expected_output:
        text += f"\n\nExpected output: {subtask.expected_output.strip()}"
    return text


def _modes(worker: Worker, skill_id: str) -> tuple[str, ...]:
    return tuple(next((s.input_modes for s in worker.skills if s.id == skill_id), ()))


def accepts_json(worker: Worker, skill_id: str) -> bool:
    modes = _modes(worker, skill_id)
    return not modes or "application/json" in modes or "*/*" in modes


def _as_accepted(part: Part, modes: Sequence[str]) -> Part:
    """A text part (or UTF-8 file bytes) of a type the skill does not list, a CSV to a skill that takes
    text/plain, goes as text/plain, which it is; anything else goes as it is, for the worker to accept or
    refuse."""
    accepted = not modes or "*/*" in modes or part.media_type in modes or not part.media_type
    textual = part.media_type.startswith("text/") or part.media_type in _TEXTUAL
    if accepted or not textual or "text/plain" not in modes or part.WhichOneof("content") not in ("text", "raw"):
        return part
    if part.WhichOneof("content") == "raw":
        try:
            part.text = part.raw.decode("utf-8")  # setting the text clears the bytes (one content per part)
        except UnicodeDecodeError:
            return part
    part.media_type = "text/plain"
    return part


_TEXTUAL = frozenset({"application/json", "application/xml", "application/x-ndjson", "application/csv"})


def dependency_parts(subtask: Subtask, results: Mapping[str, SubtaskResult], *, json_ok: bool) -> list[Part]:
    """Outputs of the subtask's dependencies (and nothing else), tagged with where they came from.

    Text goes as text/plain (Markdown is plain text to a reader that does not render it); data parts go
    as application/json when the worker's skill accepts it, else rendered as JSON text.
    """
    parts: list[Part] = []
    for dep in subtask.depends_on:
        result = results[dep]
        meta = {"source": f"{dep} ({result.skill}, {result.worker_name})", "subtask_id": dep}
        if result.output.text:
            parts.append(Part(text=result.output.text, metadata=meta, media_type="text/plain"))
        for d in result.output.data:
            if json_ok:
                parts.append(Part(data=ParseDict(d, Value()), metadata=meta, media_type="application/json"))
            else:
                parts.append(Part(text=json.dumps(d, ensure_ascii=False), metadata=meta, media_type="text/plain"))
    return parts


def input_parts(subtask: Subtask, modes: Sequence[str] = ()) -> list[Part]:
    """The material the plan gave the subtask beside its brief (quoted or pasted data too large for a brief)."""
    return [
        _as_accepted(
            Part(
                text=i.text,
                media_type=i.media_type,
                metadata={"source": i.name or f"input {n}", "subtask_id": subtask.id},
            ),
            modes,
        )
        for n, i in enumerate(subtask.inputs, 1)
    ]


def attachment_parts(subtask: Subtask, attachments: Sequence[Part], modes: Sequence[str] = ()) -> list[Part]:
    parts = []
    for index in subtask.attachments:
        part = Part()
        part.CopyFrom(attachments[index])
        if not part.metadata.fields.get("source"):
            part.metadata["source"] = part.filename or f"attachment {index + 1}"
        parts.append(_as_accepted(part, modes))
    return parts


def build_request(
    subtask: Subtask,
    worker: Worker,
    *,
    results: Mapping[str, SubtaskResult],
    attachments: Sequence[Part],
    goal_id: str,
    depth: int,
    chain: Sequence[str] = (),
    deadline_s: float | None,
) -> SendMessageRequest:
    modes = _modes(worker, subtask.skill)
    parts = [Part(text=brief_text(subtask))]
    parts += input_parts(subtask, modes)
    parts += dependency_parts(subtask, results, json_ok=accepts_json(worker, subtask.skill))
    parts += attachment_parts(subtask, attachments, modes)
    if SUBTASK_EXTENSION_URI in worker.extensions and accepts_json(worker, subtask.skill):
        structured: dict[str, Any] = {"id": subtask.id, "skill": subtask.skill, "goal_id": goal_id}
        if subtask.expected_output:
            structured["expected_output"] = subtask.expected_output
        if deadline_s is not None:
            structured["deadline_s"] = round(deadline_s, 3)
        parts.append(Part(data=ParseDict(structured, Value()), metadata={KIND_KEY: SUBTASK_KIND}))
    message = Message(role=Role.ROLE_USER, message_id=str(uuid.uuid4()), context_id=str(uuid.uuid4()), parts=parts)
    return SendMessageRequest(
        message=message,
        configuration=SendMessageConfiguration(history_length=0),
        metadata={GOAL_ID_KEY: goal_id, SUBTASK_ID_KEY: subtask.id, DEPTH_KEY: depth + 1, CHAIN_KEY: list(chain)},
    )


def follow_up(remote_task_id: str, context_id: str, parts: Sequence[Part]) -> SendMessageRequest:
    """The caller's answer to a worker's question, sent back to the same worker task."""
    message = Message(
        role=Role.ROLE_USER,
        message_id=str(uuid.uuid4()),
        task_id=remote_task_id,
        context_id=context_id,
        parts=list(parts),
    )
    return SendMessageRequest(message=message)


def output_of(artifacts: Sequence[Artifact]) -> Output:
    texts: list[str] = []
    data: list[Any] = []
    for artifact in artifacts:
        chunk = "".join(p.text for p in artifact.parts if p.WhichOneof("content") == "text")
        if chunk:
            texts.append(chunk)
        data.extend(MessageToDict(p.data) for p in artifact.parts if p.WhichOneof("content") == "data")
    return Output(text="\n\n".join(texts), data=tuple(data))


def model_from(metadata: Mapping[str, Any]) -> str:
    """The model id a worker reported with its usage ("" if none, or not a short string)."""
    raw = metadata.get(USAGE_KEY)
    model = raw.get("model") if isinstance(raw, dict) else None
    return model if isinstance(model, str) and len(model) <= 128 else ""


def usage_from(metadata: Mapping[str, Any]) -> Usage:
    raw = metadata.get(USAGE_KEY)
    if not isinstance(raw, dict):
        return Usage()
    try:
        return Usage(**{k: int(v) for k, v in raw.items() if k in Usage.model_fields})
    except (TypeError, ValueError):
        return Usage()
