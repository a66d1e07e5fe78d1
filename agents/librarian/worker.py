"""The librarian worker spec."""

from __future__ import annotations

from agents.runtime.spec import WorkerSpec

from .policy import policy
from .prompt import SYSTEM_PROMPT
from .tools import TOOLS

SPEC = WorkerSpec(
    name="librarian",
    system_prompt=SYSTEM_PROMPT,
    tools=TOOLS,
    policy=policy,
    skill_tools={"search_documents": ["search_documents"], "answer_question": ["answer_question"]},
)
