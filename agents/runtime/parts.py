"""Translation between A2A messages and the runtime's `WorkerInput`, and the handoff-contract conventions.

Contract (DESIGN.md, "The handoff contract"): the first text part of a message is the instruction; every
other part is a material, named by its metadata `source` (or `subtask_id`, or its filename). A data part
whose metadata says `switchboard.kind == "subtask"` is the structured subtask of the Switchboard extension
and tells the worker which skill the caller chose.
"""

from __future__ import annotations

from collections.abc import Iterable

from a2a.types import Message, Part, Role
from google.protobuf.json_format import MessageToDict
from pydantic import JsonValue

from agents.host.errors import InputError
from agents.host.wire import KIND_KEY, QUESTION_KIND, SUBTASK_EXTENSION_URI, SUBTASK_KIND

from .messages import Material, WorkerInput

__all__ = ["KIND_KEY", "QUESTION_KIND", "SUBTASK_EXTENSION_URI", "SUBTASK_KIND", "read_conversation", "read_message"]


def metadata_of(part: Part | Message) -> dict[str, JsonValue]:
    return MessageToDict(part.metadata) if part.HasField("metadata") else {}


def data_of(part: Part) -> JsonValue:
    """The JSON value of a data part (protobuf `Value`: numbers come back as floats)."""
    value: JsonValue = MessageToDict(part.data)
    return value


def _material(part: Part, index: int) -> Material:
    meta = metadata_of(part)
    source = str(meta.get("source") or meta.get("subtask_id") or part.filename or f"part {index}")
    kind = part.WhichOneof("content")
    if kind == "text":
        return Material(source=source, text=part.text, media_type=part.media_type or "text/plain")
    if kind == "data":
        return Material(source=source, data=data_of(part), media_type=part.media_type or "application/json")
    if kind == "raw":
        return Material(
            source=source,
            content=part.raw,
            media_type=part.media_type or "application/octet-stream",
            filename=part.filename,
        )
    if kind == "url":
        raise InputError(f"part {index} is a file URL ({part.url[:80]}); send the file's content inline instead")
    raise InputError(f"part {index} is empty")


def read_message(message: Message, max_bytes: int) -> WorkerInput:
    """The worker input of one message; raises `InputError` for empty, oversized or unusable messages."""
    size = message.ByteSize()
    if size > max_bytes:
        raise InputError(f"the message is {size} bytes, over this agent's limit of {max_bytes} bytes")
    instruction: str | None = None
    materials: list[Material] = []
    skill_hint: str | None = None
    for index, part in enumerate(message.parts, 1):
        kind = part.WhichOneof("content")
        if kind == "data" and metadata_of(part).get(KIND_KEY) == SUBTASK_KIND:
            subtask = data_of(part)
            if isinstance(subtask, dict) and isinstance(subtask.get("skill"), str):
                skill_hint = str(subtask["skill"])
            continue
        if kind == "text" and instruction is None and not metadata_of(part).get("source"):
            instruction = part.text
            continue
        materials.append(_material(part, index))
    instruction = (instruction or "").strip()
    if not instruction and not materials:
        raise InputError("the message is empty: send an instruction as a text part")
    return WorkerInput(instruction=instruction, materials=tuple(materials), skill_hint=skill_hint)


def read_conversation(messages: Iterable[Message], max_bytes: int) -> WorkerInput:
    """Fold a multi-turn exchange (first request, questions asked, replies) into one `WorkerInput`.

    The first user message is the task; each question the agent asked and the reply that followed are
    appended to the instruction, and the replies' other parts join the materials.
    """
    first: WorkerInput | None = None
    extra: list[str] = []
    materials: list[Material] = []
    pending_question = ""
    for message in messages:
        if message.role == Role.ROLE_AGENT:
            if metadata_of(message).get(KIND_KEY) == QUESTION_KIND:
                pending_question = " ".join(p.text for p in message.parts if p.text)
            continue
        turn = read_message(message, max_bytes)
        if first is None:
            first = turn
            continue
        if pending_question:
            extra.append(f"You asked: {pending_question}\nThe caller replied: {turn.instruction}")
        else:
            extra.append(f"The caller added: {turn.instruction}")
        pending_question = ""
        materials.extend(m.model_copy(update={"source": f"caller reply: {m.source}"}) for m in turn.materials)
    if first is None:
        raise InputError("the message is empty: send an instruction as a text part")
    instruction = "\n\n".join([first.instruction, *extra])
    return WorkerInput(instruction=instruction, materials=(*first.materials, *materials), skill_hint=first.skill_hint)
