"""The text analyst's `WorkerSpec`: card name, prompt, tools, offline policy and the tools behind each skill."""

from __future__ import annotations

from agents.runtime.spec import WorkerSpec

from .policy import TOOL_OF_SKILL, policy
from .prompt import SYSTEM_PROMPT
from .tools import TOOLS

SPEC = WorkerSpec(
    name="text_analyst",
    system_prompt=SYSTEM_PROMPT,
    tools=TOOLS,
    policy=policy,
    skill_tools={skill: [tool] for skill, tool in TOOL_OF_SKILL.items()},
)
