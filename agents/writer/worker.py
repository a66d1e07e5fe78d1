"""The writer worker's spec."""

from __future__ import annotations

from agents.runtime.spec import WorkerSpec

from .policy import policy
from .prompt import SYSTEM_PROMPT
from .tools import TOOLS

SPEC = WorkerSpec(
    name="writer",
    system_prompt=SYSTEM_PROMPT,
    tools=TOOLS,
    policy=policy,
    skill_tools={
        "write_report": ["compose_report"],
        "outline": ["outline"],
        "executive_summary": ["executive_summary"],
    },
)
