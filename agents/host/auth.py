"""Caller authentication for every Switchboard server: bearer tokens or an API key header.

Configured by `SWITCHBOARD_AUTH_TOKENS`, a comma-separated list of `caller:token` entries (each caller its own
token). When set:
- every request except the public agent card must carry `Authorization: Bearer <token>` or
  `X-API-Key: <token>`; anything else gets HTTP 401 (with `WWW-Authenticate`) and an error body in the shape of
  the binding it was sent to (a JSON-RPC error object, or an HTTP+JSON error), and reaches nothing else;
- the caller's name becomes the request's user, so the SDK scopes tasks to it: another caller's GetTask,
  CancelTask, SubscribeToTask or ListTasks sees nothing (not-found);
- the card declares both schemes in `securitySchemes` and requires one of them (`securityRequirements`).
Tokens are compared in constant time and never logged.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping, Sequence

from a2a.types import (
    AgentCard,
    APIKeySecurityScheme,
    HTTPAuthSecurityScheme,
    SecurityRequirement,
    SecurityScheme,
    StringList,
)
from starlette.authentication import AuthCredentials, AuthenticationBackend, AuthenticationError, SimpleUser
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, Response

from .errors import ConfigurationError

API_KEY_HEADER = "X-API-Key"
BEARER_SCHEME = "bearer"
API_KEY_SCHEME = "apiKey"
PUBLIC_PATHS = frozenset({"/.well-known/agent-card.json", "/.well-known/agent.json"})
MIN_TOKEN_CHARS = 16


def parse_tokens(raw: str) -> dict[str, str]:
    """`caller:token,...` -> {token: caller}. Every problem is reported together."""
    tokens: dict[str, str] = {}
    problems: list[str] = []
    for i, entry in enumerate(e.strip() for e in raw.split(",") if e.strip()):
        caller, sep, token = entry.partition(":")
        caller, token = caller.strip(), token.strip()
        if not sep or not caller or not token:
            problems.append(f"entry {i + 1} is not caller:token")
        elif len(token) < MIN_TOKEN_CHARS:
            problems.append(f"the token of {caller!r} is shorter than {MIN_TOKEN_CHARS} characters")
        elif token in tokens:
            problems.append(f"the token of {caller!r} is also {tokens[token]!r}'s: each caller needs its own")
        else:
            tokens[token] = caller
    if problems:
        raise ConfigurationError([f"SWITCHBOARD_AUTH_TOKENS: {p}" for p in problems])
    return tokens


def presented_token(headers: Mapping[str, str]) -> str:
    """The credential a request carries: a bearer token, else the API key header, else ''."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return headers.get(API_KEY_HEADER.lower(), "").strip()


class TokenBackend(AuthenticationBackend):
    """`open_paths`: paths with their own access control (the orchestrator's admin API), besides the card."""

    def __init__(self, tokens: Mapping[str, str], open_paths: frozenset[str] = frozenset()) -> None:
        self._tokens = [(t.encode(), caller) for t, caller in tokens.items()]
        self._open = PUBLIC_PATHS | open_paths

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, SimpleUser] | None:
        if conn.url.path in self._open:
            return None
        given = presented_token(conn.headers).encode()
        if not given:
            raise AuthenticationError("missing credentials: send Authorization: Bearer <token> or X-API-Key")
        caller = None
        for token, name in self._tokens:  # every token compared, in constant time: no timing hint of a near miss
            if hmac.compare_digest(given, token):
                caller = name
        if caller is None:
            raise AuthenticationError("invalid credentials")
        return AuthCredentials(["authenticated"]), SimpleUser(caller)


def _unauthenticated(conn: HTTPConnection, exc: Exception) -> Response:
    message = f"Unauthenticated: {exc}"
    headers = {"WWW-Authenticate": 'Bearer realm="switchboard"'}
    if conn.url.path.endswith("/jsonrpc"):
        body: dict[str, object] = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": message}}
    else:
        body = {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": message}}
    return JSONResponse(json.loads(json.dumps(body)), status_code=401, headers=headers)


def auth_middleware(tokens: Mapping[str, str], open_paths: frozenset[str] = frozenset()) -> Sequence[Middleware]:
    """The middleware that enforces `tokens` (none when no token is configured)."""
    if not tokens:
        return []
    backend = TokenBackend(tokens, open_paths)
    return [Middleware(AuthenticationMiddleware, backend=backend, on_error=_unauthenticated)]


def declare_schemes(card: AgentCard) -> None:
    """Advertise the bearer and API-key schemes on `card`, either one satisfying its requirements."""
    card.security_schemes[BEARER_SCHEME].CopyFrom(
        SecurityScheme(
            http_auth_security_scheme=HTTPAuthSecurityScheme(
                scheme="Bearer", description="A token the agent's operator issued to you."
            )
        )
    )
    card.security_schemes[API_KEY_SCHEME].CopyFrom(
        SecurityScheme(
            api_key_security_scheme=APIKeySecurityScheme(
                location="header", name=API_KEY_HEADER, description="The same token, as an API key header."
            )
        )
    )
    card.security_requirements.extend(
        [
            SecurityRequirement(schemes={BEARER_SCHEME: StringList()}),
            SecurityRequirement(schemes={API_KEY_SCHEME: StringList()}),
        ]
    )
