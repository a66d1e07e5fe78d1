"""Fakes at the orchestrator's seams, for unit tests without a socket: a roster of workers held in memory and a
worker gateway that plays a script per worker.

A script is a list of `Reply`s per worker URL; each `run` (a send or a follow-up) plays the next one, each
`reattach` the next of `reattach`. A reply names the remote task it reports, then does one thing: complete with a
text, end in a state (failed, rejected, input-required with a question), raise a `DispatchError` (before or after
naming its task), or hang until cancelled. The gateway records every send (with its message id), re-attach and
cancel, so a test counts what went out.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from a2a.types import AgentCard, AgentInterface, Artifact, Part, SendMessageRequest

from orchestrator_agent.dispatch import WorkerUpdate
from orchestrator_agent.errors import DispatchError
from orchestrator_agent.models import Health, Skill, SubtaskState, Worker


@dataclass(frozen=True)
class Reply:
    kind: str  # complete | state | error | hang
    text: str = ""
    state: SubtaskState = SubtaskState.COMPLETED
    retryable: bool = False
    refused: bool = False  # a typed A2A error: the worker is up, the request did not suit it
    named: bool = True  # the remote task is named before the reply's end (an error after it breaks a stream)


def complete(text: str = "done") -> Reply:
    return Reply("complete", text)


def ends(state: SubtaskState, text: str = "") -> Reply:
    return Reply("state", text, state)


def error(reason: str, *, retryable: bool = False, named: bool = False, refused: bool = False) -> Reply:
    return Reply("error", reason, retryable=retryable, named=named, refused=refused)


def hang() -> Reply:
    return Reply("hang")


class FakeRoster:
    """The scheduler's `Roster`, in memory: workers as given, load and health as recorded."""

    def __init__(self, *workers: Worker) -> None:
        self.workers = {w.url: w for w in workers}
        self.failures: list[tuple[str, str]] = []
        self.successes: list[str] = []

    def snapshot(self) -> list[Worker]:
        return list(self.workers.values())

    def card(self, url: str) -> AgentCard:
        worker = self.workers[url]
        return AgentCard(
            name=worker.name,
            supported_interfaces=[AgentInterface(url=f"{url}/a2a", protocol_binding="JSONRPC", protocol_version="1.0")],
        )

    def acquire(self, url: str) -> None:
        self.workers[url] = self.workers[url].model_copy(update={"load": self.workers[url].load + 1})

    def release(self, url: str) -> None:
        self.workers[url] = self.workers[url].model_copy(update={"load": self.workers[url].load - 1})

    def record_success(self, url: str) -> None:
        self.successes.append(url)

    def record_failure(self, url: str, reason: str) -> None:
        self.failures.append((url, reason))


def worker(url: str, *skills: str, name: str = "") -> Worker:
    return Worker(
        url=url,
        name=name or url.rsplit("/", 1)[-1],
        skills=tuple(Skill(id=s, name=s, description=s) for s in skills),
        health=Health.HEALTHY,
        has_card=True,
    )


@dataclass
class ScriptedGateway:
    """A `WorkerGateway` that plays each worker's script (see the module docstring)."""

    scripts: dict[str, list[Reply]]
    reattach_scripts: dict[str, list[Reply]] = field(default_factory=dict)
    sends: list[tuple[str, str]] = field(default_factory=list)  # (worker URL, message id)
    messages: list[SendMessageRequest] = field(default_factory=list)
    reattaches: list[tuple[str, str]] = field(default_factory=list)  # (worker URL, remote task id)
    cancels: list[tuple[str, str]] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # remote task ids the workers reported, in order
    first_named: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    @staticmethod
    def _url(card: AgentCard) -> str:
        return card.supported_interfaces[0].url.removesuffix("/a2a")

    def run(self, card: AgentCard, request: SendMessageRequest) -> AsyncIterator[WorkerUpdate]:
        url = self._url(card)
        self.sends.append((url, request.message.message_id))
        self.messages.append(request)
        task_id = request.message.task_id or f"{card.name}-task-{next(self._ids)}"
        return self._play(url, self._next(self.scripts, url), task_id, request.message.context_id)

    def reattach(self, card: AgentCard, remote_task_id: str) -> AsyncIterator[WorkerUpdate]:
        url = self._url(card)
        self.reattaches.append((url, remote_task_id))
        return self._play(url, self._next(self.reattach_scripts, url), remote_task_id, "ctx")

    async def cancel(self, card: AgentCard, remote_task_id: str) -> None:
        self.cancels.append((self._url(card), remote_task_id))

    @staticmethod
    def _next(scripts: dict[str, list[Reply]], url: str) -> Reply:
        queue = scripts.get(url, [])
        assert queue, f"the script of {url} has no reply left"
        return queue.pop(0)

    async def _play(self, url: str, reply: Reply, task_id: str, context_id: str) -> AsyncIterator[WorkerUpdate]:
        if reply.kind == "error" and not reply.named:
            raise DispatchError(url, reply.text, retryable=reply.retryable, refused=reply.refused)
        self.named.append(task_id)
        self.first_named.set()
        yield WorkerUpdate(task_id, context_id, SubtaskState.WORKING, "working")
        if reply.kind == "error":
            raise DispatchError(url, reply.text, retryable=reply.retryable)
        if reply.kind == "hang":
            await asyncio.Event().wait()
        if reply.kind == "complete":
            artifact = Artifact(artifact_id="out", parts=[Part(text=reply.text)] if reply.text else [])
            yield WorkerUpdate(task_id, context_id, artifact=artifact, last_chunk=True)
            yield WorkerUpdate(task_id, context_id, SubtaskState.COMPLETED)
            return
        yield WorkerUpdate(task_id, context_id, reply.state, reply.text)


def remaining(gateway: ScriptedGateway) -> Sequence[Reply]:
    """Replies no call played (a test that scripts more than happens says so)."""
    return [r for queue in gateway.scripts.values() for r in queue]
