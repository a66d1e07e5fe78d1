"""Settings of the orchestrator and the workers: every variable read, every problem reported at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agents.host.errors import ConfigurationError
from agents.runtime.settings import load_worker_settings
from orchestrator_agent.settings import ENV_VARS, OrchestratorSettings, load_settings
from tests.support.processes import ROOT


def test_defaults_from_an_empty_environment() -> None:
    settings = load_settings({})
    assert settings.server.port == 8000 and settings.server.host == "127.0.0.1"
    assert settings.agents == () and settings.admin_token is None and not settings.model.uses_claude
    assert settings.initial_agents() == []


Read = Callable[[OrchestratorSettings], object]


@pytest.mark.parametrize(
    "var, value, read, expected",
    [
        ("SWITCHBOARD_HOST", "0.0.0.0", lambda s: s.server.host, "0.0.0.0"),
        ("SWITCHBOARD_PORT", "9100", lambda s: s.server.base_url(), "http://127.0.0.1:9100"),
        ("SWITCHBOARD_PUBLIC_URL", "https://sb.example/", lambda s: s.server.base_url(), "https://sb.example"),
        ("SWITCHBOARD_DATA_DIR", "/srv/sb", lambda s: s.server.store_url("o"), "sqlite+aiosqlite:////srv/sb/o.db"),
        (
            "SWITCHBOARD_DATABASE_URL",
            "postgresql+asyncpg://db/x",
            lambda s: s.server.store_url("o"),
            "postgresql+asyncpg://db/x",
        ),
        ("SWITCHBOARD_MODEL", "claude-test", lambda s: s.model.model, "claude-test"),
        ("ANTHROPIC_API_KEY", "k", lambda s: s.model.uses_claude, True),
        ("SWITCHBOARD_ADMIN_TOKEN", "secret", lambda s: s.admin_token, "secret"),
        ("SWITCHBOARD_CARD_TIMEOUT", "0.5", lambda s: s.card_timeout, 0.5),
        ("SWITCHBOARD_REFRESH_INTERVAL", "2.5", lambda s: s.refresh_interval, 2.5),
        ("SWITCHBOARD_UNHEALTHY_AFTER", "4", lambda s: s.unhealthy_after, 4),
        ("SWITCHBOARD_MAX_CONCURRENCY", "3", lambda s: s.max_concurrency, 3),
        ("SWITCHBOARD_SUBTASK_TIMEOUT", "9", lambda s: s.subtask_timeout, 9.0),
        ("SWITCHBOARD_GOAL_DEADLINE", "60", lambda s: s.goal_deadline, 60.0),
        ("SWITCHBOARD_MAX_ATTEMPTS", "5", lambda s: s.max_attempts, 5),
        ("SWITCHBOARD_RETRIES", "0", lambda s: s.retries, 0),
        ("SWITCHBOARD_RETRY_BACKOFF", "0", lambda s: s.retry_backoff, 0.0),
        ("SWITCHBOARD_CONNECT_TIMEOUT", "1.5", lambda s: s.connect_timeout, 1.5),
        ("SWITCHBOARD_MAX_SUBTASKS", "7", lambda s: s.max_subtasks, 7),
        ("SWITCHBOARD_PLAN_RETRIES", "1", lambda s: s.plan_retries, 1),
        ("SWITCHBOARD_MAX_DEPTH", "2", lambda s: s.max_depth, 2),
    ],
)
def test_each_variable_is_read(var: str, value: str, read: Read, expected: object) -> None:
    assert var in ENV_VARS
    assert read(load_settings({var: value})) == expected
    assert read(load_settings({})) != expected, "the case must differ from the default"


def test_every_documented_variable_is_in_the_table() -> None:
    documented = {"SWITCHBOARD_AGENTS", "SWITCHBOARD_AGENTS_FILE", "SWITCHBOARD_LOG_LEVEL", "SWITCHBOARD_CARDS_DIR"}
    assert documented <= set(ENV_VARS)
    assert all(v.startswith(("SWITCHBOARD_", "ANTHROPIC_")) for v in ENV_VARS)


def test_agents_are_split_on_commas_and_merged_with_the_agents_file(tmp_path: Path) -> None:
    agents_file = tmp_path / "agents.txt"
    agents_file.write_text(
        "# the workers of this network\n"
        "http://c:3/   # trailing comments and slashes go\n"
        "\n"
        "http://a:1\n"
        "   # an indented comment\n"
        "http://d:4\n",
        encoding="utf-8",
    )
    env = {"SWITCHBOARD_AGENTS": " http://a:1/, ,http://b:2 ,", "SWITCHBOARD_AGENTS_FILE": str(agents_file)}
    settings = load_settings(env)
    assert settings.agents == ("http://a:1", "http://b:2")
    assert settings.initial_agents() == ["http://a:1", "http://b:2", "http://c:3", "http://d:4"]


def test_overrides_win_over_the_environment() -> None:
    settings = load_settings(
        {"SWITCHBOARD_PORT": "9100", "SWITCHBOARD_AGENTS": "http://a:1"}, {"port": 9200, "host": None}
    )
    assert settings.server.port == 9200 and settings.agents == ("http://a:1",)


def test_bad_orchestrator_values_are_reported_together() -> None:
    env = {"SWITCHBOARD_PORT": "abc", "SWITCHBOARD_MAX_CONCURRENCY": "0", "SWITCHBOARD_CARD_TIMEOUT": "-1"}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(env)
    named = sorted(p.split(":", 1)[0] for p in caught.value.problems)
    assert named == ["SWITCHBOARD_CARD_TIMEOUT", "SWITCHBOARD_MAX_CONCURRENCY", "SWITCHBOARD_PORT"]
    assert "SWITCHBOARD_PORT" in caught.value.message and "SWITCHBOARD_MAX_CONCURRENCY" in caught.value.message


def test_worker_settings_read_their_variables() -> None:
    env = {"SWITCHBOARD_PORT": "9101", "SWITCHBOARD_MAX_STEPS": "4", "SWITCHBOARD_TOOL_TIMEOUT": "2.5"}
    settings = load_worker_settings("calculator", env, {"port": 9102, "host": None})
    assert (settings.name, settings.server.port, settings.max_steps, settings.tool_timeout) == (
        "calculator",
        9102,
        4,
        2.5,
    )
    assert settings.server.host == "127.0.0.1"


def test_bad_worker_values_are_reported_together() -> None:
    env = {"SWITCHBOARD_PORT": "abc", "SWITCHBOARD_MAX_STEPS": "0", "SWITCHBOARD_MAX_TOKENS": "lots"}
    with pytest.raises(ConfigurationError) as caught:
        load_worker_settings("writer", env)
    named = sorted(p.split(":", 1)[0] for p in caught.value.problems)
    assert named == ["SWITCHBOARD_MAX_STEPS", "SWITCHBOARD_MAX_TOKENS", "SWITCHBOARD_PORT"]


def test_the_orchestrator_process_exits_2_with_every_problem(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SWITCHBOARD_", "ANTHROPIC_"))},
        "PYTHONPATH": str(ROOT),
        "SWITCHBOARD_PORT": "abc",
        "SWITCHBOARD_MAX_CONCURRENCY": "0",
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "orchestrator_agent"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("orchestrator: invalid configuration:"), done.stderr
    assert "SWITCHBOARD_PORT" in done.stderr and "SWITCHBOARD_MAX_CONCURRENCY" in done.stderr
    assert "Traceback" not in done.stderr


def test_agents_file_lines_may_carry_the_workers_token(tmp_path: Path) -> None:
    agents_file = tmp_path / "agents.txt"
    agents_file.write_text("http://c:3/ token-for-c-0123456789  # its token\nhttp://d:4\n", encoding="utf-8")
    env = {"SWITCHBOARD_AGENT_TOKENS": "http://a:1=token-for-a", "SWITCHBOARD_AGENTS_FILE": str(agents_file)}
    settings = load_settings(env)
    assert settings.initial_agents() == ["http://c:3", "http://d:4"]
    assert settings.agent_token_entries() == "http://a:1=token-for-a,http://c:3=token-for-c-0123456789"
    assert "token-for" not in repr(settings)  # never in reprs, so never in logs
