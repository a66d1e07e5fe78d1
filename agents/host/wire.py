"""The Switchboard conventions on the A2A wire that every agent shares: the subtask extension, the metadata key
naming a data part's kind, and token usage as agents report it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

SUBTASK_EXTENSION_URI = "urn:switchboard:extension:subtask:v1"
KIND_KEY = "switchboard.kind"
QUESTION_KIND = "question"
SUBTASK_KIND = "subtask"


class Usage(BaseModel):
    """Token use of one or more model calls."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            calls=self.calls + other.calls,
        )
