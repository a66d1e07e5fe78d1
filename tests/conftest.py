import logging

import pytest

from tests.support.postgres import pg_url, postgres_server

__all__ = ["pg_url", "postgres_server"]  # fixtures: a real PostgreSQL server per session, a database per test


@pytest.fixture(autouse=True)
def _quiet_sdk_logs() -> None:
    logging.getLogger("a2a").setLevel(logging.WARNING)
