"""The calculator's tools, called directly: results, data and clear errors for bad input."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from agents.calculator.describe import numbers_in_text
from agents.calculator.tools import (
    CalculateArgs,
    ConvertArgs,
    StatisticsArgs,
    calculate,
    convert_units,
    describe_numbers,
)
from agents.runtime.messages import Material
from agents.runtime.tools import ToolContext, ToolError

NO_MATERIALS = ToolContext()


@pytest.mark.parametrize(
    ("expression", "display"),
    [
        ("2 + 2", "4"),
        ("0.1 + 0.2", "0.3"),
        ("(17 + 25) * 3 - 2^5", "94"),
        ("7 / 2", "3.5"),
        ("8 / 2", "4"),
        ("7 // 2", "3"),
        ("-7 % 3", "2"),
        ("2 ** -2", "0.25"),
        ("2 ** 100", "1267650600228229401496703205376"),
        ("sqrt(144) + log(1000) / 3", "13"),
        ("log(8, 2)", "3"),
        ("ln(e)", "1"),
        ("round(pi, 3)", "3.142"),
        ("round(2.5) + round(-2.5)", "0"),  # halves away from zero: 3 + -3
        ("round(0.5)", "1"),
        ("round(2.675, 2)", "2.68"),
        ("round(1250, -2)", "1300"),
        ("min(4, 2, 9) + max(1, 5)", "7"),
        ("floor(2.7) + ceil(2.1) + abs(-3)", "8"),
        ("factorial(10)", "3628800"),
        ("sin(0) + cos(0)", "1"),
        ("3 × 4 ÷ 2", "6"),
        ("exp(0)", "1"),
    ],
)
def test_calculate(expression: str, display: str) -> None:
    result = calculate(CalculateArgs(expression=expression), NO_MATERIALS)
    assert isinstance(result.data, dict)
    assert result.data["display"] == display
    assert f"**{display}**" in result.text


def test_huge_integers_travel_as_strings() -> None:
    result = calculate(CalculateArgs(expression="10 ** 100"), NO_MATERIALS)
    assert isinstance(result.data, dict)
    assert result.data["result"] == "1" + "0" * 100


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0", "division by zero"),
        ("5 % 0", "division by zero"),
        ("5 // 0", "division by zero"),
        ("0 ** -1", "division by zero"),
        ("9**9**9**9", "exponent"),
        ("2 ** 5000", "exponent"),
        ("10 ** 999 * 10 ** 999", "digits"),
        ("(10 ** 900) ** 2", "digits"),
        ("factorial(1000)", "factorial"),
        ("factorial(-1)", "factorial"),
        ("exp(1000)", "too large"),
        ("1e400", "too large"),
        ("(-8) ** (1/3)", "fractional power"),
        ("sqrt(-1)", "negative"),
        ("log(0)", "positive"),
        ("__import__('os').system('ls')", "unknown function"),
        ("open('x')", "unknown function"),
        ("x + 1", "unknown name"),
        ("(1).real", "not allowed"),
        ("[1, 2]", "not allowed"),
        ("'a' * 3", "only numbers"),
        ("True + 1", "only numbers"),
        ("2 +", "not a valid"),
        ("", "empty"),
        ("1+" * 300 + "1", "characters"),
        ("-" * 250 + "1", "too complex"),
        ("max()", "argument"),
        ("round(2.5, x=1)", "positional"),
    ],
)
@pytest.mark.timeout(10)  # refused before evaluating: evaluated, the bombs among these would run for hours
def test_calculate_rejects(expression: str, message: str) -> None:
    with pytest.raises(ToolError, match=message):
        calculate(CalculateArgs(expression=expression), NO_MATERIALS)


@pytest.mark.parametrize(
    ("value", "source", "target", "display", "dimension"),
    [
        (10, "km", "miles", "6.213711922", "length"),
        (5, "ft", "cm", "152.4", "length"),
        (100, "F", "C", "37.77777778", "temperature"),
        (0, "°C", "K", "273.15", "temperature"),
        (-40, "celsius", "fahrenheit", "-40", "temperature"),
        (1, "kg", "lb", "2.204622622", "mass"),
        (1, "gallon", "l", "3.785411784", "volume"),
        (2, "h", "min", "120", "time"),
        (60, "mph", "km/h", "96.56064", "speed"),
        (1, "acre", "sq ft", "43560", "area"),
        (1, "km2", "ha", "100", "area"),
        (1, "GiB", "MB", "1073.741824", "data"),
        (8, "Mb", "MB", "1", "data"),
        (100, "Mbps", "MB/s", "12.5", "data/time"),
    ],
)
def test_convert_units(value: float, source: str, target: str, display: str, dimension: str) -> None:
    result = convert_units(ConvertArgs(value=value, from_unit=source, to_unit=target), NO_MATERIALS)
    assert isinstance(result.data, dict)
    assert (result.data["display"], result.data["dimension"]) == (display, dimension)


@pytest.mark.parametrize(
    ("source", "target", "also"),
    [("l", "gallons", "in imperial gallons: 2.199692483 imp gal"), ("gallon", "l", "10 imperial gallons = 45.4609 l")],
)
def test_a_gallon_not_said_to_be_us_gives_the_imperial_figure_too(source: str, target: str, also: str) -> None:
    value = 10
    assert also in convert_units(ConvertArgs(value=value, from_unit=source, to_unit=target), NO_MATERIALS).text
    said_us = convert_units(ConvertArgs(value=value, from_unit="l", to_unit="US gallons"), NO_MATERIALS)
    assert "imperial" not in said_us.text


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("blorps", "km", "unknown unit 'blorps'"),
        ("km", "parsecs-ish", "unknown unit"),
        ("kg", "m", "different things"),
        ("C", "km", "different things"),
    ],
)
def test_convert_units_rejects(source: str, target: str, message: str) -> None:
    with pytest.raises(ToolError, match=message):
        convert_units(ConvertArgs(value=1, from_unit=source, to_unit=target), NO_MATERIALS)


def test_below_absolute_zero() -> None:
    with pytest.raises(ToolError, match="absolute zero"):
        convert_units(ConvertArgs(value=-500, from_unit="F", to_unit="K"), NO_MATERIALS)


def test_statistics_of_given_numbers() -> None:
    result = describe_numbers(StatisticsArgs(numbers=[4, 8, 15, 16, 23, 42]), NO_MATERIALS)
    data = result.data
    assert isinstance(data, dict)
    assert (data["count"], data["sum"], data["mean"], data["median"]) == (6, 108, 18, 15.5)
    assert (data["min"], data["max"], data["range"], data["modes"]) == (4, 42, 38, [])
    assert data["sample_variance"] == pytest.approx(182)
    assert data["population_variance"] == pytest.approx(151.6666667)
    assert (data["q1"], data["q3"]) == (9.75, 21.25)
    assert "| Mean | 18 |" in result.text


@pytest.mark.parametrize(
    ("material", "count", "mean"),
    [
        (Material(source="s1", data=[1, 2, 3, 4]), 4, 2.5),
        (Material(source="s1", data={"values": [10, 20], "label": "x"}), 2, 15),
        (Material(source="f", text="[5, 7, 9]", media_type="application/json"), 3, 7),
        (Material(source="f", text="Sales were 1,200 in Q1 and 1,800 in Q2."), 2, 1500),
    ],
)
def test_statistics_of_materials(material: Material, count: int, mean: float) -> None:
    result = describe_numbers(StatisticsArgs(), ToolContext(materials=(material,)))
    assert isinstance(result.data, dict)
    assert (result.data["count"], result.data["mean"]) == (count, mean)


@pytest.mark.parametrize(
    ("args", "context", "message"),
    [
        (StatisticsArgs(numbers=[3]), NO_MATERIALS, "at least 2"),
        (StatisticsArgs(), NO_MATERIALS, "no numbers"),
        (StatisticsArgs(), ToolContext(materials=(Material(source="s1", text="no digits here"),)), "no numbers"),
        (StatisticsArgs(numbers=[1, float("inf")]), NO_MATERIALS, "finite"),
    ],
)
def test_statistics_rejects(args: BaseModel, context: ToolContext, message: str) -> None:
    assert isinstance(args, StatisticsArgs)
    with pytest.raises(ToolError, match=message):
        describe_numbers(args, context)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("4, 8, 15, 16", [4, 8, 15, 16]),
        ("subtask s1 has -3.5 and +2 and .5", [-3.5, 2, 0.5]),
        ("on 2024-01-02 we sold 1,234 units", [1234]),
        ("1e3 and 2E-1", [1000, 0.2]),
    ],
)
def test_numbers_in_text(text: str, numbers: list[float]) -> None:
    assert numbers_in_text(text) == numbers
