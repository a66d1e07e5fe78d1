"""A toy worker spec for runtime tests: a `count` tool and a `wait` tool that blocks until released."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel

from agents.runtime.messages import Conversation, ModelTurn
from agents.runtime.offline import answer, ask, call, decline
from agents.runtime.spec import WorkerSpec
from agents.runtime.tools import Tool, ToolContext, ToolResult

RELEASE = asyncio.Event()


class CountArgs(BaseModel):
    text: str


def count(args: CountArgs, _ctx: ToolContext) -> ToolResult:
    n = len(args.text.split())
    return ToolResult(text=f"{n} words", data={"words": n})


class WaitArgs(BaseModel):
    pass


async def wait(_args: WaitArgs, _ctx: ToolContext) -> ToolResult:
    await RELEASE.wait()
    return ToolResult(text="released")


def policy(conversation: Conversation) -> ModelTurn:
    text = conversation.input.instruction
    history = conversation.tool_history()
    if history:
        return answer("Result: " + "; ".join(o.content for _, o in history))
    if text.startswith("count:"):
        return call("count", text=text.removeprefix("count:"))
    if text.startswith("wait"):
        return call("wait")
    if text.startswith("ask"):
        if "The caller replied:" in text:
            return answer("Thanks: " + text.rsplit("The caller replied:", 1)[1].strip())
        return ask("What is your name?")
    return decline("toy only counts words")


SPEC = WorkerSpec(
    name="toy",
    system_prompt="You count words.",
    tools=[Tool("count", "Count words.", CountArgs, count), Tool("wait", "Wait.", WaitArgs, wait)],
    policy=policy,
    skill_tools={"count": ["count"]},
)
