"""Conformance on the wire, with raw HTTP (no SDK client to smooth things over): `A2A-Version` negotiation,
every error our agents can produce with its JSON-RPC code and HTTP+JSON status, and the card's caching headers.
Both agents (orchestrator and worker), both bindings. See docs/conformance.md for the spec sections."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from a2a.types import AgentCard, Part
from google.protobuf.json_format import MessageToDict, ParseDict

from agents.host.serving import JSONRPC_PATH, REST_PATH
from tests.conformance.conftest import Target

CARD = "/.well-known/agent-card.json"
V1 = {"A2A-Version": "1.0"}


class Raw:
    """One A2A method over either binding; `call` returns (HTTP status, A2A error or None, result body)."""

    def __init__(self, http: httpx.AsyncClient, base: str, binding: str) -> None:
        self.http, self.base, self.binding = http, base, binding

    async def call(
        self, method: str, params: dict[str, Any], headers: dict[str, str] | None = None
    ) -> tuple[int, str | int | None, Any]:
        headers = V1 if headers is None else headers
        if self.binding == "jsonrpc":
            body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
            response = await self.http.post(self.base + JSONRPC_PATH, json=body, headers=headers)
            payload = response.json()
            error = payload.get("error")
            return response.status_code, error["code"] if error else None, payload.get("result")
        verb, path, body = _rest(method, params)
        response = await self.http.request(verb, self.base + REST_PATH + path, json=body, headers=headers)
        if response.status_code >= 400:
            details = response.json()["error"].get("details") or [{}]
            return response.status_code, details[0].get("reason"), None
        return response.status_code, None, response.json()


def _rest(method: str, p: dict[str, Any]) -> tuple[str, str, Any]:
    push = f"/tasks/{p.get('taskId')}/pushNotificationConfigs"
    return {
        "SendMessage": ("POST", "/message:send", p),
        "GetTask": ("GET", f"/tasks/{p.get('id')}", None),
        "CancelTask": ("POST", f"/tasks/{p.get('id')}:cancel", {}),
        "SubscribeToTask": ("POST", f"/tasks/{p.get('id')}:subscribe", {}),
        "CreateTaskPushNotificationConfig": ("POST", push, p),
        "GetTaskPushNotificationConfig": ("GET", f"{push}/{p.get('id')}", None),
        "ListTaskPushNotificationConfigs": ("GET", push, None),
        "DeleteTaskPushNotificationConfig": ("DELETE", f"{push}/{p.get('id')}", None),
        "GetExtendedAgentCard": ("GET", "/extendedAgentCard", None),
    }[method]


# the A2A error as each binding reports it: JSON-RPC error code (HTTP 200), HTTP status + ErrorInfo reason
ERRORS = {
    "TaskNotFound": (-32001, 404, "TASK_NOT_FOUND"),
    "TaskNotCancelable": (-32002, 400, "TASK_NOT_CANCELABLE"),
    "PushNotificationNotSupported": (-32003, 400, "PUSH_NOTIFICATION_NOT_SUPPORTED"),
    "UnsupportedOperation": (-32004, 400, "UNSUPPORTED_OPERATION"),
    "ContentTypeNotSupported": (-32005, 400, "CONTENT_TYPE_NOT_SUPPORTED"),
    "VersionNotSupported": (-32009, 400, "VERSION_NOT_SUPPORTED"),
    "InvalidParams": (-32602, 400, "INVALID_PARAMS"),
}


def expect(binding: str, outcome: tuple[int, str | int | None, Any], error: str) -> None:
    code, status, reason = ERRORS[error]
    assert outcome[:2] == ((200, code) if binding == "jsonrpc" else (status, reason)), (error, outcome)


def as_json(message: Any) -> dict[str, Any]:
    return {"message": MessageToDict(message)}


@pytest.fixture
async def raw(target: Target, binding: str) -> Any:
    async with httpx.AsyncClient(timeout=30) as http:
        yield Raw(http, target.base, binding)


async def _completed_task_id(raw: Raw, target: Target) -> str:
    status, error, result = await raw.call("SendMessage", as_json(target.message("done")))
    assert error is None, (status, error)
    task = result["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED", task["status"]
    return str(task["id"])


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.9"])
async def test_a2a_version_1_x_is_accepted(raw: Raw, binding: str, version: str) -> None:
    # a 1.x header passes negotiation: the request then fails only because the task does not exist
    expect(binding, await raw.call("GetTask", {"id": "no-such-task"}, {"A2A-Version": version}), "TaskNotFound")


@pytest.mark.parametrize("headers", [{}, {"A2A-Version": ""}, {"A2A-Version": "0.3"}, {"A2A-Version": "2.0"}])
async def test_a_missing_or_unsupported_a2a_version_is_refused(raw: Raw, binding: str, headers: dict[str, str]) -> None:
    outcome = await raw.call("GetTask", {"id": "no-such-task"}, headers)
    expect(binding, outcome, "VersionNotSupported")


async def test_a2a_version_may_come_as_a_query_parameter(raw: Raw, target: Target, binding: str) -> None:
    # spec §3.6.1; a2a-sdk reads only the header, our VersionQueryParameter middleware fills the gap
    done = await _completed_task_id(raw, target)
    if binding == "jsonrpc":
        body = {"jsonrpc": "2.0", "id": 1, "method": "GetTask", "params": {"id": done}}
        response = await raw.http.post(raw.base + JSONRPC_PATH, params={"A2A-Version": "1.0"}, json=body)
        assert response.json()["result"]["id"] == done
    else:
        response = await raw.http.get(
            f"{raw.base}{REST_PATH}/tasks/{done}", params={"A2A-Version": "1.0", "historyLength": "1"}
        )
        assert response.status_code == 200 and len(response.json()["history"]) == 1
    refused = await raw.http.get(f"{raw.base}{REST_PATH}/tasks/{done}", params={"A2A-Version": "2.0"})
    assert refused.status_code == 400


async def test_errors_on_unknown_and_terminal_tasks(raw: Raw, target: Target, binding: str) -> None:
    expect(binding, await raw.call("GetTask", {"id": "no-such-task"}), "TaskNotFound")
    expect(binding, await raw.call("CancelTask", {"id": "no-such-task"}), "TaskNotFound")
    done = await _completed_task_id(raw, target)
    expect(binding, await raw.call("CancelTask", {"id": done}), "TaskNotCancelable")
    expect(binding, await raw.call("SubscribeToTask", {"id": done}), "UnsupportedOperation")
    follow_up = as_json(target.message("done", task_id=done))
    expect(binding, await raw.call("SendMessage", follow_up), "UnsupportedOperation")


async def test_request_validation_errors(raw: Raw, target: Target, binding: str) -> None:
    unknown_media = target.message("done")
    unknown_media.parts.append(Part(raw=b"\x00\x01", media_type="application/x-unknown"))
    expect(binding, await raw.call("SendMessage", as_json(unknown_media)), "ContentTypeNotSupported")
    expect(binding, await raw.call("SendMessage", {"message": {"role": "ROLE_USER"}}), "InvalidParams")


async def test_push_config_methods_follow_the_card(raw: Raw, target: Target, binding: str) -> None:
    calls = [
        ("CreateTaskPushNotificationConfig", {"taskId": "no-such-task", "url": "http://127.0.0.1:9/hook"}),
        ("GetTaskPushNotificationConfig", {"taskId": "no-such-task", "id": "c1"}),
        ("ListTaskPushNotificationConfigs", {"taskId": "no-such-task"}),
        ("DeleteTaskPushNotificationConfig", {"taskId": "no-such-task", "id": "c1"}),
    ]
    for method, params in calls:
        # push:true (orchestrator): the method exists and reports the unknown task; push:false: not supported
        expect(
            binding, await raw.call(method, params), "TaskNotFound" if target.push else "PushNotificationNotSupported"
        )


async def test_the_extended_card_is_refused_as_the_card_advertises(raw: Raw, binding: str) -> None:
    card = ParseDict((await raw.http.get(raw.base + CARD)).json(), AgentCard(), ignore_unknown_fields=True)
    assert not card.capabilities.extended_agent_card
    expect(binding, await raw.call("GetExtendedAgentCard", {}), "UnsupportedOperation")


async def test_protocol_level_errors(raw: Raw, binding: str) -> None:
    if binding == "jsonrpc":
        endpoint = raw.base + JSONRPC_PATH
        unknown = await raw.http.post(
            endpoint, json={"jsonrpc": "2.0", "id": 1, "method": "Nope", "params": {}}, headers=V1
        )
        garbled = await raw.http.post(
            endpoint, content=b"{not json", headers={**V1, "Content-Type": "application/json"}
        )
        not_rpc = await raw.http.post(endpoint, json={"id": 1, "method": "GetTask"}, headers=V1)
        assert unknown.json()["error"]["code"] == -32601
        assert garbled.json()["error"]["code"] == -32700 and garbled.json()["id"] is None
        assert not_rpc.json()["error"]["code"] == -32600
        return
    unknown = await raw.http.get(raw.base + REST_PATH + "/no/such/route", headers=V1)
    garbled = await raw.http.post(
        raw.base + REST_PATH + "/message:send", content=b"{not json", headers={**V1, "Content-Type": "application/json"}
    )
    assert unknown.status_code == 404
    assert garbled.status_code == 400 and garbled.json()["error"]["status"] == "INVALID_ARGUMENT"


async def test_responses_carry_the_bindings_media_type(raw: Raw, target: Target, binding: str) -> None:
    done = await _completed_task_id(raw, target)
    if binding == "jsonrpc":
        body = {"jsonrpc": "2.0", "id": 7, "method": "GetTask", "params": {"id": done}}
        response = await raw.http.post(raw.base + JSONRPC_PATH, json=body, headers=V1)
        assert response.headers["content-type"].startswith("application/json")
        assert json.loads(response.content)["result"]["id"] == done
        return
    response = await raw.http.get(f"{raw.base}{REST_PATH}/tasks/{done}", headers=V1)
    assert response.headers["content-type"].startswith("application/a2a+json")
    assert json.loads(response.content)["id"] == done


async def test_the_card_is_cacheable(target: Target) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        first = await http.get(target.base + CARD)
        again = await http.get(target.base + CARD, headers={"If-None-Match": first.headers["etag"]})
        stale = await http.get(target.base + CARD, headers={"If-None-Match": 'W/"something-else"'})
    assert first.status_code == 200 and "max-age=" in first.headers["cache-control"]
    assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"] and not again.content
    assert stale.status_code == 200
    card = ParseDict(first.json(), AgentCard(), ignore_unknown_fields=True)
    assert card.capabilities.streaming and card.capabilities.push_notifications == target.push
    assert {(i.protocol_binding, i.protocol_version) for i in card.supported_interfaces} == {
        ("JSONRPC", "1.0"),
        ("HTTP+JSON", "1.0"),
    }
