import logging
from pathlib import Path

import pytest

from tests.support.postgres import pg_url, postgres_server

__all__ = ["pg_url", "postgres_server"]  # fixtures: a real PostgreSQL server per session, a database per test


@pytest.fixture(autouse=True)
def _quiet_sdk_logs() -> None:
    logging.getLogger("a2a").setLevel(logging.WARNING)


# Tiers (README, "Tests"): `pytest -m "not slow"` is the edit loop; the README's command runs every test.
_BY_FOLDER = {
    "e2e": ("e2e",),
    "postgres": ("postgres",),
    "cluster": ("postgres",),
    "deploy": ("deploy",),
    "foreign": ("interop",),
    "evals": ("evals",),
    "conformance": ("e2e",),
}
_TIERS = frozenset({"e2e", "postgres", "browser", "deploy", "interop", "evals"})
_BY_FILE = {"test_dashboard.py": ("browser",), "test_foreign_js.py": ("interop",)}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs (real processes, PostgreSQL, a browser, several hosts, other stacks);
    every one of those is `slow`."""
    here = Path(__file__).parent
    for item in items:
        path = Path(str(item.path))
        folder = path.relative_to(here).parts[0] if path.is_relative_to(here) else ""
        names = set(_BY_FOLDER.get(folder, ())) | set(_BY_FILE.get(path.name, ()))
        if {"postgres_server", "pg_url"} & set(getattr(item, "fixturenames", ())):
            names.add("postgres")
        names |= {m.name for m in item.iter_markers() if m.name in _TIERS}  # marked in the test itself
        for name in sorted(names | ({"slow"} if names else set())):
            item.add_marker(getattr(pytest.mark, name))
