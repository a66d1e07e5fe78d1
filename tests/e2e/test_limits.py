"""Limits, each hit from outside over real sockets: request body size, parts per message, goals per caller,
and the size of a worker's output. Each gives its clear error and disturbs nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from a2a.types import GetTaskRequest, Part, SendMessageConfiguration, SendMessageRequest
from a2a.utils.errors import InvalidParamsError
from starlette.applications import Starlette

from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.render import manifest_of
from tests.support.a2a import a2a_client, artifact_text, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part, until, until_async, url
from tests.support.processes import agent_process, free_ports, scripted, seen
from tests.support.servers import served
from tests.support.toy import SPEC

pytestmark = pytest.mark.timeout(60)

CARDS = Path(__file__).parents[1] / "support" / "cards"
VERSION = {"A2A-Version": "1.0"}


def toy(tmp_path: Path, **env: str) -> Callable[[str], Starlette]:
    def build(base: str) -> Starlette:
        settings = load_worker_settings(
            "toy", env, {"public_url": base, "data_dir": str(tmp_path), "cards_dir": str(CARDS)}
        )
        return build_worker_app(SPEC, settings)

    return build


def _big_rpc(size: int) -> bytes:
    text = "x" * size
    return (
        '{"jsonrpc": "2.0", "id": 1, "method": "SendMessage", "params": {"message": {"messageId": "m", '
        f'"role": "ROLE_USER", "parts": [{{"text": "count: {text}"}}]}}}}}}'
    ).encode()


async def test_a_body_over_the_limit_gets_413_declared_or_streamed_and_the_server_goes_on(tmp_path: Path) -> None:
    async with served(toy(tmp_path, SWITCHBOARD_MAX_REQUEST_BYTES="2048")) as base:
        async with httpx.AsyncClient(base_url=base, headers=VERSION) as http:
            declared = await http.post("/a2a/jsonrpc", content=_big_rpc(10_000))

            async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
                body = _big_rpc(10_000)
                for i in range(0, len(body), 1000):
                    yield body[i : i + 1000]

            streamed = await http.post("/a2a/jsonrpc", content=chunks())
            rest = await http.post("/a2a/rest/message:send", content=_big_rpc(10_000))
        async with a2a_client(base) as client:
            task, _ = await send(client, user_message("count: still here"))
    for reply in (declared, streamed):
        assert reply.status_code == 413 and "limit is 2048 bytes" in reply.json()["error"]["message"]
    assert rest.status_code == 413 and rest.json()["error"]["code"] == 413
    assert state(task) == "completed" and "2 words" in artifact_text(task)


async def test_too_many_parts_are_refused_with_the_limit(tmp_path: Path) -> None:
    async with served(toy(tmp_path, SWITCHBOARD_MAX_PARTS="3")) as base, a2a_client(base) as client:
        extra = [Part(text=f"part {i}") for i in range(4)]
        with pytest.raises(InvalidParamsError, match="5 parts; the limit is 3"):
            await send(client, user_message("count: a", *extra))
        task, _ = await send(client, user_message("count: a b", Part(text="c")))
    assert state(task) == "completed"


async def test_a_caller_over_its_goal_limit_is_rejected_and_others_go_on(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    goal = plan_part({"id": "s", "skill": "slow_echo", "brief": "take your time"})
    with agent_process(scripted(port, delay=1.0), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_MAX_GOALS_PER_CALLER="1")
        async with served(build) as orch, a2a_client(orch, streaming=False) as client:
            first = SendMessageRequest(
                message=user_message("go", goal), configuration=SendMessageConfiguration(return_immediately=True)
            )
            (started,) = [e async for e in client.send_message(first)]
            await until(lambda: len(seen(port)) == 1)  # the first goal is running on the worker, so it counts
            refused, _ = await send(client, user_message("go", goal))
            assert state(refused) == "rejected" and "the limit is 1" in status_text(refused)

            async def first_done() -> bool:
                return state(await client.get_task(GetTaskRequest(id=started.task.id))) == "completed"

            await until_async(first_done, timeout=15)
            later, _ = await send(client, user_message("go", goal))  # a slot is free again
        records = seen(port)
    assert started.task.id != later.id and state(later) == "completed", status_text(later)
    assert len(records) == 2  # the refused goal reached no worker


async def test_a_worker_output_over_the_limit_fails_the_subtask_and_is_canceled(tmp_path: Path) -> None:
    (port,) = free_ports(1)
    with agent_process(scripted(port), port):
        build = orchestrator_app(tmp_path, [url(port)], SWITCHBOARD_MAX_OUTPUT_BYTES="1024")
        async with served(build) as orch, a2a_client(orch) as client:
            big = plan_part({"id": "s", "skill": "slow_echo", "brief": "y" * 3000})
            task, _ = await send(client, user_message("go", big))
            small, _ = await send(
                client, user_message("go", plan_part({"id": "s", "skill": "slow_echo", "brief": "ok"}))
            )
    assert state(task) == "failed" and "exceeds 1024 bytes" in status_text(task), status_text(task)
    manifest = manifest_of(task)
    assert manifest is not None and "exceeds 1024 bytes" in manifest["subtasks"][0]["attempts"][0]["reason"]
    assert "y" * 1500 not in artifact_text(task)  # the oversized output is not relayed whole
    assert state(small) == "completed"
