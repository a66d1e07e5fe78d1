"""What goes to a worker: parts of types its skill accepts, and A2A refusals told apart from a worker that is down."""

from __future__ import annotations

import httpx
from a2a.client import A2AClientError
from a2a.types import Part, SendMessageRequest
from a2a.utils.errors import ContentTypeNotSupportedError

from orchestrator_agent.dispatch import _dispatch_error
from orchestrator_agent.handoff import build_request
from orchestrator_agent.models import Subtask, Worker


def _request(worker: Worker, skill: str, attachment: Part) -> SendMessageRequest:
    subtask = Subtask(id="s1", skill=skill, brief="the mean of the attached numbers", attachments=(0,))
    return build_request(subtask, worker, results={}, attachments=(attachment,), goal_id="g", depth=0, deadline_s=None)


def test_a_csv_goes_as_plain_text_to_a_skill_that_takes_plain_text(roster: list[Worker]) -> None:
    calculator = next(w for w in roster if w.name == "calculator")
    modes = next(s.input_modes for s in calculator.skills if s.id == "statistics")
    assert "text/csv" not in modes and "text/plain" in modes  # the premise: the calculator's card
    for attachment in (
        Part(text="team,points\nA,3\nB,5", media_type="text/csv", filename="scores.csv"),
        Part(raw=b"team,points\nA,3\nB,5", media_type="text/csv", filename="scores.csv"),
    ):
        sent = _request(calculator, "statistics", attachment).message.parts[1]
        assert (sent.media_type, sent.text, sent.filename) == ("text/plain", "team,points\nA,3\nB,5", "scores.csv")


def test_a_part_the_skill_lists_or_that_is_not_text_goes_as_it_is(roster: list[Worker]) -> None:
    analyst = next(w for w in roster if w.name == "data_analyst")
    csv = Part(text="a,b\n1,2", media_type="text/csv", filename="t.csv")
    assert _request(analyst, "describe_table", csv).message.parts[1].media_type == "text/csv"
    calculator = next(w for w in roster if w.name == "calculator")
    image = Part(raw=b"\x89PNG\r\n", media_type="image/png", filename="chart.png")
    sent = _request(calculator, "statistics", image).message.parts[1]
    assert (sent.media_type, sent.raw) == ("image/png", b"\x89PNG\r\n")  # the worker accepts or refuses it


def test_an_a2a_error_is_a_refusal_and_a_broken_connection_is_not() -> None:
    refused = _dispatch_error("http://w", ContentTypeNotSupportedError("Media type text/csv is not supported"))
    assert refused.refused and not refused.retryable and "text/csv" in refused.reason
    request = httpx.Request("POST", "http://w")
    broken = A2AClientError("connection broke")
    broken.__cause__ = httpx.ReadError("reset", request=request)
    down = _dispatch_error("http://w", broken)
    assert not down.refused and down.retryable
