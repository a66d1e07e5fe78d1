"""Reading calculations written in prose: words to operators, and the expression or conversion found."""

from __future__ import annotations

import pytest

from agents.calculator.parsing import find_conversion, find_expression, looks_tabular, request_head
from agents.calculator.prose import rewrite


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("add five and three", "5 + 3"),
        ("twenty-five plus seventeen", "25 + 17"),
        ("two thousand five hundred and twelve times 2", "2512 * 2"),
        ("one hundred and five", "105"),
        ("five five", "5 5"),
        ("half of 90", "90 / 2"),
        ("a third of 99", "99 / 3"),
        ("double 45", "2 * 45"),
        ("what percent of 80 is 20", "20 / 80 * 100"),
        ("20 is what percentage of 80", "20 / 80 * 100"),
        ("30 as a percentage of 120", "30 / 120 * 100"),
        ("divide 1,250 by 8", "1250 / 8"),
        ("subtract 4 from 10", "10 - 4"),
        ("multiply 12 by 12", "12 * 12"),
        ("the product of 6 and 7", "6 * 7"),
        ("the difference between 10 and 3", "10 - 3"),
        ("2 to the 16th power", "2 ** 16"),
        ("12 squared plus 7", "12 ** 2 + 7"),
        ("the square of 9", "9 ** 2"),
        ("3 x 4", "3 * 4"),
        ("5!", "factorial(5)"),
        ("7 factorial", "factorial(7)"),
        ("(2+3)*4 and then divide by 5", "((2+3)*4) / 5"),
        ("take 100, add 20, then divide by 4", "take (100 + 20) / 4"),
        ("multiply 6 by 7 and then add 1", "(6 * 7) + 1"),
        ("3 to the 4th", "3 ** 4"),
        ("round 3.14159 to 2 decimals", "round(3.14159, 2)"),
        ("add a summary", "add a summary"),  # an operation word with no numbers is left alone
    ],
)
def test_rewrite(text: str, rewritten: str) -> None:
    assert rewrite(text) == rewritten


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("How much is 1250 divided by 8?", "1250 / 8"),
        ("What is 15% of 240", "15 / 100 * 240"),
        ("what is 20 percent of 80", "20 / 100 * 80"),
        ("what is 2 to the power of 16?", "2 ** 16"),
        ("What is (17.5*4)+2**10-33?", "(17.5 * 4) + 2 ** 10 - 33"),
        ("the square root of 144", "sqrt(144)"),
        ("what's 3 times 7 minus 4", "3 * 7 - 4"),
        ("1,250 / 8", "1250 / 8"),
        ("half of 90", "90 / 2"),
        ("Wie viel ist 17 * 23?", "17 * 23"),
        ("Combien font 6 × 7 ?", "6 * 7"),
        ("What is five times three?", "5 * 3"),
        ("What is -5 + 3?", "-5 + 3"),  # the sign stays on its number: no "- 5" list item in Markdown
        ("what is 2 * -3?", "2 * -3"),
        ("max(4, 2, 9) + min(1,5)", "max(4, 2, 9) + min(1, 5)"),
        ("(-8) ** (1/3)", "(-8) ** (1 / 3)"),
        ("Summarize 12 apples and 3 pears", None),
        ("which one is bigger", None),
    ],
)
def test_find_expression(text: str, expression: str | None) -> None:
    assert find_expression(text) == expression


@pytest.mark.parametrize(
    ("text", "value", "source", "target"),
    [
        ("How many pounds is 68 kg?", 68, "kg", "pounds"),
        ("how many kilograms are 5 pounds", 5, "pounds", "kilograms"),
        ("How many cm in 5 ft?", 5, "ft", "cm"),
        ("How many seconds are in a day?", 1, "day", "seconds"),
        ("How many feet are in a mile?", 1, "mile", "feet"),
        ("Convert 72 degrees Fahrenheit to Celsius", 72, "degrees Fahrenheit", "Celsius"),
        ("Convert 5 pounds to kilograms", 5, "pounds", "kilograms"),
        ("68 kg to lbs", 68, "kg", "lbs"),
        ("What is 100°F in Celsius?", 100, "°F", "Celsius"),
        ("How many square feet is 50 square meters?", 50, "square meters", "square feet"),
        ("the number of centimeters in 6 feet", 6, "feet", "centimeters"),
        ("I ran 10 km this morning. How far is that in miles?", 10, "km", "miles"),
    ],
)
def test_find_conversion(text: str, value: float, source: str, target: str) -> None:
    conversion = find_conversion(text)
    assert conversion is not None and conversion.known
    assert (conversion.value, conversion.source, conversion.target) == (value, source, target)


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("summarize this text: 12 apples and 3 pears", "summarize this text"),
        ('What is the sentiment of "5 stars"', "What is the sentiment of "),
        ("What's 3 times 7?", "What's 3 times 7?"),  # an apostrophe is not a quote
    ],
)
def test_request_head(text: str, head: str) -> None:
    assert request_head(text) == head


@pytest.mark.parametrize(
    ("text", "tabular"),
    [
        ("Which region sold the most?\nregion,revenue\nNorth,1200\nSouth,950", True),
        ('Total revenue? [{"region": "North", "revenue": 100}]', True),
        ("Average salary?\n| name | salary |\n|---|---|\n| Ada | 5200 |", True),
        ("Give me summary statistics for: 12.5, 7, 9.25, 7, 30, 18", False),
        ("Find the mean of:\n3, 4, 5\n6, 7, 8", False),
        ("Convert 10 km to miles, then 5 ft to cm", False),
    ],
)
def test_looks_tabular(text: str, tabular: bool) -> None:
    assert looks_tabular(text) is tabular
