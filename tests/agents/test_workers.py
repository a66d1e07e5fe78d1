"""What every built-in worker promises, checked the same way for all of them over real sockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from a2a.client import Client
from a2a.types import AgentCard, CancelTaskRequest, GetTaskRequest, Part, SendMessageRequest, TaskState
from a2a.utils.errors import ContentTypeNotSupportedError
from starlette.types import ASGIApp

from agents.host.serving import CARDS_DIR, card_problems, load_card
from agents.registry import WORKERS, worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.model import Model
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.servers import served

EXAMPLES = [
    (name, skill["id"], example)
    for name in WORKERS
    for skill in json.loads((CARDS_DIR / f"{name}.json").read_text())["skills"]
    for example in skill["examples"]
]


def builder(name: str, data_dir: Path, model: Model | None = None) -> Callable[[str], ASGIApp]:
    def build(url: str) -> ASGIApp:
        settings = load_worker_settings(name, {}, {"public_url": url, "data_dir": str(data_dir)})
        return build_worker_app(worker_spec(name), settings, model=model)

    return build


@pytest.mark.parametrize("name", WORKERS)
def test_card_is_valid_and_every_skill_has_tools(name: str) -> None:
    raw = json.loads((CARDS_DIR / f"{name}.json").read_text())
    assert card_problems(raw) == []
    card = load_card(name, "http://worker.test")
    assert isinstance(card, AgentCard)
    assert [i.url for i in card.supported_interfaces] == [
        "http://worker.test/a2a/jsonrpc",
        "http://worker.test/a2a/rest",
    ]
    spec = worker_spec(name)
    tool_names = {t.name for t in spec.tools}
    assert set(spec.skill_tools) == {s.id for s in card.skills}
    for skill in card.skills:
        assert spec.skill_tools[skill.id], skill.id
        assert set(spec.skill_tools[skill.id]) <= tool_names
        assert len(skill.examples) >= 2 and skill.tags and skill.description


@pytest.mark.parametrize(
    "raw, problem",
    [
        ({"description": "d", "version": "1", "skills": [{"id": "a"}]}, "missing name"),
        ({"name": "n", "description": "d", "version": "1", "skills": []}, "missing skills"),
        (
            {"name": "n", "description": "d", "version": "1", "url": "http://x", "skills": [{"id": "a"}]},
            "interfaces/url must not be in the file",
        ),
    ],
)
def test_card_problems_are_reported(raw: dict[str, object], problem: str) -> None:
    assert any(problem in p for p in card_problems(raw))


@pytest.mark.parametrize("binding", ["jsonrpc", "rest"])
@pytest.mark.parametrize("name", WORKERS)
async def test_every_card_example_completes(name: str, binding: str, tmp_path: Path) -> None:
    examples = [(skill, ex) for n, skill, ex in EXAMPLES if n == name]
    async with served(builder(name, tmp_path)) as url:
        for streaming in (True, False):
            async with a2a_client(url, streaming=streaming, binding=binding) as client:
                for skill, example in examples:
                    task, _ = await send(client, user_message(example))
                    assert state(task) == "completed", f"{skill}: {example!r} -> {status_text(task)}"
                    assert artifact_text(task).strip(), f"{skill}: empty artifact for {example!r}"


async def test_streaming_order_is_task_first_then_updates(tmp_path: Path) -> None:
    name, _, example = EXAMPLES[0]
    async with served(builder(name, tmp_path)) as url, a2a_client(url) as client:
        events = [e async for e in client.send_message(SendMessageRequest(message=user_message(example)))]
    kinds = [e.WhichOneof("payload") for e in events]
    assert kinds[0] == "task" and kinds[-1] == "status_update"
    assert events[-1].status_update.status.state == TaskState.TASK_STATE_COMPLETED
    assert "artifact_update" in kinds


class BlockingModel:
    """A model that never answers until cancelled: lets a test cancel a worker mid-run."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.cancelled = asyncio.Event()

    async def respond(self, conversation: Conversation) -> ModelTurn:
        self.started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.set()
            raise
        raise AssertionError("unreachable")


