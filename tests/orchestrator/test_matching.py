"""Matching a request to a skill, or to none: the real cards, the real embedding model, and thin foreign cards."""

from __future__ import annotations

import pytest

from orchestrator_agent.matching import THRESHOLD, match, shapes
from orchestrator_agent.material import mask_data
from orchestrator_agent.models import Health, Skill, Worker
from orchestrator_agent.semantic import NoSimilarity, Similarity


def best(text: str, roster: list[Worker], similarity: Similarity) -> str | None:
    masked, spans = mask_data(text)
    verdict = match(masked, spans, roster, similarity)
    return verdict.best.skill_id if verdict.best else None


@pytest.mark.parametrize(
    "request_text, skill",
    [
        ("Convert 10 km to miles", "unit_conversion"),
        ("Summarize this text in 2 sentences: Solar grew. Prices fell. Grids adapted.", "summarize"),
        ("Group the sales by region and sum revenue:\nregion,revenue\nN,1\nS,2\nN,3", "group_aggregate"),
        ("Search the library for push notifications", "search_documents"),
        ("What is 17 * 3", "arithmetic"),
        ("hw question 4: (3/4 + 2/5) * 12 - 7^2 = ?", "arithmetic"),
        ("Compute the mean, median and standard deviation of 12, 15, 22", "statistics"),
        ("p50 latency in ms: 120 135 128 410 131 126. give me mean and max", "statistics"),
        ("What is the sentiment of this review: 'The room was dirty and loud.'", "sentiment"),
        ("How many words are in 'Please send the report and then update the table.'?", "text_stats"),
        ("Extract keywords from this text: Tides rise twice a day. Tides follow the moon.", "keywords"),
        ("How do agent cards describe skills?", "answer_question"),
        ("Which task states are terminal?", "answer_question"),
        ("Give me a profile of each column:\nsku,stock\nA,3\nB,4\nC,9", "describe_table"),
        ("make an outline of these notes: The pilot ran for six weeks. Two teams joined. Costs fell.", "outline"),
    ],
)
def test_a_request_goes_to_the_skill_a_person_would_pick(
    request_text: str, skill: str, roster: list[Worker], similarity: Similarity
) -> None:
    assert best(request_text, roster, similarity) == skill


@pytest.mark.parametrize(
    "request_text, reason",
    [
        ("order a pizza for delivery at 8pm", "no advertised skill can order a pizza"),
        ("Translate 'good morning' into Japanese", "no advertised skill can translate"),
        ("write the word 'orchestrator' in capital letters", "no advertised skill can transform text"),
        ("Write me a limerick about cats", "no advertised skill can write me a limerick"),
        ("search google for the agent card spec", "no advertised skill can browse web"),
        ("search google for the latest A2A news", "no advertised skill"),
        ("what's the weather going to be like in Paris tomorrow", "live information"),
        ("Tell me a joke", "no advertised skill fits this"),
        ("zebra stripes", "no advertised skill fits this"),
    ],
)
def test_none_fits_is_an_answer_with_a_reason(
    request_text: str, reason: str, roster: list[Worker], similarity: Similarity
) -> None:
    masked, spans = mask_data(request_text)
    verdict = match(masked, spans, roster, similarity)
    assert verdict.best is None and reason in verdict.unserved_reason, verdict
    assert verdict.matches and verdict.matches[0].score < 1  # the ranking is kept for the record


def test_a_thin_foreign_card_is_matched_on_what_its_words_declare() -> None:
    """A third-party agent whose card has no examples: its description's words say what it takes."""
    skill = Skill(id="arithmetic", name="arithmetic", description="Scripted skill arithmetic")
    agent = Worker(url="http://127.0.0.1:1", name="scripted", skills=(skill,), health=Health.HEALTHY, has_card=True)
    verdict = match("What is 2 + 2?", [], [agent], NoSimilarity())
    assert verdict.best is not None and verdict.best.score >= THRESHOLD, verdict
    assert match("Book a table for two", [], [agent], NoSimilarity()).best is None


def test_a_card_that_advertises_live_data_is_not_refused_live_questions() -> None:
    weather = Skill(id="forecast", name="Weather forecast", description="Gives the weather forecast for a city.")
    agent = Worker(url="http://127.0.0.1:2", name="meteo", skills=(weather,), health=Health.HEALTHY, has_card=True)
    assert match("What's the weather in Paris tomorrow?", [], [agent], NoSimilarity()).best is not None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("What is (17 + 25) * 3?", {"expression", "question"}),
        ("whats 15% off 80 euros?", {"expression", "question"}),
        ("Convert 72 F to C", {"conversion"}),
        ("how many seconds are in a week", {"conversion", "question"}),
        ("10 canary runs in ms", set()),  # a count and a unit, no conversion
        ("the max of 17, 42, 8, 39", {"numbers", "rank"}),
    ],
)
def test_shapes_of_requests(text: str, expected: set[str]) -> None:
    assert shapes(text) == frozenset(expected)
