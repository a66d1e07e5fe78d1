"""Tools: typed functions a worker's model may call.

A tool is a name, a description, a pydantic model for its arguments and a plain function. The loop validates
the model's arguments against that model before calling it, so a tool body only ever sees typed input; a
`ToolError` raised by a tool is fed back to the model as an error result (the model may try again).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, JsonValue, ValidationError

from .messages import Material, ToolSpec

Args = TypeVar("Args", bound=BaseModel)


class ToolError(Exception):
    """A tool could not do what was asked; the message is shown to the model and may reach the caller."""


@dataclass(frozen=True)
class ToolResult:
    """What a tool returns: text for the model and the reader, and optionally structured data."""

    text: str
    data: JsonValue = None


@dataclass(frozen=True)
class ToolContext:
    """What a tool may read besides its arguments: the materials attached to the task."""

    materials: tuple[Material, ...] = ()


ToolFunction = Callable[[Args, ToolContext], ToolResult | Awaitable[ToolResult]]


@dataclass(frozen=True)
class Tool(Generic[Args]):
    name: str
    description: str
    arguments: type[Args]
    function: ToolFunction[Args]
    # Sync tools are CPU-bound (parsing, statistics): they run in a thread so the event loop stays free.
    blocking: bool = field(default=True)

    def spec(self) -> ToolSpec:
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        return ToolSpec(name=self.name, description=self.description, input_schema=schema)

    def parse(self, raw: dict[str, JsonValue]) -> Args:
        """Validate raw model-supplied arguments; raises `ToolError` with a readable message."""
        try:
            return self.arguments.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}" for err in exc.errors()
            )
            raise ToolError(f"invalid arguments for {self.name}: {problems}") from None

    async def invoke(self, args: Args, context: ToolContext) -> ToolResult:
        if inspect.iscoroutinefunction(self.function):
            result: Any = await self.function(args, context)
        elif self.blocking:
            result = await asyncio.to_thread(self.function, args, context)
        else:
            result = self.function(args, context)
        if not isinstance(result, ToolResult):
            raise TypeError(f"tool {self.name} returned {type(result).__name__}, not ToolResult")
        return result


class Toolbox:
    """The tools of one worker, by name."""

    def __init__(self, tools: Sequence[Tool[Any]]) -> None:
        names = [t.name for t in tools]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"duplicate tool names: {sorted(duplicates)}")
        self._tools = {t.name: t for t in tools}

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self) -> Any:
        return iter(self._tools.values())

    def get(self, name: str) -> Tool[Any]:
        try:
            return self._tools[name]
        except KeyError:
            raise ToolError(f"unknown tool {name!r}; available: {', '.join(sorted(self._tools))}") from None

    def specs(self) -> tuple[ToolSpec, ...]:
        return tuple(t.spec() for t in self._tools.values())
