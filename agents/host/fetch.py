"""File parts given by URL: fetched only from hosts the operator allows, within a size and a time limit.

A2A lets a caller send a file as a URL instead of its bytes. Fetching any URL a caller names would let it use
the worker to reach internal services (server-side request forgery), so a worker fetches nothing unless
`SWITCHBOARD_FETCH_HOSTS` lists the host (`host` or `host:port`). Even then: http(s) only, no redirects (a
redirect could lead anywhere), the body counted as it arrives and cut at the worker's input limit, and the
whole fetch bounded by `SWITCHBOARD_FETCH_TIMEOUT`. The fetched bytes replace the URL part for this run only;
the task's stored history keeps the URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import httpx
from a2a.types import Message, Part

from .errors import InputError


def parse_hosts(value: str) -> frozenset[str]:
    """`host` or `host:port` entries, comma-separated, lower-cased."""
    return frozenset(h.strip().lower() for h in value.split(",") if h.strip())


class FileFetcher:
    def __init__(self, hosts: frozenset[str], *, max_bytes: int, timeout: float) -> None:
        self._hosts = hosts
        self._max_bytes = max_bytes
        self._timeout = timeout

    async def inline(self, messages: Iterable[Message]) -> list[Message]:
        """`messages` with every URL part replaced by a raw part holding the fetched bytes."""
        inlined = []
        for message in messages:
            if any(p.WhichOneof("content") == "url" for p in message.parts):
                copy = Message()
                copy.CopyFrom(message)
                del copy.parts[:]
                for index, part in enumerate(message.parts, 1):
                    copy.parts.append(await self._fetched(part, index) if part.WhichOneof("content") == "url" else part)
                message = copy
            inlined.append(message)
        return inlined

    def _refuse(self, url: httpx.URL, shown: str, index: int) -> None:
        if url.scheme not in ("http", "https") or not url.host:
            raise InputError(f"part {index} is a file URL ({shown}) that is not http(s); send the file inline instead")
        if not self._hosts:
            raise InputError(
                f"part {index} is a file URL ({shown}) and this agent fetches from no host "
                "(SWITCHBOARD_FETCH_HOSTS is empty); send the file's content inline instead"
            )
        if url.host.lower() not in self._hosts and f"{url.host.lower()}:{url.port or ''}" not in self._hosts:
            raise InputError(
                f"part {index} is a file URL on {url.host}, which is not among the hosts this agent fetches from "
                "(SWITCHBOARD_FETCH_HOSTS); send the file's content inline instead"
            )

    async def _fetched(self, part: Part, index: int) -> Part:
        shown = part.url[:80]
        try:
            url = httpx.URL(part.url)
        except httpx.InvalidURL:
            raise InputError(f"part {index} is a file URL ({shown}) that is not a valid URL") from None
        self._refuse(url, shown, index)
        body = bytearray()
        try:
            async with (
                asyncio.timeout(self._timeout),
                httpx.AsyncClient(follow_redirects=False, headers={"Accept-Encoding": "identity"}) as http,
                http.stream("GET", url) as response,
            ):
                if response.is_redirect:
                    raise InputError(f"part {index}: {shown} answered a redirect, which is not followed")
                if response.status_code != 200:
                    raise InputError(f"part {index}: fetching {shown} returned HTTP {response.status_code}")
                if response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
                    raise InputError(f"part {index}: {shown} came compressed, which was not asked for")
                async for chunk in response.aiter_raw():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise InputError(
                            f"part {index}: {shown} is larger than this agent's limit of {self._max_bytes} bytes"
                        )
                media_type = part.media_type or response.headers.get("content-type", "").split(";")[0].strip()
        except TimeoutError:
            raise InputError(f"part {index}: fetching {shown} timed out after {self._timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise InputError(f"part {index}: fetching {shown} failed ({type(exc).__name__})") from None
        filename = part.filename or url.path.rsplit("/", 1)[-1]
        return Part(
            raw=bytes(body),
            media_type=media_type or "application/octet-stream",
            filename=filename,
            metadata=part.metadata if part.HasField("metadata") else None,
        )
