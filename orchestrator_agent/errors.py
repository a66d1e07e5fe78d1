"""Errors of the orchestrator. Callers branch on type and fields, never on message text.

SwitchboardError                 base; `message` is safe to show to a caller
├── PlanError                    a plan is invalid (`problems` lists every reason)
├── NoWorkerError                no available worker offers a skill (`skill`)
├── DiscoveryError               a card could not be fetched or failed validation (`url`)
├── DispatchError                a call to a worker failed (`worker_url`, `retryable`, `status_code`)
└── GoalInputError               the caller's request is unusable (empty goal, bad plan data part)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import SentAttempt


class SwitchboardError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanError(SwitchboardError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid plan: " + "; ".join(problems))
        self.problems = problems


class NoWorkerError(SwitchboardError):
    def __init__(self, skill: str) -> None:
        super().__init__(f"no available worker offers the skill {skill!r}")
        self.skill = skill


class DiscoveryError(SwitchboardError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class DispatchError(SwitchboardError):
    def __init__(
        self,
        worker_url: str,
        reason: str,
        *,
        retryable: bool = False,
        status_code: int | None = None,
        task_lost: bool = False,
        refused: bool = False,
    ) -> None:
        super().__init__(f"{worker_url}: {reason}")
        self.worker_url = worker_url
        self.reason = reason
        self.retryable = retryable
        self.status_code = status_code
        self.task_lost = task_lost  # the worker no longer knows the task we re-attached to
        self.refused = refused  # the worker answered with an A2A error: it is up, this request did not suit it
        self.sent: SentAttempt | None = None  # what went out (and the remote task, once named), set by the scheduler


class GoalInputError(SwitchboardError):
    pass
