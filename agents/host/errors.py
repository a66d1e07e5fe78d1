"""Errors every agent process raises and reports (the orchestrator's and the workers' own trees build on these).

SwitchboardError         base; `message` is safe to show to a caller
├── ModelError           the model provider failed after retries (status_code when known)
├── InputError           the task's input is unusable (empty, too large, malformed)
└── ConfigurationError   settings or an agent card are invalid (raised at start-up)
"""

from __future__ import annotations


class SwitchboardError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelError(SwitchboardError):
    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class InputError(SwitchboardError):
    pass


class ConfigurationError(SwitchboardError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems
