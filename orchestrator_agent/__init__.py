"""The Switchboard orchestrator: plans a goal into subtasks, dispatches them to workers over A2A, merges."""

import os

# As in `agents`: the a2a-sdk's OpenTelemetry wrappers stay off unless the user set the variable themselves; this
# runs before the orchestrator process first imports `a2a` (the SDK reads it once, at import).
os.environ.setdefault("OTEL_INSTRUMENTATION_A2A_SDK_ENABLED", "false")
