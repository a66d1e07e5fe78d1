"""How the calculator shows numbers: exact integers in full, floats to 12 significant digits."""

from __future__ import annotations

import math

SIGNIFICANT_DIGITS = 12


def format_number(x: int | float, digits: int = SIGNIFICANT_DIGITS) -> str:
    """`x` for people: ints exactly, whole floats without `.0`, other floats to `digits` significant digits."""
    if isinstance(x, bool):
        return str(int(x))
    if isinstance(x, int):
        return str(x)
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.{digits}g}"
    if "e" not in text and "." in text:
        return format_number(float(text), digits) if float(text).is_integer() else text
    return "0" if text == "-0" else text


def brief_number(x: int | float) -> str:
    """`x` in a short form for messages: huge integers become their digit count."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10**15:
        return f"a {len(str(abs(x)))}-digit number"
    return format_number(x)


def json_number(x: int | float) -> int | float | str:
    """`x` for JSON data parts: integers beyond 2**53 become strings (they travel as doubles otherwise)."""
    if isinstance(x, int) and abs(x) > 2**53:
        return str(x)
    return x
