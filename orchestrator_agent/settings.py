"""Settings of the orchestrator process, read once from the environment; every problem reported together."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.host.errors import ConfigurationError
from agents.host.settings import SERVER_MODEL_ENV, ModelSettings, ServerSettings, describe_errors, env_sections

from .budget import DEFAULT_PRICES, Budget, Price


class OrchestratorSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    server: ServerSettings = ServerSettings(port=8000)
    model: ModelSettings = ModelSettings()
    agents: tuple[str, ...] = ()  # worker base URLs
    agents_file: Path | None = None  # one URL per line, '#' comments
    admin_token: str | None = Field(default=None, repr=False)  # enables POST/DELETE /admin/agents
    agent_tokens: str | None = Field(default=None, repr=False)  # `<worker URL>=<token>,...` (see credentials)
    # discovery
    card_timeout: float = Field(default=3.0, gt=0)
    allow_link_local: bool = False  # workers at link-local/metadata addresses (refused by default)
    refresh_interval: float = Field(default=15.0, gt=0)
    unhealthy_after: int = Field(default=2, ge=1)
    # scheduling
    max_goals: int = Field(default=64, ge=1, le=100_000)  # goals working at once; more wait for a slot
    max_goals_per_caller: int = Field(default=256, ge=1, le=100_000)  # running or queued, per caller
    max_output_bytes: int = Field(default=8_000_000, ge=1024)  # a worker's artifacts for one subtask
    max_concurrency: int = Field(default=16, ge=1, le=1024)
    subtask_timeout: float = Field(default=120.0, gt=0)
    goal_deadline: float = Field(default=600.0, gt=0)
    max_attempts: int = Field(default=3, ge=1, le=10)  # candidates tried per subtask
    retries: int = Field(default=1, ge=0, le=5)  # retries on one worker for transient errors
    retry_backoff: float = Field(default=0.2, ge=0)
    connect_timeout: float = Field(default=3.0, gt=0)
    reattach_window: float = Field(default=15.0, ge=0)  # re-attaching to a worker task after its stream broke
    shutdown_grace: float = Field(default=10.0, ge=0)  # SIGTERM: how long running subtasks may finish
    # cluster mode: replicas share goals through the database (see cluster.py)
    cluster: bool = False
    cluster_lease: float = Field(default=10.0, gt=0)  # a replica silent this long is dead: its goals move
    replica_id: str = Field(default="", max_length=64)  # stable id (e.g. the pod name); random if empty
    # planning
    max_subtasks: int = Field(default=12, ge=1, le=100)
    plan_retries: int = Field(default=2, ge=0, le=5)
    max_depth: int = Field(default=3, ge=1, le=10)
    # cost and budget (see budget.py): prices add to or replace the built-in estimates; budgets are off by default
    prices: dict[str, Price] = Field(default_factory=dict)
    budget_tokens: int | None = Field(default=None, ge=1)
    budget_cost_usd: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    budget_subtasks: int | None = Field(default=None, ge=1)

    @field_validator("prices", mode="before")
    @classmethod
    def _parse_prices(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else {}
            except json.JSONDecodeError as exc:
                raise ValueError(f"not JSON ({exc.msg}); expected {{model: {{input, output, ...}}}}") from None
        return value

    def price_table(self) -> dict[str, Price]:
        """The built-in estimates, with SWITCHBOARD_PRICES entries added or replacing them."""
        return {**DEFAULT_PRICES, **self.prices}

    def budget(self) -> Budget:
        return Budget(tokens=self.budget_tokens, cost_usd=self.budget_cost_usd, subtasks=self.budget_subtasks)

    @field_validator("agents", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(u.strip().rstrip("/") for u in value.split(",") if u.strip())
        return value

    def initial_agents(self) -> list[str]:
        """Worker URLs from SWITCHBOARD_AGENTS and the agents file, deduplicated, in order."""
        urls = list(self.agents) + [url for url, _ in self._agents_file_lines()]
        return list(dict.fromkeys(urls))

    def agent_token_entries(self) -> str:
        """Per-worker tokens, `url=token,...`: SWITCHBOARD_AGENT_TOKENS, then agents-file lines `<url> <token>`."""
        entries = [self.agent_tokens or ""] + [f"{url}={token}" for url, token in self._agents_file_lines() if token]
        return ",".join(e for e in entries if e)

    def _agents_file_lines(self) -> list[tuple[str, str]]:
        """(url, token or '') per line of the agents file; `#` starts a comment."""
        if self.agents_file is None or not self.agents_file.exists():
            return []
        lines = []
        for line in self.agents_file.read_text(encoding="utf-8").splitlines():
            fields = line.split("#", 1)[0].split()
            if fields:
                lines.append((fields[0].rstrip("/"), fields[1] if len(fields) > 1 else ""))
        return lines


_ENV = {
    **SERVER_MODEL_ENV,
    "SWITCHBOARD_AGENTS": ("", "agents"),
    "SWITCHBOARD_AGENTS_FILE": ("", "agents_file"),
    "SWITCHBOARD_ADMIN_TOKEN": ("", "admin_token"),
    "SWITCHBOARD_AGENT_TOKENS": ("", "agent_tokens"),
    "SWITCHBOARD_CARD_TIMEOUT": ("", "card_timeout"),
    "SWITCHBOARD_ALLOW_LINK_LOCAL": ("", "allow_link_local"),
    "SWITCHBOARD_REFRESH_INTERVAL": ("", "refresh_interval"),
    "SWITCHBOARD_UNHEALTHY_AFTER": ("", "unhealthy_after"),
    "SWITCHBOARD_MAX_GOALS": ("", "max_goals"),
    "SWITCHBOARD_MAX_GOALS_PER_CALLER": ("", "max_goals_per_caller"),
    "SWITCHBOARD_MAX_OUTPUT_BYTES": ("", "max_output_bytes"),
    "SWITCHBOARD_MAX_CONCURRENCY": ("", "max_concurrency"),
    "SWITCHBOARD_SUBTASK_TIMEOUT": ("", "subtask_timeout"),
    "SWITCHBOARD_GOAL_DEADLINE": ("", "goal_deadline"),
    "SWITCHBOARD_MAX_ATTEMPTS": ("", "max_attempts"),
    "SWITCHBOARD_RETRIES": ("", "retries"),
    "SWITCHBOARD_RETRY_BACKOFF": ("", "retry_backoff"),
    "SWITCHBOARD_CONNECT_TIMEOUT": ("", "connect_timeout"),
    "SWITCHBOARD_REATTACH_WINDOW": ("", "reattach_window"),
    "SWITCHBOARD_SHUTDOWN_GRACE": ("", "shutdown_grace"),
    "SWITCHBOARD_CLUSTER": ("", "cluster"),
    "SWITCHBOARD_CLUSTER_LEASE": ("", "cluster_lease"),
    "SWITCHBOARD_REPLICA_ID": ("", "replica_id"),
    "SWITCHBOARD_MAX_SUBTASKS": ("", "max_subtasks"),
    "SWITCHBOARD_PLAN_RETRIES": ("", "plan_retries"),
    "SWITCHBOARD_MAX_DEPTH": ("", "max_depth"),
    "SWITCHBOARD_PRICES": ("", "prices"),
    "SWITCHBOARD_BUDGET_TOKENS": ("", "budget_tokens"),
    "SWITCHBOARD_BUDGET_COST_USD": ("", "budget_cost_usd"),
    "SWITCHBOARD_BUDGET_SUBTASKS": ("", "budget_subtasks"),
}

ENV_VARS = tuple(_ENV)


def load_settings(env: Mapping[str, str], overrides: Mapping[str, object] | None = None) -> OrchestratorSettings:
    raw = env_sections(env, _ENV)
    server = dict(raw.get("server", {}))  # type: ignore[call-overload]
    server.setdefault("port", 8000)
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key in ServerSettings.model_fields:
            server[key] = value
        else:
            raw[key] = value
    raw["server"] = server
    try:
        return OrchestratorSettings(**raw)
    except ValidationError as exc:
        raise ConfigurationError(describe_errors(exc, _ENV)) from None
