"""`WorkerSpec`: everything that makes one worker what it is, as data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .offline import Policy
from .tools import Tool


@dataclass(frozen=True)
class WorkerSpec:
    """A worker: its card name, system prompt, tools, offline policy, and which tools serve which skill.

    `skill_tools` maps every skill id on the worker's card to the tools that implement it; a test checks
    that it covers the card exactly.
    """

    name: str
    system_prompt: str
    tools: Sequence[Tool[Any]]
    policy: Policy
    skill_tools: Mapping[str, Sequence[str]]
