"""Selection by advertised skill: ranking tables over hand-made workers and the real cards."""

from __future__ import annotations

import pytest

from orchestrator_agent.models import Health, Skill, Worker
from orchestrator_agent.selection import candidates_for, rank, stem

CONVERT = Skill(id="convert", name="Convert", description="Converts units of length", tags=("units",))
MEASURE = Skill(id="measure", name="Measure", description="Measures distances", tags=("units", "length"))
SUMMARY = Skill(id="summary", name="Summary", description="Summarizes a text in sentences", tags=("text",))
IMAGE = Skill(id="convert", name="Convert", description="Converts units of length", output_modes=("image/png",))


def worker(
    url: str,
    *skills: Skill,
    health: Health = Health.HEALTHY,
    load: int = 0,
    has_card: bool = True,
) -> Worker:
    return Worker(url=url, name=url.rsplit("/", 1)[-1], skills=skills, health=health, load=load, has_card=has_card)


@pytest.mark.parametrize(
    "skill_id, brief, tags, workers, expected",
    [
        pytest.param(
            "measure",
            "convert units of length",  # lexically closer to `convert`
            ("text",),  # and tagged like `summary`
            [worker("http://a/one", CONVERT, SUMMARY), worker("http://b/two", MEASURE)],
            ["measure", "summary", "convert"],
            id="exact id beats tags and lexical",
        ),
        pytest.param(
            "",
            "convert units of length",
            ("length",),
            [worker("http://a/one", CONVERT), worker("http://b/two", MEASURE)],
            ["measure", "convert"],
            id="a shared tag beats a lexical match",
        ),
        pytest.param(
            "",
            "summarize these sentences",
            (),
            [worker("http://a/one", CONVERT), worker("http://b/two", SUMMARY)],
            ["summary"],
            id="lexical only, no-score skills dropped",
        ),
        pytest.param(
            "convert",
            "convert",
            (),
            [worker("http://a/img", IMAGE), worker("http://b/txt", CONVERT)],
            ["convert"],
            id="modes that cannot carry text are excluded",
        ),
    ],
)
def test_order_of_evidence(
    skill_id: str, brief: str, tags: tuple[str, ...], workers: list[Worker], expected: list[str]
) -> None:
    choices = rank(skill_id, brief, workers, tags=tags)
    assert [c.skill_id for c in choices] == expected
    assert all(c.reason for c in choices)


def test_an_image_only_skill_is_not_a_candidate_even_by_exact_id() -> None:
    choices = rank("convert", "convert", [worker("http://a/img", IMAGE), worker("http://b/txt", CONVERT)])
    assert [c.worker_url for c in choices] == ["http://b/txt"]


@pytest.mark.parametrize(
    "excluded",
    [
        pytest.param(worker("http://a/sick", CONVERT, health=Health.UNHEALTHY), id="unhealthy"),
        pytest.param(worker("http://a/blank", CONVERT, has_card=False), id="no card"),
    ],
)
def test_unavailable_workers_are_excluded(excluded: Worker) -> None:
    ok = worker("http://z/ok", CONVERT)
    assert [c.worker_url for c in rank("convert", "convert", [excluded, ok])] == ["http://z/ok"]
    assert candidates_for("convert", "convert", [excluded]) == []


@pytest.mark.parametrize(
    "workers, expected",
    [
        pytest.param(
            [worker("http://a", CONVERT, health=Health.UNKNOWN), worker("http://z", CONVERT)],
            ["http://z", "http://a"],
            id="healthy before unknown",
        ),
        pytest.param(
            [worker("http://a", CONVERT, health=Health.HEALTHY, load=3), worker("http://z", CONVERT, load=1)],
            ["http://z", "http://a"],
            id="then lower load",
        ),
        pytest.param(
            [worker("http://z", CONVERT, health=Health.UNKNOWN, load=0), worker("http://a", CONVERT, load=5)],
            ["http://a", "http://z"],
            id="health outranks load",
        ),
        pytest.param(
            [worker("http://z", CONVERT), worker("http://m", CONVERT), worker("http://a", CONVERT)],
            ["http://a", "http://m", "http://z"],
            id="then URL",
        ),
    ],
)
def test_ties_break_on_health_then_load_then_url(workers: list[Worker], expected: list[str]) -> None:
    choices = rank("convert", "convert units of length", workers)
    assert len({c.score for c in choices}) == 1, "the table must compare equal scores"
    assert [c.worker_url for c in choices] == expected
    assert all(c.reason for c in choices)


def test_candidates_for_returns_only_exact_id_matches() -> None:
    workers = [worker("http://a", CONVERT, MEASURE, SUMMARY), worker("http://b", MEASURE)]
    choices = candidates_for("measure", "convert units of length and summarize", workers)
    assert [(c.worker_url, c.skill_id) for c in choices] == [("http://a", "measure"), ("http://b", "measure")]
    assert candidates_for("teleport", "convert units", workers) == []


def test_every_choice_says_why() -> None:
    choices = rank("measure", "convert units of length", [worker("http://a", CONVERT, MEASURE)], tags=("units",))
    reasons = {c.skill_id: c.reason for c in choices}
    assert "exact skill id 'measure'" in reasons["measure"] and "tags ['units']" in reasons["measure"]
    assert "lexical" in reasons["convert"] and "healthy, load 0" in reasons["convert"]


def test_arithmetic_wins_a_bare_expression_outright(roster: list[Worker]) -> None:
    first, second = rank("", "What is 17 * 3", roster)[:2]
    assert first.skill_id == "arithmetic" and first.score > second.score, (first, second)


@pytest.mark.parametrize(
    "words",
    [("profile", "profiles"), ("table", "tables"), ("cancel", "cancelled", "cancellation"), ("plan", "planned")],
)
def test_forms_of_one_word_share_a_stem(words: tuple[str, ...]) -> None:
    assert len({stem(w) for w in words}) == 1
