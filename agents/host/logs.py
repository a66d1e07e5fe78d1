"""Structured logs for every agent process.

- Each record carries the ids of the work it is about: `goal_id`, `subtask_id`, `task_id` (the agent's own A2A
  task) and `worker`, taken from context variables that the orchestrator and the worker runtime set where the
  work starts (`bind_ids`). asyncio copies the context into every task it creates, so a goal's background work and
  each subtask's dispatch log with their ids without passing them around.
- The format is JSON, one object per line, when stderr is not a terminal (a service manager, a container, a file)
  and readable text on a terminal; `SWITCHBOARD_LOG_FORMAT=json|text` overrides.
- Secrets are never logged: every value registered with `redact` (caller and worker tokens, the admin token, the
  Anthropic key) is replaced by `[redacted]` in the message and in the exception text of every record, whatever
  the logger (the SDK's and uvicorn's included).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

IDS = ("goal_id", "subtask_id", "task_id", "worker")
_ids: dict[str, ContextVar[str]] = {name: ContextVar(name, default="") for name in IDS}
_secrets: set[str] = set()
REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8  # shorter values would redact ordinary words


def bind_ids(**ids: str) -> None:
    """Set ids for the rest of the current task (and the tasks it creates)."""
    for name, value in ids.items():
        _ids[name].set(value)


def redact(values: Iterable[str | None]) -> None:
    """Never log these values (tokens, keys)."""
    _secrets.update(v for v in values if v and len(v) >= MIN_SECRET_CHARS)


def _scrub(text: str) -> str:
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class _Context(logging.Filter):
    """Adds the bound ids to the record and removes secrets from its text."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in _ids.items():
            if not getattr(record, name, ""):
                setattr(record, name, var.get())
        if _secrets:
            record.msg = _scrub(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = _scrub(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in IDS if getattr(record, name, "")})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = " ".join(f"{name}={getattr(record, name)}" for name in IDS if getattr(record, name, ""))
        return f"{line} [{ids}]" if ids else line


def configure_logging(level: str, fmt: str = "auto") -> None:
    """Root logging for an agent process: `fmt` is json, text, or auto (json unless stderr is a terminal).
    Replaces earlier handlers, so it can be called once per process start."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter())
    handler.addFilter(_Context())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # through the root handler, in the same format
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
