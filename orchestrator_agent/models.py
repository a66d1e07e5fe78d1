"""The orchestrator's domain models: what it knows of workers, plans, and what each subtask produced.

Frozen pydantic models; the SDK's protobuf types appear only at the edges (directory, dispatch, executor).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from agents.host.wire import Usage


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Skill(Frozen):
    id: str
    name: str
    description: str
    tags: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    input_modes: tuple[str, ...] = ()
    output_modes: tuple[str, ...] = ()


class Health(StrEnum):
    UNKNOWN = "unknown"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"


class Worker(Frozen):
    """One agent as the directory knows it: where it is, what its card says, and how it is doing."""

    url: str  # the base URL it was discovered at
    name: str
    description: str = ""
    skills: tuple[Skill, ...] = ()
    streaming: bool = True
    extensions: tuple[str, ...] = ()
    health: Health = Health.UNKNOWN
    load: int = 0  # subtasks in flight on it from this orchestrator
    failures: int = 0  # consecutive failures
    has_card: bool = False
    error: str = ""  # the last discovery problem, for `switchboard agents`
    pool: str = ""  # replicas of one agent (same card name and skill ids) share a pool name; "" without a card
    replicas: int = 1  # members of its pool, itself included
    dispatched: int = 0  # subtask attempts sent to it so far by this orchestrator
    last_used: int = 0  # the directory-wide sequence number of its latest attempt (0: never); ties go to the lowest

    @property
    def available(self) -> bool:
        return self.health is not Health.UNHEALTHY and self.has_card


BRIEF_MAX_CHARS = 8000
INPUT_MAX_CHARS = 1_000_000


class SubtaskInput(Frozen):
    """Material a subtask needs that travels beside its brief as its own part (quoted text, a pasted table)."""

    text: str = Field(min_length=1, max_length=INPUT_MAX_CHARS, description="The material, verbatim.")
    media_type: str = Field(default="text/plain", max_length=100, description="e.g. text/plain or text/csv")
    name: str = Field(default="", max_length=200, description="What the material is, e.g. 'quoted text'.")


class Subtask(Frozen):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$", description="Short unique id: s1, s2")
    skill: str = Field(min_length=1, max_length=128, description="One skill id from the roster.")
    brief: str = Field(
        min_length=1,
        max_length=BRIEF_MAX_CHARS,
        description="A self-contained instruction: objective, expected output, boundaries. Large material goes "
        "in `inputs`, not here.",
    )
    depends_on: tuple[str, ...] = Field(default=(), description="Ids of subtasks whose outputs this one needs.")
    expected_output: str = Field(default="", description="What the answer should contain or look like.")
    attachments: tuple[int, ...] = Field(
        default=(), description="Indexes (from 0) of the goal's attachments this subtask receives."
    )
    inputs: tuple[SubtaskInput, ...] = Field(default=(), description="Material sent beside the brief as parts.")
    part: str = Field(default="", max_length=2000, description="The words of the goal this subtask serves.")


class UnservedPart(Frozen):
    """A part of the goal that no subtask serves, and why (e.g. no advertised skill can book travel)."""

    text: str = Field(min_length=1, max_length=2000, description="The part of the goal, in the caller's words.")
    reason: str = Field(min_length=1, max_length=500, description="Why it cannot be served by this network.")


class Plan(Frozen):
    """Subtasks plus the parts of the goal no subtask serves: together they cover the whole goal. A plan with no
    subtasks (everything unserved) is a refusal: the goal ends `rejected`."""

    subtasks: tuple[Subtask, ...] = ()
    unserved: tuple[UnservedPart, ...] = ()
    rationale: str = ""
    source: str = "offline"  # offline | claude | explicit | delegated
    usage: Usage = Usage()  # what planning cost

    def by_id(self) -> dict[str, Subtask]:
        return {s.id: s for s in self.subtasks}

    @property
    def single(self) -> bool:
        return len(self.subtasks) == 1


class SubtaskState(StrEnum):
    PENDING = "pending"
    WORKING = "working"
    INPUT_REQUIRED = "input_required"
    COMPLETED = "completed"
    FAILED = "failed"
    REJECTED = "rejected"
    CANCELED = "canceled"
    SKIPPED = "skipped"  # a dependency failed

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_SUBTASK_STATES


TERMINAL_SUBTASK_STATES = frozenset(
    {SubtaskState.COMPLETED, SubtaskState.FAILED, SubtaskState.REJECTED, SubtaskState.CANCELED, SubtaskState.SKIPPED}
)


class Choice(Frozen):
    """One ranked candidate for a subtask and why it ranks where it does."""

    worker_url: str
    worker_name: str
    skill_id: str
    score: float
    reason: str


class Output(Frozen):
    """What a subtask produced: its readable text and its structured data parts."""

    text: str = ""
    data: tuple[JsonValue, ...] = ()


class Attempt(Frozen):
    worker_url: str
    worker_name: str
    skill_id: str
    remote_task_id: str = ""
    state: SubtaskState
    reason: str = ""


class SentAttempt(Frozen):
    """An attempt's message as it went out (recorded before sending), and the remote task once known."""

    worker_url: str
    worker_name: str
    message_id: str
    context_id: str
    remote_task_id: str = ""


class SubtaskResult(Frozen):
    subtask_id: str
    skill: str
    state: SubtaskState
    worker_name: str = ""
    worker_url: str = ""
    remote_task_id: str = ""
    output: Output = Output()
    attempts: tuple[Attempt, ...] = ()
    reason: str = ""
    started_at: float = 0.0
    finished_at: float = 0.0
    usage: Usage = Usage()
    model: str = ""  # the model the worker reported using ("" if it named none)
    choice_reason: str = ""

    @property
    def duration_s(self) -> float:
        return max(0.0, self.finished_at - self.started_at)


class GoalConstraints(Frozen):
    deadline_s: float | None = Field(default=None, gt=0, le=86_400)
    max_subtasks: int | None = Field(default=None, ge=1, le=100)
