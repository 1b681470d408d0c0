"""The op table: every operation the engine knows, defined once.

Each `Op` pairs a forward rule (the inputs' data -> the output's data) with its
local derivative (the output's data and the inputs' data -> one partial
derivative per input).  The engine (`Value`), the backward pass, the tests
(every op is checked against central differences automatically), the graph
renderer (op symbols, the slides' "gates") and the graph replayer all read
this one table, so a new op is added here and nowhere else.

Forward rules raise the way Python's `math` module does, naming the op and its
operands, instead of returning a complex number, an infinity or a NaN.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Derivative = Callable[..., Sequence[float]]


@dataclass(frozen=True, eq=False)
class Op:
    """One differentiable operation: its value and its local derivative.

    Attributes:
        name: identifier used in reprs, error messages and `OPS`.
        symbol: the gate label the renderer draws (the slides' notation).
        arity: number of inputs, or ``None`` for n-ary ops (sum, dot).
        forward: ``forward(*inputs) -> output`` on plain floats.
        derivative: ``derivative(output, *inputs) -> partials``, one partial
            per input, on plain floats.
        domain: for each input, an interval ``(low, high)`` where the op is
            smooth; the tests sample inputs from it.
        constant_args: how many trailing inputs are constants the op is not
            differentiated against (the exponent of ``x ** 2``).
    """

    name: str
    symbol: str
    arity: int | None
    forward: Callable[..., float]
    derivative: Derivative
    domain: tuple[tuple[float, float], ...] = ()
    constant_args: int = 0

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _fmt(*xs: float) -> str:
    return ", ".join(repr(x) for x in xs)


# --- forward rules that need a domain check -------------------------------


def _div(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"div: division by zero in {a!r} / {b!r}")
    return a / b


def _pow_const(a: float, n: float) -> float:
    if a == 0.0 and n < 0:
        raise ZeroDivisionError(f"pow: zero to a negative power in {a!r} ** {n!r}")
    if a < 0.0 and not float(n).is_integer():
        # Python would silently return a complex number here.
        raise ValueError(
            f"pow: math domain error in {a!r} ** {n!r}: a negative base needs an integer exponent"
        )
    try:
        return float(a**n)
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {n!r}") from None


def _pow_value(a: float, b: float) -> float:
    if a <= 0.0:
        raise ValueError(
            f"pow: math domain error in {a!r} ** {b!r}: Value ** Value needs a positive base"
        )
    try:
        return a**b
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {b!r}") from None


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(f"exp: result too large in exp({a!r})") from None


def _log(a: float) -> float:
    if a <= 0.0:
        raise ValueError(f"log: math domain error in log({a!r}): needs a positive argument")
    return math.log(a)


def _sqrt(a: float) -> float:
    if a < 0.0:
        raise ValueError(f"sqrt: math domain error in sqrt({a!r}): needs a non-negative argument")
    return math.sqrt(a)


def _sigmoid(a: float) -> float:
    # Two branches so that exp never overflows: sigmoid(+-1000) saturates to 1.0 / 0.0.
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _pow_const_derivative(out: float, a: float, n: float) -> tuple[float, float]:
    if n == 0.0:
        return (0.0, 0.0)
    if a == 0.0 and n < 1.0:
        raise ZeroDivisionError(f"pow: derivative of {a!r} ** {n!r} is infinite at zero")
    return (n * a ** (n - 1.0), 0.0)


def _pow_value_derivative(out: float, a: float, b: float) -> tuple[float, float]:
    return (b * a ** (b - 1.0), out * math.log(a))


def _sqrt_derivative(out: float, a: float) -> tuple[float]:
    if out == 0.0:
        raise ZeroDivisionError("sqrt: derivative of sqrt(0.0) is infinite")
    return (0.5 / out,)


def _dot(*xs: float) -> float:
    n = len(xs) // 2
    return sum(map(operator.mul, xs[:n], xs[n:]))


def _dot_derivative(out: float, *xs: float) -> Sequence[float]:
    # d(sum w_i x_i)/dw_i = x_i and /dx_i = w_i: the two halves swap.
    n = len(xs) // 2
    return xs[n:] + xs[:n]


def _ones(out: float, *xs: float) -> Sequence[float]:
    return (1.0,) * len(xs)


_WIDE = (-3.0, 3.0)
_POSITIVE = (0.1, 4.0)

ADD = Op("add", "+", 2, lambda a, b: a + b, lambda out, a, b: (1.0, 1.0), (_WIDE, _WIDE))
SUB = Op("sub", "−", 2, lambda a, b: a - b, lambda out, a, b: (1.0, -1.0), (_WIDE, _WIDE))
MUL = Op("mul", "×", 2, lambda a, b: a * b, lambda out, a, b: (b, a), (_WIDE, _WIDE))
DIV = Op("div", "÷", 2, _div, lambda out, a, b: (1.0 / b, -out / b), (_WIDE, (0.5, 3.0)))
NEG = Op("neg", "−", 1, lambda a: -a, lambda out, a: (-1.0,), (_WIDE,))
POW = Op("pow", "^", 2, _pow_const, _pow_const_derivative, (_POSITIVE, (-2.0, 3.0)), constant_args=1)
POW_VALUE = Op("pow_value", "^", 2, _pow_value, _pow_value_derivative, (_POSITIVE, (-2.0, 2.0)))
EXP = Op("exp", "exp", 1, _exp, lambda out, a: (out,), (_WIDE,))
LOG = Op("log", "log", 1, _log, lambda out, a: (1.0 / a,), (_POSITIVE,))
SQRT = Op("sqrt", "√", 1, _sqrt, _sqrt_derivative, (_POSITIVE,))
TANH = Op("tanh", "tanh", 1, math.tanh, lambda out, a: (1.0 - out * out,), (_WIDE,))
SIGMOID = Op("sigmoid", "σ", 1, _sigmoid, lambda out, a: (out * (1.0 - out),), (_WIDE,))
RELU = Op(
    "relu",
    "ReLU",
    1,
    lambda a: a if a > 0.0 else 0.0,
    lambda out, a: (1.0 if a > 0.0 else 0.0,),
    ((0.1, 3.0),),
)
ABS = Op(
    "abs",
    "|x|",
    1,
    abs,
    # The subgradient at 0 is 0, as in PyTorch.
    lambda out, a: (1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0,),
    ((0.1, 3.0),),
)
SUM = Op("sum", "Σ", None, lambda *xs: sum(xs), _ones, (_WIDE,))
DOT = Op("dot", "w·x", None, _dot, _dot_derivative, (_WIDE,))

#: Every op by name: the single source the engine, tests, renderer and replayer read.
OPS: dict[str, Op] = {
    op.name: op
    for op in (ADD, SUB, MUL, DIV, NEG, POW, POW_VALUE, EXP, LOG, SQRT, TANH, SIGMOID, RELU, ABS, SUM, DOT)
}

__all__ = ["Op", "OPS"] + [name.upper() for name in OPS]

#: Marks a leaf that the engine made from a plain number (the ``2`` in ``x * 2``),
#: so the renderer can draw it as a constant rather than as an input. Not in `OPS`:
#: a constant has no inputs and nothing to differentiate.
CONSTANT = Op("constant", "", 0, lambda: 0.0, lambda out: ())
