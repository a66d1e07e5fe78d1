"""The calculator's tools: safe arithmetic, unit conversion and descriptive statistics.

Each tool is a pure function over typed arguments (and, for statistics, the task's materials) returning a
Markdown-ready text and JSON data, or raising `ToolError` with a reason a person can act on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from agents.runtime.tools import Tool, ToolContext, ToolError, ToolResult

from .describe import describe, numbers_in_json, numbers_in_material_text
from .expression import MAX_CHARS, evaluate, normalize
from .formatting import format_number, json_number
from .units import Unit, convert, find_unit

STAT_LABELS = {
    "count": "Count",
    "sum": "Sum",
    "mean": "Mean",
    "median": "Median",
    "modes": "Mode(s)",
    "min": "Minimum",
    "max": "Maximum",
    "range": "Range",
    "population_variance": "Variance (population)",
    "population_stdev": "Std. deviation (population)",
    "sample_variance": "Variance (sample)",
    "sample_stdev": "Std. deviation (sample)",
    "q1": "Q1 (25th percentile)",
    "q3": "Q3 (75th percentile)",
    "iqr": "Interquartile range",
}


class CalculateArgs(BaseModel):
    expression: str = Field(
        description=(
            f"An arithmetic expression (at most {MAX_CHARS} characters): numbers, + - * / // % ** (or ^), "
            "parentheses, functions sqrt abs round min max log (base 10; log(x, b) for base b) ln exp sin cos "
            "tan (radians) floor ceil factorial, constants pi e tau. Example: '(3 + 4) * sqrt(16) / 2'."
        )
    )


def calculate(args: CalculateArgs, _context: ToolContext) -> ToolResult:
    """Evaluate an expression exactly where possible; `ToolError` for invalid, unsafe or unbounded input."""
    value = evaluate(args.expression)
    shown = normalize(args.expression)
    display = format_number(value)
    return ToolResult(
        text=f"`{shown}` = **{display}**",
        data={"expression": shown, "result": json_number(value), "display": display},
    )


class ConvertArgs(BaseModel):
    value: float = Field(description="The number to convert, e.g. 10.")
    from_unit: str = Field(description="The unit of the value, e.g. 'km', 'miles', '°F', 'sq ft', 'km/h', 'GB'.")
    to_unit: str = Field(description="The unit to convert to, of the same kind (length, mass, temperature ...).")


def convert_units(args: ConvertArgs, _context: ToolContext) -> ToolResult:
    """Convert between units of one dimension (temperatures are affine); `ToolError` for unknown or mixed units."""
    source, target = find_unit(args.from_unit), find_unit(args.to_unit)
    result = convert(args.value, source, target)
    shown_in, shown_out = format_number(args.value), format_number(result, 10)
    text = f"{shown_in} {source.symbol} = **{shown_out} {target.symbol}** ({source.name} to {target.name})"
    return ToolResult(
        text=text + _imperial_too(args, source, target),
        data={
            "value": args.value,
            "from_unit": source.symbol,
            "to_unit": target.symbol,
            "dimension": source.dimension,
            "result": result,
            "display": shown_out,
        },
    )


def _imperial_too(args: ConvertArgs, source: Unit, target: Unit) -> str:
    """ "how many gallons is 190 litres": a gallon not said to be US may be the imperial one (in Britain, say),
    so the answer gives that figure too."""
    gallon = find_unit("gal")
    plain = [
        u for u, said in ((source, args.from_unit), (target, args.to_unit)) if u == gallon and "us" not in said.lower()
    ]
    if not plain:
        return ""
    imperial = find_unit("imp gal")
    if source == gallon:
        litres = format_number(convert(args.value, imperial, target), 10)
        return f"; {format_number(args.value)} imperial gallons = {litres} {target.symbol}"
    return f"; in imperial gallons: {format_number(convert(args.value, source, imperial), 10)} imp gal"


class StatisticsArgs(BaseModel):
    numbers: list[float] | None = Field(
        default=None,
        description=(
            "The numbers to analyse. Omit to use every number found in the attached materials "
            "(text, or JSON lists / objects of numbers)."
        ),
    )


def _material_numbers(context: ToolContext) -> tuple[list[float], str]:
    found: list[float] = []
    sources: list[str] = []
    for material in context.materials:
        if material.data is not None:
            numbers = numbers_in_json(material.data)
        else:
            numbers = numbers_in_material_text(material.as_text())
        if numbers:
            found.extend(numbers)
            sources.append(material.source)
    return found, ", ".join(sources)


def describe_numbers(args: StatisticsArgs, context: ToolContext) -> ToolResult:
    """Descriptive statistics of the given numbers, or of the numbers in the materials when none are given."""
    if args.numbers:
        values, source = args.numbers, "the request"
    else:
        values, source = _material_numbers(context)
        if not values:
            raise ToolError("no numbers to analyse: none were given and the attached materials contain none")
    stats = describe(values)
    rows = [f"| {STAT_LABELS[key]} | {_show(value)} |" for key, value in stats.items()]
    text = "\n".join(
        [f"Statistics of {len(values)} numbers from {source}:", "", "| Measure | Value |", "|---|---|", *rows]
    )
    return ToolResult(text=text, data={"source": source, **stats})


def _show(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(format_number(v, 10) for v in value) if value else "none (no value repeats)"
    return format_number(value, 10)


TOOLS: list[Tool[Any]] = [
    Tool("calculate", "Evaluate an arithmetic expression safely and exactly where possible.", CalculateArgs, calculate),
    Tool(
        "convert_units",
        "Convert a value between units of length, mass, volume, time, speed, area, data size or temperature.",
        ConvertArgs,
        convert_units,
    ),
    Tool(
        "describe_numbers",
        "Descriptive statistics (count, sum, mean, median, modes, min, max, range, "
        "population and sample variance and standard deviation, quartiles) of a list of numbers or of the "
        "numbers in the attached materials.",
        StatisticsArgs,
        describe_numbers,
    ),
]
