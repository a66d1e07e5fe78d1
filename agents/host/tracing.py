"""OpenTelemetry tracing: one trace per goal, across the orchestrator and every worker it dispatches to.

Off by default (`SWITCHBOARD_TRACING=off`): `span` then goes through the OpenTelemetry API's no-op tracer and
nothing is exported. `console` prints finished spans to stdout; `otlp` exports them over OTLP/HTTP to the
endpoint the exporter reads itself from `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
The SDK and exporter (the `tracing` extra) are imported only when tracing is on.

Propagation: the orchestrator's HTTP client injects the W3C `traceparent` header (`inject_headers`), and
every agent's app continues the caller's trace (`TraceContext` middleware). A caller without the header starts
a new trace; a worker without tracing ignores it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Literal

import httpx
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ConfigurationError

TracingMode = Literal["off", "console", "otlp"]

_state: dict[str, Any] = {"provider": None}


def enabled() -> bool:
    """True once `configure_tracing` installed a provider in this process."""
    return _state["provider"] is not None


def configure_tracing(service_name: str, mode: TracingMode) -> None:
    """Install a tracer provider for `service_name` exporting to `mode`; `off` does nothing. Idempotent."""
    if mode == "off" or enabled():
        return
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
    except ImportError:
        raise ConfigurationError(
            [f"SWITCHBOARD_TRACING={mode}: install the tracing extra (pip install 'a2a-switchboard[tracing]')"]
        ) from None
    exporter: SpanExporter
    if mode == "otlp":
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError:
            raise ConfigurationError(
                ["SWITCHBOARD_TRACING=otlp: install the tracing extra (pip install 'a2a-switchboard[tracing]')"]
            ) from None
        exporter = OTLPSpanExporter()
    else:
        exporter = ConsoleSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _state["provider"] = provider


def shutdown() -> None:
    """Flush and stop the exporter (in the app's lifespan); a no-op when tracing is off."""
    provider = _state["provider"]
    if provider is not None:
        provider.shutdown()
        _state["provider"] = None


@contextlib.contextmanager
def span(name: str, **attributes: str | int) -> Iterator[trace.Span]:
    """A span named `name`, current for the block, with `attributes` (empty values left out). Exceptions are
    recorded on it and re-raised. While tracing is off, one shared no-op span: OpenTelemetry's own no-op spans
    still cost ~1.4 KB each for as long as they are open (a subtask's spans, while it waits on its worker)."""
    if not enabled():
        yield trace.INVALID_SPAN
        return
    tracer = trace.get_tracer("switchboard")
    kept = {k: v for k, v in attributes.items() if v != ""}
    with tracer.start_as_current_span(name, attributes=kept) as current:
        yield current


async def inject_headers(request: httpx.Request) -> None:
    """httpx request hook: carry the current trace context in the request's W3C headers."""
    propagate.inject(request.headers)


class TraceContext:
    """ASGI middleware: continue the caller's trace (W3C `traceparent`) for the whole request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = otel_context.attach(propagate.extract(carrier))
        try:
            await self.app(scope, receive, send)
        finally:
            otel_context.detach(token)
