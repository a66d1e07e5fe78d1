"""One goal yields one connected OpenTelemetry trace across the orchestrator and its workers (real processes).

An in-test OTLP/HTTP collector receives what the processes' exporters send; a worker without tracing still
serves a traced orchestrator (the `traceparent` header is ignored) and exports nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.orchestration import plan_part, until, url
from tests.support.processes import agent_process, free_ports
from tests.support.servers import served

pytestmark = pytest.mark.timeout(40)


@dataclass(frozen=True)
class Span:
    service: str
    name: str
    trace_id: str
    span_id: str
    parent_id: str
    attributes: dict[str, str]


def collector(spans: list[Span]) -> Callable[[str], ASGIApp]:
    """An OTLP/HTTP trace receiver (protobuf bodies on POST /v1/traces) appending every span to `spans`."""

    async def traces(request: Request) -> Response:
        export = ExportTraceServiceRequest.FromString(await request.body())
        for resource_spans in export.resource_spans:
            resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for s in scope_spans.spans:
                    attributes = {a.key: a.value.string_value or str(a.value.int_value) for a in s.attributes}
                    spans.append(
                        Span(
                            resource["service.name"],
                            s.name,
                            s.trace_id.hex(),
                            s.span_id.hex(),
                            s.parent_span_id.hex(),
                            attributes,
                        )
                    )
        body = ExportTraceServiceResponse().SerializeToString()
        return Response(body, media_type="application/x-protobuf")

    return lambda _url: Starlette(routes=[Route("/v1/traces", traces, methods=["POST"])])


def _of_goal(spans: list[Span], goal_id: str) -> list[Span]:
    roots = [s for s in spans if s.name == "goal" and s.attributes.get("goal_id") == goal_id]
    return [s for s in spans if roots and s.trace_id == roots[0].trace_id]


async def test_one_goal_yields_one_connected_trace_and_untraced_workers_still_serve(tmp_path: Path) -> None:
    spans: list[Span] = []
    calc_port, text_port, orch_port = free_ports(3)
    async with served(collector(spans)) as endpoint:
        otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
        traced = {**otel, "SWITCHBOARD_TRACING": "otlp"}
        orch_env = {**traced, "SWITCHBOARD_AGENTS": f"{url(calc_port)},{url(text_port)}"}
        orch_args = ["-m", "orchestrator_agent", "--port", str(orch_port), "--data-dir", str(tmp_path / "o")]
        with (
            agent_process(
                ["-m", "agents.calculator", "--port", str(calc_port), "--data-dir", str(tmp_path / "c")],
                calc_port,
                env=traced,
            ),
            # tracing off (the default), though an exporter endpoint is set: it must export nothing
            agent_process(
                ["-m", "agents.text_analyst", "--port", str(text_port), "--data-dir", str(tmp_path / "t")],
                text_port,
                env=otel,
            ),
            agent_process(orch_args, orch_port, env=orch_env),
        ):
            async with a2a_client(url(orch_port)) as client:
                plan = plan_part(
                    {"id": "s1", "skill": "arithmetic", "brief": "What is 6 * 7?"},
                    {"id": "s2", "skill": "arithmetic", "brief": "What is 2 + 3?"},
                )
                goal, _ = await send(client, user_message("go", plan))
                assert state(goal) == "completed", status_text(goal)
                plain, _ = await send(
                    client,
                    user_message("go", plan_part({"id": "t1", "skill": "text_stats", "brief": "text_stats: a b c"})),
                )
                assert state(plain) == "completed", status_text(plain)

            def arrived() -> bool:
                names = [s.name for s in _of_goal(spans, goal.id)]
                return (
                    names.count("task") == 2
                    and any(n.startswith("tool ") for n in names)
                    and bool(_of_goal(spans, plain.id))
                )

            await until(arrived, timeout=15)
        # every process has stopped (and flushed): the untraced worker never exported a span
        assert not [s for s in spans if s.service == "text_analyst"]

    trace = _of_goal(spans, goal.id)
    by_id = {s.span_id: s for s in trace}
    assert len({s.trace_id for s in spans if s.attributes.get("goal_id") == goal.id}) == 1
    roots = [s for s in trace if not s.parent_id]
    assert [r.name for r in roots] == ["goal"], roots
    assert all(s.parent_id in by_id for s in trace if s.parent_id), "a span's parent is outside the trace"
    assert {s.service for s in trace} == {"orchestrator", "calculator"}
    names = {s.name for s in trace}
    assert {"goal", "plan", "subtask s1", "subtask s2", "dispatch calculator", "synthesis"} <= names, names
    assert {"task", "agent loop", "model call"} <= names and any(n.startswith("tool ") for n in names), names
    for task in (s for s in trace if s.name == "task"):
        parent = by_id[task.parent_id]
        assert parent.service == "orchestrator" and parent.name == "dispatch calculator", parent
        assert parent.attributes["remote_task_id"] == task.attributes["task_id"]
    # the untraced worker's subtask is still in the orchestrator's trace of that goal
    assert "dispatch text_analyst" in {s.name for s in _of_goal(spans, plain.id)}
