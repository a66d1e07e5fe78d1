"""Switchboard's own alembic migrations (version table `switchboard_alembic_version`); run by
`agents.host.migrate`, which also runs the SDK's chain. `env.py` serves the `alembic` command for authoring."""