@pytest.mark.parametrize("name", WORKERS)
async def test_cancel_mid_run_ends_canceled_and_stops_the_loop(name: str, tmp_path: Path) -> None:
    model = BlockingModel()
    async with served(builder(name, tmp_path, model)) as url, a2a_client(url) as client:
        stream = client.send_message(SendMessageRequest(message=user_message("anything")))
        first = await anext(stream)
        task_id = first.task.id
        await asyncio.wait_for(model.started.wait(), 10)
        canceled = await client.cancel_task(CancelTaskRequest(id=task_id))
        assert canceled.status.state == TaskState.TASK_STATE_CANCELED
        await asyncio.wait_for(model.cancelled.wait(), 10)
        await stream.aclose()
        stored = await client.get_task(GetTaskRequest(id=task_id))
        assert stored.status.state == TaskState.TASK_STATE_CANCELED


async def _final(client: Client, *parts: Part, text: str = "") -> tuple[str, str]:
    task, _ = await send(client, user_message(text, *parts))
    return state(task), status_text(task)


@pytest.mark.parametrize("name", WORKERS)
async def test_bad_input_gets_a_clear_answer_and_the_server_keeps_serving(name: str, tmp_path: Path) -> None:
    _, _, example = next(e for e in EXAMPLES if e[0] == name)
    async with served(builder(name, tmp_path)) as url, a2a_client(url) as client:
        # an empty message
        empty = await _final(client, Part(text="   "))
        assert empty == ("failed", "the message is empty: send an instruction as a text part")
        # a file by URL is not fetched
        link = Part(url="http://example.invalid/x.csv", media_type="text/plain")
        s, reason = await _final(client, link, text="use this")
        assert s == "failed" and "file URL" in reason
        # over the size limit (1 MB default)
        s, reason = await _final(client, text="x " * 600_000)
        assert s == "failed" and "over this agent's limit" in reason
        # a media type the card does not accept is a protocol error, not a crash
        with pytest.raises(ContentTypeNotSupportedError):
            await _final(client, Part(raw=b"\x00\x01", media_type="application/x-unknown"), text="look")
        # and a normal request still works
        assert (await _final(client, text=example))[0] == "completed"


async def test_input_required_resumes_on_the_same_task(tmp_path: Path) -> None:
    async with served(builder("data_analyst", tmp_path)) as url, a2a_client(url) as client:
        task, _ = await send(client, user_message("Describe the columns of my table."))
        assert state(task) == "input_required", status_text(task)
        reply = user_message("name,age\nAda,36\nAlan,41\nGrace,85", task_id=task.id, context_id=task.context_id)
        resumed, events = await send(client, reply)
        assert events[0].WhichOneof("payload") == "status_update"  # a follow-up turn has no Task event first
        assert state(resumed) == "completed", status_text(resumed)
        final = await client.get_task(GetTaskRequest(id=task.id))
        assert final.id == task.id and "age" in artifact_text(final)


@pytest.mark.parametrize(
    ("name", "request_text", "reason"),
    [
        ("calculator", "What is 9**9**9**9?", "calculator could not do it"),
        ("calculator", "What is 1/0?", "calculator could not do it"),
        ("data_analyst", 'Describe the columns of this JSON: [{"a": 1}, {"a": ', "data_analyst could not do it"),
        (
            "data_analyst",
            "Describe the columns of this CSV:\na,b\n1,2,3,4,5\n6\n7,8,9,10",
            "data_analyst could not do it",
        ),
        ("calculator", "Summarize this article about whales for me.", "Out of scope for calculator"),
    ],
)
async def test_inputs_designed_to_break_a_tool_fail_or_are_rejected(
    name: str, request_text: str, reason: str, tmp_path: Path
) -> None:
    async with served(builder(name, tmp_path)) as url, a2a_client(url) as client:
        s, text = await _final(client, text=request_text)
        assert s in ("failed", "rejected") and reason in text, (s, text)
        _, _, example = next(e for e in EXAMPLES if e[0] == name)
        assert (await _final(client, text=example))[0] == "completed"
