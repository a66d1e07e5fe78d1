"""Per-worker credentials: the orchestrator's token for each worker, sent only to that worker's origin.

`SWITCHBOARD_AGENT_TOKENS` is a comma-separated list of `<worker base URL>=<token>`. `WorkerCredentials` is an
`httpx.Auth` on the orchestrator's one HTTP client: a request gets `Authorization: Bearer <token>` only when its
origin (scheme, host and port) is exactly that worker's, so a token never reaches another agent, whatever a card
or a redirect says. Tokens are never logged (the settings field is hidden from reprs).
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

from agents.host.errors import ConfigurationError


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def parse_agent_tokens(raw: str) -> dict[tuple[str, str, int | None], str]:
    tokens: dict[tuple[str, str, int | None], str] = {}
    problems: list[str] = []
    for i, entry in enumerate(e.strip() for e in raw.split(",") if e.strip()):
        url, sep, token = entry.rpartition("=")
        if not sep or not url.strip() or not token.strip():
            problems.append(f"entry {i + 1} is not <worker URL>=<token>")
            continue
        parsed = httpx.URL(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.host:
            problems.append(f"entry {i + 1}: {url.strip()!r} is not an http(s) URL")
            continue
        tokens[_origin(parsed)] = token.strip()
    if problems:
        raise ConfigurationError([f"SWITCHBOARD_AGENT_TOKENS: {p}" for p in problems])
    return tokens


class WorkerCredentials(httpx.Auth):
    def __init__(self, tokens: dict[tuple[str, str, int | None], str]) -> None:
        self._tokens = tokens

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._tokens.get(_origin(request.url))
        if token is not None:
            request.headers["Authorization"] = f"Bearer {token}"
        yield request
