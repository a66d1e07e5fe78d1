"""Authentication between agents, driven from outside over real sockets: every method refuses a request without
a valid token (HTTP 401, the binding's error shape, nothing done), the card stays public and declares the
schemes, tasks are scoped to their caller, and the orchestrator sends each worker only that worker's token."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from a2a.types import CancelTaskRequest, GetTaskRequest, ListTasksRequest, SubscribeToTaskRequest
from a2a.utils.errors import TaskNotFoundError
from starlette.applications import Starlette
from starlette.types import ASGIApp, Receive, Scope, Send

from agents.host.errors import ConfigurationError
from agents.registry import WORKERS, worker_spec
from agents.runtime.bootstrap import build_worker_app
from agents.runtime.settings import load_worker_settings
from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.orchestration import orchestrator_app, plan_part
from tests.support.servers import served
from tests.support.toy import SPEC

pytestmark = pytest.mark.timeout(60)

CARDS = Path(__file__).parents[1] / "support" / "cards"
ALICE, BOB = "alice-token-0123456789", "bob-token-0123456789ab"
TOKENS = f"alice:{ALICE},bob:{BOB}"
VERSION = {"A2A-Version": "1.0"}
JSONRPC_METHODS = [
    "SendMessage",
    "SendStreamingMessage",
    "GetTask",
    "ListTasks",
    "CancelTask",
    "SubscribeToTask",
    "CreateTaskPushNotificationConfig",
    "GetTaskPushNotificationConfig",
    "ListTaskPushNotificationConfigs",
    "DeleteTaskPushNotificationConfig",
    "GetExtendedAgentCard",
]
REST_CALLS = [
    ("POST", "/message:send"),
    ("POST", "/message:stream"),
    ("GET", "/tasks/t1"),
    ("GET", "/tasks"),
    ("POST", "/tasks/t1:cancel"),
    ("GET", "/tasks/t1:subscribe"),
    ("POST", "/tasks/t1:subscribe"),
    ("POST", "/tasks/t1/pushNotificationConfigs"),
    ("GET", "/tasks/t1/pushNotificationConfigs"),
    ("GET", "/tasks/t1/pushNotificationConfigs/p1"),
    ("DELETE", "/tasks/t1/pushNotificationConfigs/p1"),
    ("GET", "/extendedAgentCard"),
]
ADMIN = "admin-token-0123456789"


class HeaderLog:
    """ASGI middleware recording the Authorization header of every request an app receives."""

    def __init__(self, app: ASGIApp, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            self.seen.append(headers.get(b"authorization", b"").decode())
        await self.app(scope, receive, send)


def toy(tmp_path: Path, tokens: str | None = TOKENS, seen: list[str] | None = None) -> Callable[[str], ASGIApp]:
    def build(url: str) -> ASGIApp:
        env = {"SWITCHBOARD_AUTH_TOKENS": tokens} if tokens else {}
        settings = load_worker_settings(
            "toy", env, {"public_url": url, "data_dir": str(tmp_path), "cards_dir": str(CARDS)}
        )
        app: Starlette = build_worker_app(SPEC, settings)
        return HeaderLog(app, seen) if seen is not None else app

    return build


MESSAGE = {"message": {"messageId": "m1", "role": "ROLE_USER", "parts": [{"text": "count: would run if let in"}]}}


def _rpc(method: str) -> dict[str, object]:
    """A well-formed call (a real message for the send methods): only the missing credential is wrong."""
    params = MESSAGE if "Message" in method else {"id": "t1"}
    return {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}


SERVERS = ["toy", *WORKERS, "orchestrator"]


def server(name: str, tmp_path: Path, tokens: str = TOKENS) -> Callable[[str], ASGIApp]:
    """Any of our servers, in process, requiring `tokens`: the toy worker, a built-in worker, the orchestrator."""
    if name == "toy":
        return toy(tmp_path, tokens)
    if name == "orchestrator":
        return orchestrator_app(tmp_path, [], SWITCHBOARD_AUTH_TOKENS=tokens, SWITCHBOARD_ADMIN_TOKEN=ADMIN)

    def build(url: str) -> ASGIApp:
        env = {"SWITCHBOARD_AUTH_TOKENS": tokens}
        app: Starlette = build_worker_app(
            worker_spec(name), load_worker_settings(name, env, {"public_url": url, "data_dir": str(tmp_path)})
        )
        return app

    return build


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"}, {"X-API-Key": "nope"}])
@pytest.mark.parametrize("name", SERVERS)
async def test_every_method_of_every_server_refuses_a_request_without_a_valid_token(
    tmp_path: Path, name: str, headers: dict[str, str]
) -> None:
    async with (
        served(server(name, tmp_path)) as url,
        httpx.AsyncClient(base_url=url, headers=VERSION | headers) as http,
    ):
        for method in JSONRPC_METHODS:
            reply = await http.post("/a2a/jsonrpc", json=_rpc(method))
            assert reply.status_code == 401, method
            assert reply.headers["www-authenticate"].startswith("Bearer")
            assert reply.json()["error"]["message"].startswith("Unauthenticated"), method
        for verb, path in REST_CALLS:
            reply = await http.request(verb, "/a2a/rest" + path, json=MESSAGE if "message" in path else None)
            assert reply.status_code == 401 and reply.json()["error"]["status"] == "UNAUTHENTICATED", path
        if name == "orchestrator":  # its own HTTP API: the roster needs a caller's token, the admin API its own
            assert (await http.get("/agents")).status_code == 401
            added = await http.post("/admin/agents", json={"url": "http://127.0.0.1:1"}, headers=headers)
            assert added.status_code == 401, added.text
        card = await http.get("/.well-known/agent-card.json")
        async with a2a_client(url, headers={"Authorization": f"Bearer {ALICE}"}) as client:
            created = (await client.list_tasks(ListTasksRequest())).tasks
            if name == "orchestrator":
                roster = (await http.get("/agents", headers={"Authorization": f"Bearer {ALICE}"})).json()["agents"]
    assert card.status_code == 200  # the card stays public, and says how to authenticate
    assert set(card.json()["securitySchemes"]) == {"bearer", "apiKey"}
    assert card.json()["securityRequirements"]
    assert created == []  # the refused calls did nothing
    if name == "orchestrator":
        assert roster == []  # nor did the refused admin call add an agent


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
async def test_a_valid_token_works_and_tasks_are_scoped_to_their_caller(tmp_path: Path, header: str) -> None:
    def creds(token: str) -> dict[str, str]:
        return {header: f"Bearer {token}" if header == "Authorization" else token}

    async with (
        served(toy(tmp_path)) as url,
        a2a_client(url, headers=creds(ALICE)) as alice,
        a2a_client(url, headers=creds(BOB)) as bob,
    ):
        task, _ = await send(alice, user_message("count: one two three"))
        assert state(task) == "completed", status_text(task)
        assert (await alice.get_task(GetTaskRequest(id=task.id))).id == task.id
        with pytest.raises(TaskNotFoundError):
            await bob.get_task(GetTaskRequest(id=task.id))
        with pytest.raises(TaskNotFoundError):
            await bob.cancel_task(CancelTaskRequest(id=task.id))
        assert (await bob.list_tasks(ListTasksRequest())).tasks == []
        assert [t.id for t in (await alice.list_tasks(ListTasksRequest())).tasks] == [task.id]


async def test_goals_on_the_orchestrator_are_scoped_to_their_caller(tmp_path: Path) -> None:
    async with served(toy(tmp_path / "w", None)) as worker:
        build = orchestrator_app(tmp_path / "o", [worker], SWITCHBOARD_AUTH_TOKENS=TOKENS)
        async with (
            served(build) as orch,
            a2a_client(orch, headers={"Authorization": f"Bearer {ALICE}"}) as alice,
            a2a_client(orch, headers={"X-API-Key": BOB}) as bob,
        ):
            goal, _ = await send(
                alice, user_message("go", plan_part({"id": "a", "skill": "count", "brief": "count: a b"}))
            )
            for call in (
                bob.get_task(GetTaskRequest(id=goal.id)),
                bob.cancel_task(CancelTaskRequest(id=goal.id)),
                anext(aiter(bob.subscribe(SubscribeToTaskRequest(id=goal.id)))),
                send(bob, user_message("and now for me", task_id=goal.id, context_id=goal.context_id)),
            ):
                with pytest.raises(TaskNotFoundError):
                    await call
            assert (await bob.list_tasks(ListTasksRequest())).tasks == []
            after = await alice.get_task(GetTaskRequest(id=goal.id))
    assert state(goal) == "completed", status_text(goal)
    assert after.status == goal.status and list(after.artifacts) == list(goal.artifacts)  # untouched by bob


@pytest.mark.parametrize(
    ("tokens", "problem"),
    [("alice", "not caller:token"), ("alice:short", "shorter than 16"), (f"a:{ALICE},b:{ALICE}", "its own")],
)
def test_bad_token_settings_fail_at_start_with_the_reason(tmp_path: Path, tokens: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=problem):
        toy(tmp_path, tokens)("http://127.0.0.1:1")


async def test_the_orchestrator_sends_each_worker_only_its_own_token(tmp_path: Path) -> None:
    first_seen: list[str] = []
    second_seen: list[str] = []
    first_token, second_token = f"orch:{uuid.uuid4()}", f"orch:{uuid.uuid4()}"
    async with (
        served(toy(tmp_path / "w1", first_token, first_seen)) as first,
        served(toy(tmp_path / "w2", second_token, second_seen)) as second,
    ):
        agent_tokens = f"{first}={first_token.split(':', 1)[1]},{second}={second_token.split(':', 1)[1]}"
        build = orchestrator_app(tmp_path / "o", [first, second], SWITCHBOARD_AGENT_TOKENS=agent_tokens)
        async with served(build) as orch, a2a_client(orch) as client:
            plan = plan_part(
                {"id": "a", "skill": "count", "brief": "count: a b"}, {"id": "b", "skill": "count", "brief": "count: c"}
            )
            task, _ = await send(client, user_message("go", plan))
        # without its token the orchestrator is refused, clearly
        build_without = orchestrator_app(tmp_path / "o2", [first])
        async with served(build_without) as orch, a2a_client(orch) as client:
            refused, _ = await send(client, user_message("go", plan_part({"id": "a", "skill": "count", "brief": "x"})))
    assert state(task) == "completed", status_text(task)
    assert first_seen and second_seen
    assert set(first_seen) <= {"", f"Bearer {first_token.split(':', 1)[1]}"}
    assert set(second_seen) <= {"", f"Bearer {second_token.split(':', 1)[1]}"}
    assert f"Bearer {first_token.split(':', 1)[1]}" in first_seen
    assert state(refused) == "failed" and "401" in status_text(refused)


async def test_the_roster_is_on_the_extended_card_only_and_a_parent_with_the_token_sees_it(tmp_path: Path) -> None:
    child_token = "parent-token-0123456789"
    async with served(toy(tmp_path / "w", None)) as worker:
        child_build = orchestrator_app(tmp_path / "child", [worker], SWITCHBOARD_AUTH_TOKENS=f"parent:{child_token}")
        async with served(child_build) as child:
            async with httpx.AsyncClient(base_url=child, headers=VERSION) as http:
                public = (await http.get("/.well-known/agent-card.json")).json()
                refused = await http.post("/a2a/jsonrpc", json=_rpc("GetExtendedAgentCard"))
            parent_build = orchestrator_app(
                tmp_path / "parent", [child], SWITCHBOARD_AGENT_TOKENS=f"{child}={child_token}"
            )
            async with served(parent_build) as parent, httpx.AsyncClient(base_url=parent) as http:
                roster = (await http.get("/agents")).json()["agents"]
    public_skills = {s["id"] for s in public["skills"]}
    assert "count" not in public_skills and public["capabilities"]["extendedAgentCard"] is True
    assert refused.status_code == 401
    (child_entry,) = roster
    assert "count" in {s["id"] for s in child_entry["skills"]}  # the parent sees the child's roster
