"""Units of measure and conversion between them.

A unit maps a value to its dimension's base unit by `base = value * factor + offset` (the offset is non-zero
only for temperatures, which are affine). Besides the table, `find_unit` understands derived spellings:
powers of lengths ("sq ft", "square miles", "km2", "m³", "cubic feet") and rates ("km/h", "miles per hour",
"MB/s"). Plurals ("miles", "inches") fall back to their singular. Lookup is case-sensitive first ("Mb" is a
megabit, "MB" a megabyte), then case-insensitive.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from agents.runtime.tools import ToolError


@dataclass(frozen=True)
class Unit:
    symbol: str
    name: str
    dimension: str
    factor: float
    offset: float = 0.0


# (symbol, name, dimension, factor to the base unit, other spellings); base units: m, kg, m³, s, m/s, m², byte, K
_TABLE: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    ("m", "metre", "length", 1.0, ("meter", "metre")),
    ("km", "kilometre", "length", 1e3, ("kilometer", "kilometre", "kms")),
    ("cm", "centimetre", "length", 1e-2, ("centimeter", "centimetre")),
    ("mm", "millimetre", "length", 1e-3, ("millimeter", "millimetre")),
    ("µm", "micrometre", "length", 1e-6, ("um", "micrometer", "micrometre", "micron")),
    ("nm", "nanometre", "length", 1e-9, ("nanometer", "nanometre")),
    ("in", "inch", "length", 0.0254, ("inch", "inches", '"')),
    ("ft", "foot", "length", 0.3048, ("foot", "feet", "'")),
    ("yd", "yard", "length", 0.9144, ("yard",)),
    ("mi", "mile", "length", 1609.344, ("mile", "statute mile")),
    ("nmi", "nautical mile", "length", 1852.0, ("nautical mile",)),
    ("kg", "kilogram", "mass", 1.0, ("kilogram", "kilogramme", "kilo")),
    ("g", "gram", "mass", 1e-3, ("gram", "gramme")),
    ("mg", "milligram", "mass", 1e-6, ("milligram",)),
    ("µg", "microgram", "mass", 1e-9, ("ug", "mcg", "microgram")),
    ("t", "tonne", "mass", 1e3, ("tonne", "metric ton", "metric tonne")),
    ("lb", "pound", "mass", 0.45359237, ("pound", "lbs")),
    ("oz", "ounce", "mass", 0.028349523125, ("ounce",)),
    ("st", "stone", "mass", 6.35029318, ("stone",)),
    ("ton", "short ton", "mass", 907.18474, ("short ton", "us ton")),
    ("long ton", "long ton", "mass", 1016.0469088, ("imperial ton", "uk ton")),
    ("l", "litre", "volume", 1e-3, ("L", "liter", "litre", "ltr")),
    ("ml", "millilitre", "volume", 1e-6, ("mL", "milliliter", "millilitre", "cc")),
    ("cl", "centilitre", "volume", 1e-5, ("cL", "centiliter", "centilitre")),
    ("dl", "decilitre", "volume", 1e-4, ("dL", "deciliter", "decilitre")),
    ("tsp", "teaspoon", "volume", 4.92892159375e-6, ("teaspoon",)),
    ("tbsp", "tablespoon", "volume", 14.78676478125e-6, ("tablespoon",)),
    ("fl oz", "US fluid ounce", "volume", 29.5735295625e-6, ("fluid ounce", "floz", "fl. oz")),
    ("cup", "US cup", "volume", 236.5882365e-6, ("cup",)),
    ("pt", "US pint", "volume", 473.176473e-6, ("pint",)),
    ("qt", "US quart", "volume", 946.352946e-6, ("quart",)),
    ("gal", "US gallon", "volume", 3.785411784e-3, ("gallon", "us gallon")),
    ("imp gal", "imperial gallon", "volume", 4.54609e-3, ("imperial gallon", "uk gallon")),
    ("s", "second", "time", 1.0, ("sec", "second", "secs")),
    ("ms", "millisecond", "time", 1e-3, ("millisecond", "msec")),
    ("µs", "microsecond", "time", 1e-6, ("us", "microsecond")),
    ("ns", "nanosecond", "time", 1e-9, ("nanosecond",)),
    ("min", "minute", "time", 60.0, ("minute", "mins")),
    ("h", "hour", "time", 3600.0, ("hour", "hr", "hrs")),
    ("d", "day", "time", 86400.0, ("day",)),
    ("wk", "week", "time", 604800.0, ("week",)),
    ("mo", "month", "time", 2629746.0, ("month",)),  # 1/12 of a Gregorian year
    ("yr", "year", "time", 31556952.0, ("year", "y")),  # Gregorian year, 365.2425 days
    ("kn", "knot", "speed", 1852.0 / 3600.0, ("knot", "kt", "kts")),
    ("mph", "mile per hour", "speed", 1609.344 / 3600.0, ()),
    ("kph", "kilometre per hour", "speed", 1000.0 / 3600.0, ("kmh", "kmph")),
    ("mps", "metre per second", "speed", 1.0, ()),
    ("fps", "foot per second", "speed", 0.3048, ()),
    ("ha", "hectare", "area", 1e4, ("hectare",)),
    ("acre", "acre", "area", 4046.8564224, ("acre", "ac")),
    ("B", "byte", "data", 1.0, ("byte", "bytes")),
    ("kB", "kilobyte", "data", 1e3, ("KB", "kilobyte")),
    ("MB", "megabyte", "data", 1e6, ("megabyte",)),
    ("GB", "gigabyte", "data", 1e9, ("gigabyte",)),
    ("TB", "terabyte", "data", 1e12, ("terabyte",)),
    ("PB", "petabyte", "data", 1e15, ("petabyte",)),
    ("KiB", "kibibyte", "data", 1024.0, ("kibibyte",)),
    ("MiB", "mebibyte", "data", 1024.0**2, ("mebibyte",)),
    ("GiB", "gibibyte", "data", 1024.0**3, ("gibibyte",)),
    ("TiB", "tebibyte", "data", 1024.0**4, ("tebibyte",)),
    ("bit", "bit", "data", 0.125, ("b", "bits")),
    ("kbit", "kilobit", "data", 125.0, ("kb", "Kb", "kilobit")),
    ("Mbit", "megabit", "data", 125e3, ("Mb", "megabit")),
    ("Gbit", "gigabit", "data", 125e6, ("Gb", "gigabit")),
    ("Mbps", "megabit per second", "data/time", 125e3, ("mbps",)),
    ("Gbps", "gigabit per second", "data/time", 125e6, ("gbps",)),
    ("°C", "degree Celsius", "temperature", 1.0, ("C", "celsius", "centigrade", "degc")),
    ("°F", "degree Fahrenheit", "temperature", 5 / 9, ("F", "fahrenheit", "degf")),
    ("K", "kelvin", "temperature", 1.0, ("kelvin", "kelvins")),
    ("°R", "degree Rankine", "temperature", 5 / 9, ("R", "rankine")),
)
_OFFSETS = {"°C": 273.15, "°F": 273.15 - 32 * 5 / 9}

_EXACT: dict[str, Unit] = {}
_FOLDED: dict[str, Unit] = {}
for _symbol, _name, _dimension, _factor, _aliases in _TABLE:
    _unit = Unit(_symbol, _name, _dimension, _factor, _OFFSETS.get(_symbol, 0.0))
    for _alias in (_symbol, _name, *_aliases):
        _EXACT.setdefault(_alias, _unit)
        _FOLDED.setdefault(_alias.lower(), _unit)

_POWER = re.compile(
    r"^(?:(?P<word>square|sq\.?|cubic|cu\.?)\s+(?P<a>.+)|(?P<b>.+?)\s*(?:\^?(?P<n>[23])|(?P<sup>[²³])))$"
)
_RATE = re.compile(r"^(?P<num>.+?)\s*(?:/|\bper\b)\s*(?P<den>.+)$")
_DEGREES = re.compile(r"^(?:degrees?|deg\.?)\s+|°\s*", re.IGNORECASE)


def _lookup(text: str) -> Unit | None:
    """A unit from the table by its spelling, plural forms included."""
    for candidate in (text, text.removesuffix("es"), text.removesuffix("s")):
        if not candidate:
            continue
        unit = _EXACT.get(candidate) or _FOLDED.get(candidate.lower())
        if unit is not None:
            return unit
    return None


def _derived(text: str) -> Unit | None:
    """Powers of lengths and rates per unit of time, built from their parts."""
    power = _POWER.match(text)
    if power:
        base_text = power["a"] or power["b"]
        word = (power["word"] or "").lower()
        n = 3 if word.startswith("cu") or power["n"] == "3" or power["sup"] == "³" else 2
        base = find_unit_or_none(base_text.removesuffix(" squared"))
        if base is not None and base.dimension == "length":
            return Unit(
                f"{base.symbol}{'²' if n == 2 else '³'}",
                f"{'square' if n == 2 else 'cubic'} {base.name}",
                "area" if n == 2 else "volume",
                base.factor**n,
            )
    rate = _RATE.match(text)
    if rate:
        num, den = find_unit_or_none(rate["num"]), find_unit_or_none(rate["den"])
        if num is not None and den is not None and den.dimension == "time" and not num.offset:
            dimension = "speed" if num.dimension == "length" else f"{num.dimension}/time"
            return Unit(f"{num.symbol}/{den.symbol}", f"{num.name} per {den.name}", dimension, num.factor / den.factor)
    return None


def find_unit_or_none(text: str) -> Unit | None:
    """The unit spelled `text`, or None when it is not known."""
    cleaned = " ".join(text.strip().rstrip(".?!,;").split())
    if not cleaned or len(cleaned) > 40:
        return None
    without_degrees = _DEGREES.sub("", cleaned)
    if without_degrees != cleaned:
        return _lookup(without_degrees) or _lookup(cleaned)
    if cleaned.lower().endswith(" squared"):
        cleaned = cleaned[: -len(" squared")] + "2"
    return _lookup(cleaned) or _derived(cleaned)


def find_unit(text: str) -> Unit:
    """The unit spelled `text`; raises `ToolError` naming the unknown unit."""
    unit = find_unit_or_none(text)
    if unit is None:
        raise ToolError(
            f"unknown unit {text.strip()!r}; known kinds: length, mass, volume, time, speed, area, data size "
            "and temperature (e.g. km, lb, gal, h, mph, sq ft, GB, °F)"
        )
    return unit


def convert(value: float, source: Unit, target: Unit) -> float:
    """`value` in `source` expressed in `target`; raises `ToolError` for different dimensions."""
    if not math.isfinite(value):
        raise ToolError("the value to convert must be a finite number")
    if source.dimension != target.dimension:
        raise ToolError(
            f"cannot convert {source.symbol} ({source.dimension}) to {target.symbol} ({target.dimension}): "
            "they measure different things"
        )
    base = value * source.factor + source.offset
    if source.dimension == "temperature" and base < -1e-9:
        raise ToolError(f"{value:g} {source.symbol} is below absolute zero")
    return (base - target.offset) / target.factor
