"""Discovery and health: which workers exist, what their cards say, and whether they answer.

The directory owns one entry per worker base URL. Cards are fetched concurrently, each under a timeout,
revalidated with ETag/If-None-Match, parsed with the SDK's card parser (0.3 cards included) and validated.
A worker that cannot be reached stays listed (unhealthy after `unhealthy_after` consecutive failures) and
joins selection as soon as a later refresh reaches it; dispatch failures count against health too. Workers
are added and removed at run time. `snapshot()` is the consistent view selection works on.

Replicas: several URLs whose cards have the same name and skill ids form one pool (`Worker.pool`, `replicas`).
Selection needs nothing more to balance them (equal skills score equally, so load and then `last_used` decide);
the pool makes it visible in the roster. Load is what this orchestrator has in flight on each worker: the
scheduler calls `acquire` before its first await after ranking, so the next ranking already counts it.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from a2a.client.card_resolver import parse_agent_card
from a2a.types import AgentCard
from a2a.utils.constants import AGENT_CARD_WELL_KNOWN_PATH
from google.protobuf.json_format import ParseError

from .errors import DiscoveryError
from .models import Health, Skill, Worker

log = logging.getLogger(__name__)

MAX_CARD_BYTES = 256 * 1024
MAX_TEXT = 2000


@dataclass
class _Entry:
    url: str
    card: AgentCard | None = None
    etag: str = ""
    health: Health = Health.UNKNOWN
    failures: int = 0
    load: int = 0
    dispatched: int = 0
    last_used: int = 0
    error: str = ""
    skills: tuple[Skill, ...] = field(default_factory=tuple)


def pools(entries: Iterable[_Entry]) -> dict[str, tuple[str, int]]:
    """Base URL -> (pool name, members) for every worker with a card. A pool is the workers whose cards share a
    name and skill ids; it is named after the card, plus a digest of the skill ids when two pools share a name."""
    members: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for e in entries:
        if e.card is not None:
            members.setdefault((e.card.name[:200], tuple(sorted(s.id for s in e.skills))), []).append(e.url)
    names = Counter(name for name, _ in members)
    named: dict[str, tuple[str, int]] = {}
    for (name, skill_ids), urls in members.items():
        label = name if names[name] == 1 else f"{name}#{hashlib.sha256(' '.join(skill_ids).encode()).hexdigest()[:8]}"
        named.update((url, (label, len(urls))) for url in urls)
    return named


def link_local(host: str) -> bool:
    """Link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, metadata.*): reachable from a host
    but never a place a worker should be, and a classic target for requests forged by a hostile card."""
    if host.lower().startswith("metadata.") or host.lower() == "metadata":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_link_local
    except ValueError:
        return False


def normalize_url(url: str, *, allow_link_local: bool = False) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DiscoveryError(url, "not an http(s) URL")
    if link_local(parts.hostname) and not allow_link_local:
        raise DiscoveryError(url, "a link-local or metadata address (set SWITCHBOARD_ALLOW_LINK_LOCAL to allow it)")
    return url


def skills_of(card: AgentCard) -> tuple[Skill, ...]:
    return tuple(
        Skill(
            id=s.id[:128],
            name=s.name[:200],
            description=s.description[:MAX_TEXT],
            tags=tuple(t[:64] for t in s.tags[:32]),
            examples=tuple(e[:MAX_TEXT] for e in s.examples[:16]),
            input_modes=tuple(s.input_modes) or tuple(card.default_input_modes),
            output_modes=tuple(s.output_modes) or tuple(card.default_output_modes),
        )
        for s in card.skills
    )


def validate_card(url: str, card: AgentCard) -> None:
    """Raise `DiscoveryError` when a card is unusable: no name, no skills, no interface on its own host."""
    problems = []
    if not card.name:
        problems.append("card has no name")
    if not card.skills:
        problems.append("card advertises no skills")
    if any(not s.id for s in card.skills):
        problems.append("a skill has no id")
    host = urlsplit(url).hostname
    interfaces = [i for i in card.supported_interfaces if urlsplit(i.url).hostname == host]
    if not card.supported_interfaces:
        problems.append("card has no interfaces")
    elif not interfaces:
        problems.append(f"card interfaces point away from {host}")
    if problems:
        raise DiscoveryError(url, "; ".join(problems))
    if len(interfaces) < len(card.supported_interfaces):  # never let the client pick one on another host
        dropped = [i.url for i in card.supported_interfaces if i not in interfaces]
        log.warning("%s: ignoring card interfaces on other hosts: %s", url, dropped[:5])
        del card.supported_interfaces[:]
        card.supported_interfaces.extend(interfaces)


async def _capped_body(response: httpx.Response, url: str) -> bytes:
    """A card's body, read no further than the cap whatever the server sends."""
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_CARD_BYTES:
            raise DiscoveryError(url, f"card is larger than {MAX_CARD_BYTES} bytes")
    return bytes(body)


