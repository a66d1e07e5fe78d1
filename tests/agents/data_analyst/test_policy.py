"""The data_analyst's offline policy driving the real agent loop and tools (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.data_analyst.policy import ASK_FOR_TABLE
from agents.data_analyst.worker import SPEC
from agents.runtime.loop import AgentLoop, Answer, Outcome, Question, Refusal, ToolFailure
from agents.runtime.messages import Material, WorkerInput
from agents.runtime.offline import OfflineModel
from agents.runtime.tools import Toolbox

CARD = json.loads((Path(__file__).parents[3] / "agent_cards" / "data_analyst.json").read_text())
EXAMPLES = [(s["id"], e) for s in CARD["skills"] for e in s["examples"]]
SALES = "region,product,price,revenue\nNorth,Apple,1.5,100\nSouth,Banana,12,250\nNorth,Cherry,30,80\nEast,Apple,11,75\n"
CSV_FILE = Material(source="sales.csv", content=SALES.encode(), media_type="text/csv", filename="sales.csv")
RECORDS = Material(
    source="s1",
    data=[
        {"name": "Ada", "age": 36.0, "city": "London"},
        {"name": "Bob", "age": 41.0, "city": "Paris"},
        {"name": "Chloe", "age": 29.0, "city": "Paris"},
    ],
)


async def run(instruction: str, *materials: Material, skill: str | None = None) -> Outcome:
    loop = AgentLoop(model=OfflineModel(SPEC.policy), system_prompt=SPEC.system_prompt, toolbox=Toolbox(SPEC.tools))
    return await loop.run(WorkerInput(instruction=instruction, materials=materials, skill_hint=skill))


def rows(outcome: Outcome) -> list[dict[str, object]]:
    assert isinstance(outcome, Answer), outcome
    data = outcome.results[-1].data
    assert isinstance(data, dict) and isinstance(data["rows"], list)
    return data["rows"]  # type: ignore[return-value]


def test_skill_tools_cover_the_card_exactly() -> None:
    assert set(SPEC.skill_tools) == {s["id"] for s in CARD["skills"]}


@pytest.mark.parametrize("hint", [None, "use the hint"])
@pytest.mark.parametrize(("skill", "example"), EXAMPLES)
async def test_card_examples_complete(skill: str, example: str, hint: str | None) -> None:
    outcome = await run(example, skill=skill if hint else None)
    assert isinstance(outcome, Answer), outcome
    assert outcome.text.strip() and "| --- |" in outcome.text
    assert [r.tool for r in outcome.results] == SPEC.skill_tools[skill]


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        (
            "Group by region and sum revenue",
            [
                {"region": "East", "sum_revenue": 75},
                {"region": "North", "sum_revenue": 180},
                {"region": "South", "sum_revenue": 250},
            ],
        ),
        (
            "Show the top 2 rows by revenue",
            [
                {"region": "South", "product": "Banana", "price": 12, "revenue": 250},
                {"region": "North", "product": "Apple", "price": 1.5, "revenue": 100},
            ],
        ),
        (
            "Filter rows where price > 10 and sort by price descending",
            [
                {"region": "North", "product": "Cherry", "price": 30, "revenue": 80},
                {"region": "South", "product": "Banana", "price": 12, "revenue": 250},
                {"region": "East", "product": "Apple", "price": 11, "revenue": 75},
            ],
        ),
        (
            "Which product has the highest price?",
            [{"region": "North", "product": "Cherry", "price": 30, "revenue": 80}],
        ),
        (
            "Average price per region, sorted by average price descending",
            [
                {"region": "North", "mean_price": 15.75},
                {"region": "South", "mean_price": 12},
                {"region": "East", "mean_price": 11},
            ],
        ),
        (
            "Top 2 regions by total revenue",
            [{"region": "South", "sum_revenue": 250}, {"region": "North", "sum_revenue": 180}],
        ),
        (
            "How many rows per region?",
            [{"region": "East", "count": 1}, {"region": "North", "count": 2}, {"region": "South", "count": 1}],
        ),
        ("Count rows where region is North", [{"count": 2}]),
        ("What is the maximum price?", [{"max_price": 30}]),
        (
            "Show rows where product contains an or revenue is at least 100",
            [
                {"region": "North", "product": "Apple", "price": 1.5, "revenue": 100},
                {"region": "South", "product": "Banana", "price": 12, "revenue": 250},
            ],
        ),
        (
            "List products with price between 5 and 20",
            [
                {"region": "South", "product": "Banana", "price": 12, "revenue": 250},
                {"region": "East", "product": "Apple", "price": 11, "revenue": 75},
            ],
        ),
        ("Which region has the highest total revenue?", [{"region": "South", "sum_revenue": 250}]),
        # "products that sell for more than 10": the column used as a verb; "highest price first" orders, all rows
        (
            "Show me the products that price for more than 10, highest price first",
            [
                {"region": "North", "product": "Cherry", "price": 30, "revenue": 80},
                {"region": "South", "product": "Banana", "price": 12, "revenue": 250},
                {"region": "East", "product": "Apple", "price": 11, "revenue": 75},
            ],
        ),
        (  # the aggregate after its column
            "the revenue per region added up",
            [
                {"region": "East", "sum_revenue": 75},
                {"region": "North", "sum_revenue": 180},
                {"region": "South", "sum_revenue": 250},
            ],
        ),
    ],
)
async def test_free_text_requests_on_an_attached_csv(instruction: str, expected: list[dict[str, object]]) -> None:
    assert rows(await run(instruction, CSV_FILE)) == expected


async def test_data_part_tables_and_describe_by_default() -> None:
    outcome = await run("Here is the output of s1.", RECORDS)
    assert isinstance(outcome, Answer)
    assert outcome.text.startswith("The table has 3 rows and 3 columns: name, age, city.\n\n## Column summary")
    assert "| age | int | 3 | 0 | 3 | 29 | 41 |" in outcome.text
    assert rows(await run("Sort by age", RECORDS))[0]["name"] == "Chloe"


async def test_json_inline_table() -> None:
    outcome = await run('Sort this table by age descending: [{"name": "Ada", "age": 36}, {"name": "Bob", "age": 41}]')
    assert [r["name"] for r in rows(outcome)] == ["Bob", "Ada"]


@pytest.mark.parametrize(
    "instruction",
    [
        "Translate this poem into French: the rain falls softly",
        "Write me a short story about a robot",
        "Compute the mean and standard deviation of 4, 8, 15, 16, 23, 42.",
        "What is the capital of France?",
    ],
)
async def test_out_of_scope_requests_are_declined(instruction: str) -> None:
    assert isinstance(await run(instruction), Refusal)


@pytest.mark.parametrize(
    "instruction", ["Group by region and sum revenue", "Describe the columns of this CSV", "Show the top 3 rows"]
)
async def test_missing_table_asks_for_it(instruction: str) -> None:
    outcome = await run(instruction)
    assert isinstance(outcome, Question) and outcome.text == ASK_FOR_TABLE


async def test_follow_up_reply_with_the_table_completes() -> None:
    instruction = (
        f"Group by region and sum revenue\n\nYou asked: {ASK_FOR_TABLE}\nThe caller replied: region,revenue\n"
        "North,10\nSouth,5\nNorth,1"
    )
    assert rows(await run(instruction)) == [
        {"region": "North", "sum_revenue": 11},
        {"region": "South", "sum_revenue": 5},
    ]
    assert rows(await run(f"Sum revenue per region\n\nYou asked: {ASK_FOR_TABLE}\nThe caller replied: here", CSV_FILE))


@pytest.mark.parametrize(
    ("instruction", "materials", "message"),
    [
        ("Group by regoin and sum revenue", (CSV_FILE,), "unknown column 'regoin'; available columns: region"),
        ("Describe this CSV:\na,b\n1,2,3\n4,5,6", (), "malformed CSV: 2 of 2 data rows"),
        ('Describe this JSON: [{"a": 1,}]', (), "invalid JSON"),
        ("Describe the table", (Material(source="x", text="just a header"),), "header but no data rows"),
        ("Sum region per product", (CSV_FILE,), "cannot compute sum of column 'region'"),
    ],
)
async def test_tool_errors_are_explained(instruction: str, materials: tuple[Material, ...], message: str) -> None:
    outcome = await run(instruction, *materials)
    assert isinstance(outcome, ToolFailure)
    assert outcome.reason.startswith("I could not complete the analysis:") and message in outcome.reason


STAFF = Material(source="staff.csv", text="name,dept,salary\nAna,Eng,90\nBo,Eng,80\nCy,Ops,60", media_type="text/csv")


async def test_a_column_named_by_its_long_word_is_found() -> None:
    outcome = await run("the average salary per department", STAFF, skill="group_aggregate")
    assert rows(outcome) == [{"dept": "Eng", "mean_salary": 85}, {"dept": "Ops", "mean_salary": 60}]


async def test_a_group_key_that_names_no_column_fails_instead_of_a_figure_for_all_rows() -> None:
    outcome = await run("Total salary per store please", STAFF, skill="group_aggregate")
    assert isinstance(outcome, ToolFailure)
    assert "unknown column 'store'; available columns: name, dept, salary" in outcome.reason
