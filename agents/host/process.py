"""What every agent process does at start-up, whatever it serves: logs that never show its secrets, and the
Claude client its settings describe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from . import logs
from .auth import parse_tokens
from .logs import redact
from .settings import ModelSettings, ServerSettings

if TYPE_CHECKING:  # imported when a key is set: the SDK takes seconds to import, and offline runs never need it
    import anthropic


def anthropic_client(settings: ModelSettings) -> anthropic.AsyncAnthropic:
    import anthropic

    return anthropic.AsyncAnthropic(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url,
        max_retries=settings.max_retries,
        timeout=settings.request_timeout,
    )


def _database_password(url: str | None) -> str | None:
    try:
        return make_url(url).password if url else None
    except ArgumentError:  # not a URL: the store refuses it at start, saying so
        return None


def configure_logging(server: ServerSettings, model: ModelSettings, *secrets: str | None) -> None:
    """Structured logs (see `logs`) that never show this process's tokens or API key."""
    tokens = parse_tokens(server.auth_tokens or "")
    redact([*tokens, model.anthropic_api_key, _database_password(server.database_url), *secrets])
    logs.configure_logging(server.log_level, server.log_format)