class Directory:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        card_timeout: float = 3.0,
        unhealthy_after: int = 2,
        allow_link_local: bool = False,
    ) -> None:
        self._http = http
        self._allow_link_local = allow_link_local
        self._card_timeout = card_timeout
        self._unhealthy_after = unhealthy_after
        self._entries: dict[str, _Entry] = {}
        self._sequence = 0  # attempts acquired so far, on any worker: orders `last_used`
        self.changed = asyncio.Event()  # set whenever a worker joins or leaves selection

    # -- membership -------------------------------------------------------------------------------------
    async def add(self, url: str) -> Worker:
        """Register `url` and fetch its card now; an unreachable worker stays registered for later."""
        url = normalize_url(url, allow_link_local=self._allow_link_local)
        self._entries.setdefault(url, _Entry(url=url))
        await self._refresh_one(self._entries[url])
        return next(w for w in self.snapshot() if w.url == url)

    async def add_all(self, urls: Iterable[str]) -> None:
        """Register every usable URL and fetch the cards; an unusable URL is logged and skipped."""
        for raw in urls:
            try:
                url = normalize_url(raw, allow_link_local=self._allow_link_local)
            except DiscoveryError as exc:
                log.error("not adding worker %s: %s", raw, exc.reason)
                continue
            self._entries.setdefault(url, _Entry(url=url))
        await self.refresh()

    def remove(self, url: str) -> bool:
        removed = self._entries.pop(url.strip().rstrip("/"), None) is not None
        if removed:
            self.changed.set()
        return removed

    # -- views ------------------------------------------------------------------------------------------
    def snapshot(self) -> list[Worker]:
        named = pools(self._entries.values())
        return [self._worker(e, *named.get(e.url, ("", 1))) for e in self._entries.values()]

    def card(self, url: str) -> AgentCard:
        entry = self._entries.get(url)
        if entry is None or entry.card is None:
            raise DiscoveryError(url, "no card known for this worker")
        return entry.card

    @staticmethod
    def _worker(e: _Entry, pool: str, replicas: int) -> Worker:
        card = e.card
        return Worker(
            url=e.url,
            name=card.name[:200] if card else urlsplit(e.url).netloc,
            description=card.description[:MAX_TEXT] if card else "",
            skills=e.skills,
            streaming=bool(card and card.capabilities.streaming),
            extensions=tuple(x.uri for x in card.capabilities.extensions) if card else (),
            health=e.health,
            load=e.load,
            failures=e.failures,
            has_card=card is not None,
            error=e.error,
            pool=pool,
            replicas=replicas,
            dispatched=e.dispatched,
            last_used=e.last_used,
        )

    # -- health and load --------------------------------------------------------------------------------
    def acquire(self, url: str) -> None:
        """One more attempt in flight on `url` (until `release`); it becomes the most recently used worker."""
        if (e := self._entries.get(url)) is not None:
            self._sequence += 1
            e.load, e.dispatched, e.last_used = e.load + 1, e.dispatched + 1, self._sequence

    def release(self, url: str) -> None:
        if (e := self._entries.get(url)) is not None:
            e.load = max(0, e.load - 1)

    def record_success(self, url: str) -> None:
        if (e := self._entries.get(url)) is not None:
            joined = e.health is not Health.HEALTHY
            e.failures, e.health, e.error = 0, Health.HEALTHY, ""
            if joined:
                self.changed.set()

    def record_failure(self, url: str, reason: str) -> None:
        if (e := self._entries.get(url)) is None:
            return
        e.failures += 1
        e.error = reason[:500]
        if e.failures >= self._unhealthy_after and e.health is not Health.UNHEALTHY:
            log.warning("worker %s is unhealthy after %d failures: %s", url, e.failures, reason)
            e.health = Health.UNHEALTHY
            self.changed.set()

    # -- refresh ----------------------------------------------------------------------------------------
    async def refresh(self) -> None:
        async with asyncio.TaskGroup() as group:
            for entry in list(self._entries.values()):
                group.create_task(self._refresh_one(entry))

    async def run(self, interval: float) -> None:
        """Refresh every `interval` seconds until cancelled."""
        while True:
            await asyncio.sleep(interval)
            await self.refresh()

    async def _refresh_one(self, entry: _Entry) -> None:
        try:
            card = await self._fetch(entry)
        except DiscoveryError as exc:
            self.record_failure(entry.url, exc.reason)
            if entry.card is None:
                entry.health = Health.UNHEALTHY
            return
        if card is not None:
            entry.card, entry.skills = card, skills_of(card)
            log.info("discovered %s at %s: skills %s", card.name, entry.url, [s.id for s in entry.skills])
        self.record_success(entry.url)

    async def _fetch(self, entry: _Entry) -> AgentCard | None:
        """The new card, or None when the cached one is still current (304)."""
        headers = {"If-None-Match": entry.etag} if entry.etag and entry.card is not None else {}
        try:
            async with (
                asyncio.timeout(self._card_timeout),
                self._http.stream("GET", entry.url + AGENT_CARD_WELL_KNOWN_PATH, headers=headers) as response,
            ):
                if response.status_code == 304:
                    return None
                if response.status_code != 200:
                    raise DiscoveryError(entry.url, f"card fetch returned HTTP {response.status_code}")
                body = await _capped_body(response, entry.url)
        except (TimeoutError, httpx.HTTPError) as exc:
            raise DiscoveryError(entry.url, f"card fetch failed: {type(exc).__name__}") from None
        try:
            card = parse_agent_card(json.loads(bytes(body)))
        except (ValueError, ParseError) as exc:
            raise DiscoveryError(entry.url, f"card is not a valid agent card: {str(exc)[:200]}") from None
        validate_card(entry.url, card)
        entry.etag = response.headers.get("etag", "")
        if card.capabilities.extended_agent_card:
            return await self._extended(entry.url, card) or card
        return card

    async def _extended(self, url: str, card: AgentCard) -> AgentCard | None:
        """The card an authenticated caller sees (GetExtendedAgentCard over JSON-RPC, with this worker's token
        if the orchestrator holds one), validated like the public one; None (keep the public card) if refused."""
        endpoint = next((i.url for i in card.supported_interfaces if i.protocol_binding == "JSONRPC"), "")
        if not endpoint:
            return None
        request = {"jsonrpc": "2.0", "id": "card", "method": "GetExtendedAgentCard", "params": {}}
        try:
            async with (
                asyncio.timeout(self._card_timeout),
                self._http.stream("POST", endpoint, json=request, headers={"A2A-Version": "1.0"}) as reply,
            ):
                if reply.status_code != 200:
                    log.info("%s: no extended card for us (HTTP %d)", url, reply.status_code)
                    return None
                body = await _capped_body(reply, url)
            reply_body = json.loads(body)
            result = reply_body.get("result") if isinstance(reply_body, dict) else None
            if not isinstance(result, dict):
                log.info("%s: no extended card for us: %s", url, str(reply_body)[:200])
                return None
            extended = parse_agent_card(result)
            validate_card(url, extended)
        except (TimeoutError, httpx.HTTPError, ValueError, ParseError, DiscoveryError) as exc:
            log.warning("%s: extended card unusable, keeping the public one: %s", url, str(exc)[:200])
            return None
        return extended
