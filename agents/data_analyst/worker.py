"""The data_analyst worker spec."""

from __future__ import annotations

from agents.runtime.spec import WorkerSpec

from .policy import policy
from .prompt import SYSTEM_PROMPT
from .tools import TOOLS

SPEC = WorkerSpec(
    name="data_analyst",
    system_prompt=SYSTEM_PROMPT,
    tools=TOOLS,
    policy=policy,
    skill_tools={
        "describe_table": ["describe_table"],
        "query_table": ["query_table"],
        "group_aggregate": ["group_aggregate"],
    },
)
