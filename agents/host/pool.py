"""An HTTP transport whose connection pool costs the same per request however many connections it keeps.

httpcore 1.0's `AsyncConnectionPool` re-examines every connection it holds each time a request starts or
ends: it counts the pool once per connection (quadratic) and asks each idle socket whether the server has
closed it (a `poll` through anyio's attribute machinery, about 25 µs each). An orchestrator that keeps 64
connections to its workers alive, or a client sending 32 requests at once, spends a large share of its CPU there
(measured: 32 requests at once over warm connections cost the sending process ~9 ms of CPU each, ~3 ms
with this pool).

`LinearConnectionPool` keeps httpcore's behaviour and its connection classes, and changes only how requests
are matched to connections:
- one pass drops closed connections and trims idle ones beyond the keep-alive limit (counting idle ones,
  which httpcore means to do);
- a connection is checked for expiry (its keep-alive deadline passed, or the server closed it) when it is
  about to be reused, and the whole pool at most once a second, instead of all of it on every request;
- two requests queued in one pass are never given the same connection (httpcore would give both the same
  idle one, and the loser would go round again).

`pooled_transport` is the httpx transport to use for it. It relies on httpcore 1.0's pool internals
(`_connections`, `_requests`, the limits and `_assign_requests_to_connections`), hence the version pin in
pyproject.toml and the behaviour tests in tests/agents/test_pool.py.
"""

from __future__ import annotations

import time

import httpcore
import httpx

SWEEP_EVERY_S = 1.0


class LinearConnectionPool(httpcore.AsyncConnectionPool):
    _next_sweep = 0.0

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        now = time.monotonic()
        sweep = now >= self._next_sweep
        if sweep:
            self._next_sweep = now + SWEEP_EVERY_S
        kept = []
        for connection in self._connections:
            if connection.is_closed():
                continue
            if sweep and connection.has_expired():
                closing.append(connection)
                continue
            kept.append(connection)
        surplus = sum(c.is_idle() for c in kept) - self._max_keepalive_connections
        if surplus > 0:
            for connection in [c for c in kept if c.is_idle()][:surplus]:
                kept.remove(connection)
                closing.append(connection)
        self._connections = kept

        taken: set[int] = set()
        for pool_request in self._requests:
            if not pool_request.is_queued():
                continue
            origin = pool_request.request.url.origin
            chosen = self._reusable(origin, taken, closing) or self._new(origin, taken, closing)
            if chosen is None:
                continue  # stays queued until a connection is released
            taken.add(id(chosen))
            pool_request.assign_to_connection(chosen)
        return closing

    def _reusable(
        self, origin: httpcore.Origin, taken: set[int], closing: list[httpcore.AsyncConnectionInterface]
    ) -> httpcore.AsyncConnectionInterface | None:
        """An open connection to `origin` that can take a request now; expired ones met on the way are closed."""
        for connection in list(self._connections):
            if id(connection) in taken or not (connection.can_handle_request(origin) and connection.is_available()):
                continue
            if connection.has_expired():
                self._connections.remove(connection)
                closing.append(connection)
                continue
            return connection
        return None

    def _new(
        self, origin: httpcore.Origin, taken: set[int], closing: list[httpcore.AsyncConnectionInterface]
    ) -> httpcore.AsyncConnectionInterface | None:
        """A new connection to `origin`, closing an idle one to make room at the limit; None when all are busy."""
        if len(self._connections) >= self._max_connections:
            idle = next((c for c in self._connections if c.is_idle() and id(c) not in taken), None)
            if idle is None:
                return None
            self._connections.remove(idle)
            closing.append(idle)
        connection = self.create_connection(origin)
        self._connections.append(connection)
        return connection


def pooled_transport(limits: httpx.Limits | None = None, **kwargs: object) -> httpx.AsyncHTTPTransport:
    """httpx's own transport (`httpx.AsyncHTTPTransport(limits=..., **kwargs)`) on a `LinearConnectionPool`.

    A transport that goes through a proxy, or an httpcore other than the 1.0 this was written against, keeps
    httpcore's own pool."""
    transport = httpx.AsyncHTTPTransport(limits=limits or httpx.Limits(), **kwargs)  # type: ignore[arg-type]
    if type(transport._pool) is httpcore.AsyncConnectionPool and httpcore.__version__.startswith("1.0."):
        # same state, same constructor arguments: only the matching of requests to connections changes
        transport._pool.__class__ = LinearConnectionPool
    return transport
