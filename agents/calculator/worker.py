"""The calculator's `WorkerSpec`: card name, prompt, tools, offline policy and the tools behind each skill."""

from __future__ import annotations

from agents.runtime.spec import WorkerSpec

from .policy import policy
from .prompt import SYSTEM_PROMPT
from .tools import TOOLS

SPEC = WorkerSpec(
    name="calculator",
    system_prompt=SYSTEM_PROMPT,
    tools=TOOLS,
    policy=policy,
    skill_tools={
        "arithmetic": ["calculate"],
        "unit_conversion": ["convert_units"],
        "statistics": ["describe_numbers"],
    },
)
