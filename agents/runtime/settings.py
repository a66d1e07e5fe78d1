"""Settings of one worker process, read once from the environment (and command-line overrides).

The server and model sections are the host's (`agents.host.settings`); a worker adds its loop's limits and
the hosts it may fetch files from. `load_worker_settings` reports every problem at once as a
`ConfigurationError`.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.host.errors import ConfigurationError
from agents.host.settings import SERVER_MODEL_ENV, ModelSettings, ServerSettings, describe_errors, env_sections


class WorkerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    server: ServerSettings = ServerSettings()
    model: ModelSettings = ModelSettings()
    max_steps: int = Field(default=8, ge=1, le=100)
    tool_timeout: float = Field(default=30.0, gt=0)
    max_input_bytes: int = Field(default=1_000_000, ge=1)
    artifact_chunk_chars: int = Field(default=4000, ge=100)
    fetch_hosts: str = ""  # hosts (or host:port) file parts given by URL may be fetched from; none by default
    fetch_timeout: float = Field(default=10.0, gt=0)


_ENV = {
    **SERVER_MODEL_ENV,
    "SWITCHBOARD_MAX_STEPS": ("", "max_steps"),
    "SWITCHBOARD_TOOL_TIMEOUT": ("", "tool_timeout"),
    "SWITCHBOARD_MAX_INPUT_BYTES": ("", "max_input_bytes"),
    "SWITCHBOARD_FETCH_HOSTS": ("", "fetch_hosts"),
    "SWITCHBOARD_FETCH_TIMEOUT": ("", "fetch_timeout"),
}


def load_worker_settings(
    name: str, env: Mapping[str, str], overrides: Mapping[str, object] | None = None
) -> WorkerSettings:
    """Settings for worker `name` from `env`, with `overrides` (e.g. --port) taking precedence."""
    raw = env_sections(env, _ENV)
    server = dict(raw.get("server", {}))  # type: ignore[call-overload]
    server.update({k: v for k, v in (overrides or {}).items() if v is not None})
    raw["server"] = server
    try:
        return WorkerSettings(name=name, **raw)
    except ValidationError as exc:
        raise ConfigurationError(describe_errors(exc, _ENV)) from None
