"""The data_analyst tools called directly: parsing, typing, statistics, queries, grouping and bad input."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from agents.data_analyst.analysis import Aggregate, Condition
from agents.data_analyst.inline import split_inline_table
from agents.data_analyst.table import MAX_COLUMNS, MAX_ROWS, parse_text
from agents.data_analyst.tools import (
    DescribeArgs,
    GroupArgs,
    QueryArgs,
    describe_table,
    group_aggregate,
    load_table,
    query_table,
)
from agents.runtime.messages import Material
from agents.runtime.tools import ToolContext, ToolError

SALES = "region,product,price,revenue,day\nNorth,Apple,1.5,100,2024-01-02\nSouth,Banana,12,250,2024-02-03\n"
SALES += "North,Cherry,30,,2024-03-01\nEast,Apple,11,75,2024-01-15\n"
NO_CTX = ToolContext()


def ctx(*materials: Material) -> ToolContext:
    return ToolContext(materials=materials)


@pytest.mark.parametrize(
    ("text", "columns", "types", "first"),
    [
        ("a,b\n1,x\n2,y", ("a", "b"), ("int", "string"), (1, "x")),
        ("a;b\n1,5;x\n2;y", ("a", "b"), ("string", "string"), ("1,5", "x")),
        ("a\tb\n1.5\ttrue\n2\tno", ("a", "b"), ("float", "bool"), (1.5, True)),
        ("d,n\n2024-01-02,NA\n2024-02-03,3", ("d", "n"), ("date", "int"), (date(2024, 1, 2), None)),
        ('[{"a": 1, "b": "x"}, {"a": 2, "c": true}]', ("a", "b", "c"), ("int", "string", "bool"), (1, "x", None)),
        ('{"columns": ["a", "b"], "rows": [[1, 2.5], [3, 4]]}', ("a", "b"), ("int", "float"), (1, 2.5)),
        ('[["a", "b"], [1, 2]]', ("a", "b"), ("int", "int"), (1, 2)),
        ('{"items": [{"x": 1.0}, {"x": 2.0}]}', ("x",), ("int",), (1,)),
        ("a,a,\n1,2,3", ("a", "a_2", "column_3"), ("int", "int", "int"), (1, 2, 3)),
        ('name,city\n"Smith, J",Paris\nAda,', ("name", "city"), ("string", "string"), ("Smith, J", "Paris")),
        ("| a | b |\n|:--|--:|\n| 1 | x \\| y |", ("a", "b"), ("int", "string"), (1, "x | y")),
    ],
)
def test_parse_infers_columns_and_types(
    text: str, columns: tuple[str, ...], types: tuple[str, ...], first: Any
) -> None:
    table = parse_text(text)
    assert table.columns == columns
    assert table.types == types
    assert table.rows[0] == first


@pytest.mark.parametrize(
    ("material", "rows"),
    [
        (Material(source="d", data=[{"a": 1.0}, {"a": 2.0}], media_type="application/json"), 2),
        (Material(source="d", data={"columns": ["a"], "rows": [{"a": 1}]}), 1),
        (Material(source="f.csv", content=b"\xef\xbb\xbfa,b\n1,2\n3,4\n", media_type="text/csv"), 2),
        (Material(source="f.json", content=json.dumps([{"a": 1}]).encode(), media_type="application/json"), 1),
        (Material(source="t", text="a,b\n1,2"), 1),
    ],
)
def test_tables_come_from_every_kind_of_material(material: Material, rows: int) -> None:
    assert len(load_table(DescribeArgs(), ctx(material)).rows) == rows


def test_source_picks_a_material_and_inline_text_wins() -> None:
    first, second = Material(source="one", text="a\n1"), Material(source="two", text="b,c\n1,2\n3,4")
    assert load_table(DescribeArgs(source="two"), ctx(first, second)).columns == ("b", "c")
    assert load_table(DescribeArgs(table="z,y\n1,2"), ctx(first)).columns == ("z", "y")


def test_describe_reports_statistics_per_column() -> None:
    result = describe_table(DescribeArgs(table=SALES), NO_CTX)
    assert isinstance(result.data, dict)
    stats = {c["column"]: c for c in result.data["columns"]}  # type: ignore[index,union-attr]
    assert stats["revenue"] | {"stdev": None} == {
        "column": "revenue",
        "type": "int",
        "count": 3,
        "missing": 1,
        "unique": 3,
        "min": 75,
        "max": 250,
        "mean": pytest.approx(141.6667, abs=1e-4),
        "median": 100,
        "stdev": None,
    }
    assert stats["region"]["top"][0] == {"value": "North", "count": 2}
    assert stats["day"]["min"] == "2024-01-02"
    assert "| revenue | int | 3 | 1 | 3 | 75 | 250 |" in result.text
    assert result.text.startswith("The table has 4 rows and 5 columns.")


@pytest.mark.parametrize(
    ("where", "products"),
    [
        ([Condition(column="price", op=">", value="10")], ["Banana", "Cherry", "Apple"]),
        ([Condition(column="Price", op="<=", value=11)], ["Apple", "Apple"]),
        ([Condition(column="region", op="==", value="north")], ["Apple", "Cherry"]),
        ([Condition(column="region", op="!=", value="North")], ["Banana", "Apple"]),
        ([Condition(column="product", op="contains", value="an")], ["Banana"]),
        ([Condition(column="product", op="not_contains", value="a")], ["Cherry"]),
        ([Condition(column="product", op="starts_with", value="ch")], ["Cherry"]),
        ([Condition(column="product", op="ends_with", value="LE")], ["Apple", "Apple"]),
        ([Condition(column="revenue", op="is_missing")], ["Cherry"]),
        ([Condition(column="day", op=">=", value="2024-02-01")], ["Banana", "Cherry"]),
        ([Condition(column="revenue", op=">", value=90), Condition(column="region", op="==", value="East")], []),
    ],
)
def test_query_filters(where: list[Condition], products: list[str]) -> None:
    result = query_table(QueryArgs(table=SALES, where=where), NO_CTX)
    assert isinstance(result.data, dict)
    assert [r["product"] for r in result.data["rows"]] == products  # type: ignore[index,union-attr]


def test_query_any_sort_limit_and_columns() -> None:
    where = [Condition(column="region", op="==", value="East"), Condition(column="price", op=">", value=20)]
    args = QueryArgs(table=SALES, where=where, match="any", sort_by="price", descending=True, columns=["product"])
    result = query_table(args, NO_CTX)
    assert result.data == {
        "columns": ["product"],
        "rows": [{"product": "Cherry"}, {"product": "Apple"}],
        "row_count": 2,
        "returned": 2,
        "truncated": False,
        "matched_rows": 2,
        "table_rows": 4,
    }
    top = query_table(QueryArgs(table=SALES, sort_by="revenue", descending=True, limit=2), NO_CTX)
    assert isinstance(top.data, dict)
    assert [r["revenue"] for r in top.data["rows"]] == [250, 100]  # type: ignore[index,union-attr]
    assert "| South | Banana | 12 | 250 | 2024-02-03 |" in top.text


def test_missing_values_sort_last_both_ways() -> None:
    for descending in (False, True):
        result = query_table(QueryArgs(table=SALES, sort_by="revenue", descending=descending), NO_CTX)
        assert isinstance(result.data, dict)
        assert result.data["rows"][-1]["revenue"] is None  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    ("args", "rows"),
    [
        (
            GroupArgs(group_by=["region"], aggregates=[Aggregate(func="sum", column="revenue")]),
            [
                {"region": "East", "sum_revenue": 75},
                {"region": "North", "sum_revenue": 100},
                {"region": "South", "sum_revenue": 250},
            ],
        ),
        (
            GroupArgs(group_by=["region"], sort_by="count", descending=True, limit=1),
            [{"region": "North", "count": 2}],
        ),
        (
            GroupArgs(aggregates=[Aggregate(func="mean", column="price"), Aggregate(func="max", column="day")]),
            [{"mean_price": 13.625, "max_day": "2024-03-01"}],
        ),
        (
            GroupArgs(
                group_by=["region", "product"],
                aggregates=[Aggregate(func="count", column="revenue")],
                where=[Condition(column="region", op="==", value="North")],
            ),
            [
                {"region": "North", "product": "Apple", "count_revenue": 1},
                {"region": "North", "product": "Cherry", "count_revenue": 0},
            ],
        ),
        (
            GroupArgs(
                group_by=["product"],
                aggregates=[Aggregate(func="median", column="price"), Aggregate(func="min", column="region")],
                sort_by="price",
                descending=True,
            ),
            [
                {"product": "Cherry", "median_price": 30, "min_region": "North"},
                {"product": "Banana", "median_price": 12, "min_region": "South"},
                {"product": "Apple", "median_price": 6.25, "min_region": "East"},
            ],
        ),
    ],
)
def test_group_aggregate(args: GroupArgs, rows: list[dict[str, Any]]) -> None:
    result = group_aggregate(args.model_copy(update={"table": SALES}), NO_CTX)
    assert isinstance(result.data, dict)
    assert result.data["rows"] == rows


WIDE = ",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n" + ",".join("1" * (MAX_COLUMNS + 1))
LONG = "n\n" + "1\n" * (MAX_ROWS + 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: describe_table(DescribeArgs(table="a,b\n1,2,3,4\n5,6,7,8"), NO_CTX), "malformed CSV: 2 of 2"),
        (lambda: describe_table(DescribeArgs(table='[{"a": 1,}]'), NO_CTX), "invalid JSON: Expecting"),
        (lambda: describe_table(DescribeArgs(table="a,b"), NO_CTX), "header but no data rows"),
        (lambda: parse_text(" \n "), "the table is empty"),
        (lambda: describe_table(DescribeArgs(table="[]"), NO_CTX), "the table is empty"),
        (lambda: describe_table(DescribeArgs(table="[1, 2]"), NO_CTX), "all be objects or all be lists"),
        (lambda: describe_table(DescribeArgs(table=WIDE), NO_CTX), f"limit of {MAX_COLUMNS}"),
        (lambda: describe_table(DescribeArgs(table=LONG), NO_CTX), f"more than {MAX_ROWS} rows"),
        (lambda: describe_table(DescribeArgs(), NO_CTX), "no table was supplied"),
        (
            lambda: describe_table(
                DescribeArgs(), ctx(Material(source="f", content=b"\xff\xfe", media_type="text/csv"))
            ),
            "not UTF-8",
        ),
        (
            lambda: describe_table(DescribeArgs(source="nope"), ctx(Material(source="t", text="a\n1"))),
            "no attached material is called 'nope'; attached: t",
        ),
        (
            lambda: query_table(QueryArgs(table=SALES, sort_by="cost"), NO_CTX),
            "unknown column 'cost'; available columns: region, product, price, revenue, day",
        ),
        (
            lambda: query_table(QueryArgs(table=SALES, where=[Condition(column="price", op=">", value="ten")]), NO_CTX),
            "'ten' is not a valid float value",
        ),
        (
            lambda: query_table(QueryArgs(table=SALES, where=[Condition(column="price", op=">")]), NO_CTX),
            "needs a value",
        ),
        (
            lambda: group_aggregate(
                GroupArgs(table=SALES, aggregates=[Aggregate(func="sum", column="region")]), NO_CTX
            ),
            "cannot compute sum of column 'region' (string)",
        ),
        (
            lambda: group_aggregate(GroupArgs(table=SALES, group_by=["regoin"]), NO_CTX),
            "unknown column 'regoin'",
        ),
        (lambda: group_aggregate(GroupArgs(table=SALES, aggregates=[]), NO_CTX), "at least one aggregate"),
    ],
)
def test_bad_input_raises_clear_tool_errors(call: Any, message: str) -> None:
    with pytest.raises(ToolError) as error:
        call()
    assert message in str(error.value)


def test_a_few_ragged_rows_are_tolerated_with_a_note() -> None:
    text = "a,b\n" + "1,2\n" * 10 + "3\n"
    result = describe_table(DescribeArgs(table=text), NO_CTX)
    assert "1 ragged row(s) padded or cut to 2 fields (rows 12)" in result.text


def test_long_results_are_truncated_in_markdown_with_a_note() -> None:
    text = "n\n" + "\n".join(str(i) for i in range(30))
    result = query_table(QueryArgs(table=text), NO_CTX)
    assert "_Showing the first 20 of 30 rows" in result.text
    assert isinstance(result.data, dict) and len(result.data["rows"]) == 30  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instruction", "remaining", "table"),
    [
        ("Describe this CSV:\nname,age\nAda,36", "Describe this CSV:", "name,age\nAda,36"),
        ("Describe this CSV: name,age\nAda,36\n\nThanks.", "Describe this CSV:\nThanks.", "name,age\nAda,36"),
        (
            "Group by region, and sum revenue\nregion,revenue\nN,1",
            "Group by region, and sum revenue",
            "region,revenue\nN,1",
        ),
        ('Sort by x: [{"x": 1}]', "Sort by x:", '[{"x": 1}]'),
        ('Describe this JSON: [{"x": 1,}]', "Describe this JSON:", '[{"x": 1,}]'),
        ("Translate this poem: roses are red,\nviolets are blue", None, None),
        ("Which region sold the most? region,revenue\nN,1", "Which region sold the most?", "region,revenue\nN,1"),
        ("Sum it:\n```csv\na,b\n1,2\n```\nThanks", "Sum it:\nThanks", "a,b\n1,2"),
        (
            "Average b?\n| a | b |\n|---|---|\n| 1 | 2 |\nThanks",
            "Average b?\nThanks",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ),
        ('Total? [{"x": 1}, {"x": 2}]', "Total?", '[{"x": 1}, {"x": 2}]'),
        ("See note [1] and group by a", None, None),
    ],
)
def test_split_inline_table(instruction: str, remaining: str | None, table: str | None) -> None:
    split = split_inline_table(instruction)
    assert split.table == table
    assert split.request == (remaining if remaining is not None else instruction)
