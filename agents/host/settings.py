"""Settings every agent process shares (the orchestrator included): the server, its store, and the model.

Every variable is prefixed `SWITCHBOARD_`, except the anthropic SDK's own `ANTHROPIC_API_KEY` and
`ANTHROPIC_BASE_URL`. `env_sections` and `describe_errors` turn an environment and a validation error into
settings sections and one line per problem, for each process's own loader.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ModelSettings(BaseModel):
    """Which model an agent uses: Claude when an API key is set, else the offline policy."""

    model_config = ConfigDict(frozen=True)

    anthropic_api_key: str | None = Field(default=None, repr=False)
    anthropic_base_url: str | None = None
    model: str = "claude-sonnet-5"
    max_tokens: int = Field(default=4096, ge=16, le=64_000)
    max_retries: int = Field(default=3, ge=0, le=10)
    request_timeout: float = Field(default=120.0, gt=0)

    @property
    def uses_claude(self) -> bool:
        return bool(self.anthropic_api_key)


class ServerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=0, le=65535)
    public_url: str | None = None  # what the card advertises; defaults to http://host:port
    data_dir: Path = Path(".data")
    database_url: str | None = Field(default=None, repr=False)  # may hold a password; SQLite under data_dir if unset
    # schema at start-up: "auto" upgrades it (under PostgreSQL's advisory lock), "check" refuses to start unless it
    # is at head; unset: auto for SQLite (the embedded default), check for any other database
    migrate: Literal["auto", "check"] | None = None
    cards_dir: Path | None = None  # defaults to the repository's agent_cards/
    log_level: str = "info"
    log_format: Literal["auto", "json", "text"] = "auto"  # auto: JSON unless stderr is a terminal
    # also serve A2A protocol 0.3 (the SDK's compat routes + 0.3 interfaces in the card) for callers that
    # have not moved to 1.0; off by default because 1.0 is what the card promises
    serve_v03: bool = False
    max_request_bytes: int = Field(default=10_000_000, ge=1024)  # larger request bodies get HTTP 413
    max_parts: int = Field(default=64, ge=1, le=10_000)  # parts in one message
    # `caller:token,...`: when set, every request but the card must carry one of the tokens (see `auth`)
    auth_tokens: str | None = Field(default=None, repr=False)
    # OpenTelemetry spans (see `tracing`): off, printed to stdout, or exported over OTLP/HTTP to the endpoint
    # in OTEL_EXPORTER_OTLP_ENDPOINT
    tracing: Literal["off", "console", "otlp"] = "off"

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    def migrate_at_start(self) -> bool | None:
        """True: upgrade the schema at start-up; False: only check it; None: by database (see `migrate`)."""
        return None if self.migrate is None else self.migrate == "auto"

    def store_url(self, name: str) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / (name + '.db')}"


# variable name -> (section, field); shared by every agent process
SERVER_MODEL_ENV = {
    "SWITCHBOARD_HOST": ("server", "host"),
    "SWITCHBOARD_PORT": ("server", "port"),
    "SWITCHBOARD_PUBLIC_URL": ("server", "public_url"),
    "SWITCHBOARD_DATA_DIR": ("server", "data_dir"),
    "SWITCHBOARD_AUTH_TOKENS": ("server", "auth_tokens"),
    "SWITCHBOARD_MAX_REQUEST_BYTES": ("server", "max_request_bytes"),
    "SWITCHBOARD_MAX_PARTS": ("server", "max_parts"),
    "SWITCHBOARD_DATABASE_URL": ("server", "database_url"),
    "SWITCHBOARD_MIGRATE": ("server", "migrate"),
    "SWITCHBOARD_LOG_LEVEL": ("server", "log_level"),
    "SWITCHBOARD_LOG_FORMAT": ("server", "log_format"),
    "SWITCHBOARD_CARDS_DIR": ("server", "cards_dir"),
    "SWITCHBOARD_PROTOCOL_V03": ("server", "serve_v03"),
    "SWITCHBOARD_TRACING": ("server", "tracing"),
    "ANTHROPIC_API_KEY": ("model", "anthropic_api_key"),
    "ANTHROPIC_BASE_URL": ("model", "anthropic_base_url"),
    "SWITCHBOARD_MODEL": ("model", "model"),
    "SWITCHBOARD_MAX_TOKENS": ("model", "max_tokens"),
    "SWITCHBOARD_MODEL_MAX_RETRIES": ("model", "max_retries"),
    "SWITCHBOARD_MODEL_TIMEOUT": ("model", "request_timeout"),
}


def env_sections(env: Mapping[str, str], table: Mapping[str, tuple[str, str]]) -> dict[str, object]:
    """Group the set, non-empty variables of `table` into nested dicts by section ('' = top level)."""
    raw: dict[str, object] = {}
    for var, (section, field) in table.items():
        value = env.get(var)
        if value is None or value == "":
            continue
        target = raw if not section else raw.setdefault(section, {})
        assert isinstance(target, dict)
        target[field] = value
    return raw


def describe_errors(exc: ValidationError, table: Mapping[str, tuple[str, str]]) -> list[str]:
    by_field = {(s, f): var for var, (s, f) in table.items()}
    problems = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        key = (loc[0], loc[1]) if len(loc) > 1 else ("", loc[0] if loc else "")
        var = by_field.get(key, ".".join(loc))
        problems.append(f"{var}: {err['msg']}")
    return problems
