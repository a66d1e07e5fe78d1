"""A safe arithmetic evaluator: `ast` parsing plus a whitelist walk, never `eval`.

Contract of `evaluate(text)`: returns an `int` (exact integer arithmetic where every step is an integer) or
a finite `float`, or raises `ToolError` with a readable reason. Accepted: numeric literals, `+ - * / // % **`,
unary `+`/`-`, parentheses, the functions in `FUNCTIONS` and the constants in `CONSTANTS`. Everything is
bounded *before* it is computed (expression length, node count, the magnitude of every integer and of every
power, estimated through log10), so inputs such as `9**9**9**9` fail in microseconds instead of hanging.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from agents.runtime.tools import ToolError

from .formatting import brief_number

Number = int | float

MAX_CHARS = 500
MAX_NODES = 200
MAX_EXPONENT = 1000
MAX_LOG10 = 1000.0  # no result (or intermediate) may reach 10**1000
MAX_FACTORIAL = 449  # 449! is about 10**997
_MAX_BITS = int(MAX_LOG10 * math.log2(10))

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e, "tau": math.tau}

_REPLACEMENTS = {"^": "**", "×": "*", "÷": "/", "−": "-", "–": "-", "·": "*"}


def _log10_abs(x: Number) -> float:
    """log10 of |x| for any non-zero int or float; huge ints are fine (math.log10 never floats them)."""
    return math.log10(abs(x))


def _checked(x: Number) -> Number:
    """`x` if it is finite and within the magnitude bound, else `ToolError`."""
    if isinstance(x, float):
        if math.isnan(x):
            raise ToolError("the result is undefined (not a number)")
        if math.isinf(x):
            raise ToolError("the result is too large to represent")
    elif x.bit_length() > _MAX_BITS:
        raise ToolError(f"the result has more than {int(MAX_LOG10)} digits; this calculator stops there")
    return x


def _power(base: Number, exponent: Number) -> Number:
    if abs(exponent) > MAX_EXPONENT:
        raise ToolError(
            f"exponent {brief_number(exponent)} is too large (the limit is {MAX_EXPONENT} in absolute value)"
        )
    if base == 0:
        if exponent < 0:
            raise ToolError("division by zero: 0 cannot be raised to a negative power")
        return 0 if isinstance(base, int) and isinstance(exponent, int) else 0.0
    if base < 0 and not float(exponent).is_integer():
        raise ToolError("a negative number raised to a fractional power has no real result")
    magnitude = exponent * _log10_abs(base)
    if abs(magnitude) > MAX_LOG10:
        shown = f"{brief_number(base)} ** {brief_number(exponent)}"
        raise ToolError(f"the result of {shown} would have more than {int(MAX_LOG10)} digits")
    if isinstance(base, int) and isinstance(exponent, int):
        exact: int = base ** abs(exponent)
        return exact if exponent >= 0 else _divide(1, exact)
    if magnitude > 308:
        raise ToolError(f"{brief_number(base)} ** {brief_number(exponent)} is too large for a non-integer result")
    result: float = float(base) ** float(exponent)
    return result


def _multiply(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > _MAX_BITS + 1:
        raise ToolError(f"the product would have more than {int(MAX_LOG10)} digits")
    return a * b


def _divide(a: Number, b: Number) -> Number:
    if b == 0:
        raise ToolError("division by zero")
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return a / b


def _floor_divide(a: Number, b: Number) -> Number:
    if b == 0:
        raise ToolError("division by zero (in //)")
    return a // b


def _modulo(a: Number, b: Number) -> Number:
    if b == 0:
        raise ToolError("division by zero (in %)")
    return a % b


_BINARY: dict[type[ast.operator], Callable[[Number, Number], Number]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: _multiply,
    ast.Div: _divide,
    ast.FloorDiv: _floor_divide,
    ast.Mod: _modulo,
    ast.Pow: _power,
}


def _positive(name: str, x: Number) -> None:
    if x <= 0:
        raise ToolError(f"{name} is only defined for positive numbers (got {brief_number(x)})")


def _sqrt(x: Number) -> Number:
    if x < 0:
        raise ToolError(f"square root of a negative number ({brief_number(x)}) has no real result")
    if isinstance(x, int):
        root = math.isqrt(x)
        return root if root * root == x else math.sqrt(x)
    return math.sqrt(x)


def _log(x: Number, base: Number = 10) -> float:
    """log(x) is the base-10 logarithm; log(x, b) uses base b."""
    _positive("log", x)
    if base <= 0 or base == 1:
        raise ToolError(f"log base must be positive and not 1 (got {brief_number(base)})")
    return math.log(x, base) if base != 10 else math.log10(x)


def _ln(x: Number) -> float:
    _positive("ln", x)
    return math.log(x)


def _exp(x: Number) -> float:
    if x > 709:  # math.exp overflows a float just above 709.78
        raise ToolError(f"exp({brief_number(x)}) is too large to represent")
    return math.exp(x)


def _factorial(x: Number) -> int:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    if not isinstance(x, int) or x < 0:
        raise ToolError(f"factorial needs a non-negative whole number (got {brief_number(x)})")
    if x > MAX_FACTORIAL:
        raise ToolError(f"factorial({x}) would have more than {int(MAX_LOG10)} digits (limit {MAX_FACTORIAL})")
    return math.factorial(x)


def _round(x: Number, digits: Number = 0) -> Number:
    """Rounding as people do it, halves away from zero (round(2.5) is 3, not Python's banker's 2), computed
    on the decimal digits shown (round(2.675, 2) is 2.68)."""
    if not float(digits).is_integer() or abs(digits) > 100:
        raise ToolError("round needs a whole number of digits between -100 and 100")
    places = int(digits)
    if isinstance(x, int) and places >= 0:
        return x
    with localcontext() as context:
        context.prec = int(MAX_LOG10) + 120  # enough digits for any bounded value and any allowed place
        rounded = Decimal(repr(x) if isinstance(x, float) else x).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    return int(rounded) if places <= 0 else float(rounded)


def _extreme(pick: Callable[..., Number]) -> Callable[..., Number]:
    def choose(*values: Number) -> Number:
        if not values:
            raise ToolError("min and max need at least one argument")
        return pick(values)

    return choose


def _trig(fn: Callable[[float], float]) -> Callable[[Number], float]:
    def apply(x: Number) -> float:
        try:
            return fn(float(x))
        except (OverflowError, ValueError):
            raise ToolError(f"{fn.__name__} is not defined for {brief_number(x)}") from None

    return apply


FUNCTIONS: dict[str, tuple[Callable[..., Number], int, int]] = {  # name -> (function, min args, max args)
    "sqrt": (_sqrt, 1, 1),
    "abs": (abs, 1, 1),
    "round": (_round, 1, 2),
    "min": (_extreme(min), 1, 50),
    "max": (_extreme(max), 1, 50),
    "log": (_log, 1, 2),
    "ln": (_ln, 1, 1),
    "exp": (_exp, 1, 1),
    "sin": (_trig(math.sin), 1, 1),
    "cos": (_trig(math.cos), 1, 1),
    "tan": (_trig(math.tan), 1, 1),
    "floor": (math.floor, 1, 1),
    "ceil": (math.ceil, 1, 1),
    "factorial": (_factorial, 1, 1),
}


def normalize(text: str) -> str:
    """The expression with common notations rewritten (`^` -> `**`, `×` -> `*`, `÷` -> `/`)."""
    for old, new in _REPLACEMENTS.items():
        text = text.replace(old, new)
    return text.strip()


def parse(text: str) -> ast.expr:
    """The checked syntax tree of `text`; raises `ToolError` for anything outside the whitelist."""
    if not text.strip():
        raise ToolError("the expression is empty")
    if len(text) > MAX_CHARS:
        raise ToolError(f"the expression is {len(text)} characters long; the limit is {MAX_CHARS}")
    try:
        tree = ast.parse(normalize(text), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise ToolError(f"{text!r} is not a valid arithmetic expression") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise ToolError(f"the expression is too complex ({len(nodes)} syntax nodes; the limit is {MAX_NODES})")
    return tree.body


def evaluate(text: str) -> Number:
    """The value of the arithmetic expression `text` (see the module docstring for the contract)."""
    try:
        return _checked(_eval(parse(text)))
    except OverflowError:
        raise ToolError(f"the result of {text!r} is too large to represent") from None
    except (ZeroDivisionError, ValueError) as exc:
        raise ToolError(f"cannot evaluate {text!r}: {exc}") from None


def _eval(node: ast.expr) -> Number:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ToolError(f"only numbers are allowed, not {node.value!r}")
        return _checked(node.value)
    if isinstance(node, ast.Name):
        if node.id not in CONSTANTS:
            raise ToolError(f"unknown name {node.id!r}; known constants: {', '.join(CONSTANTS)}")
        return CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        value = _eval(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        return _checked(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.Call):
        return _call(node)
    raise ToolError(f"{type(node).__name__} is not allowed; use numbers, + - * / // % **, and functions")


def _call(node: ast.Call) -> Number:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        raise ToolError(f"unknown function {name!r}; available: {', '.join(FUNCTIONS)}")
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise ToolError(f"{node.func.id} takes plain positional arguments only")
    fn, low, high = FUNCTIONS[node.func.id]
    if not low <= len(node.args) <= high:
        expected = str(low) if low == high else f"{low} to {high}"
        raise ToolError(f"{node.func.id} takes {expected} argument(s), got {len(node.args)}")
    return _checked(fn(*(_eval(a) for a in node.args)))
