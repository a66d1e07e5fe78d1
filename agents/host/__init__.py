"""The A2A hosting layer every agent process runs on, the orchestrator included: serving a card and the
protocol's routes, the task store and its bookkeeping, migrations, auth, limits, logs, tracing, the HTTP pool,
file fetching, settings, errors and the wire conventions. It imports neither the orchestrator nor any worker
(`tests/test_imports.py` reads the imports to hold that)."""
