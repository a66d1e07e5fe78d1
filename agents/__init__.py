"""Switchboard's built-in worker agents: one package per worker, all run by `agents.runtime`."""

import os

# The a2a-sdk wraps every request-path method in an OpenTelemetry span unless this is "false", read once when
# `a2a` is first imported; the wrappers cost about a third of a bare server's throughput. Off unless the user
# set it (tracing is opt-in): this runs before any `a2a` import of every agent process.
os.environ.setdefault("OTEL_INSTRUMENTATION_A2A_SDK_ENABLED", "false")
