"""Errors of the worker runtime.

RuntimeFailure                 base; `message` is safe to show to a caller
├── ModelError                 the model provider failed after retries (status_code when known)
├── InputError                 the task's input is unusable (empty, too large, malformed)
└── ConfigurationError         settings or an agent card are invalid (raised at start-up)
"""

from __future__ import annotations


class RuntimeFailure(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ModelError(RuntimeFailure):
    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class InputError(RuntimeFailure):
    pass


class ConfigurationError(RuntimeFailure):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))
        self.problems = problems
