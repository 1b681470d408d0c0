"""The op table: every operation the engine knows, defined once.

Each `Op` is written as two pieces of code: a forward expression (its value,
from inputs ``a``, ``b`` or ``x0 .. xn``) and one local-derivative expression
per input (which may also use ``out``, the op's value). From that single text:

- the engine (`Value`) and the backward pass call ``op.forward`` and
  ``op.derivative``, Python functions compiled from the expressions;
- the graph replayer (`autograd.replay`) pastes the same expressions into
  straight-line code, evaluated on floats or, in batch mode, on numpy arrays;
- the tests check every op against central differences over its ``domain``;
- the renderer draws each op as a gate labelled with its ``symbol``.

Expressions name helper functions (``exp``, ``log``, ``div`` ...) rather than
``math`` directly, so that the batch mode can swap in numpy versions. The
helpers raise the way Python's `math` does, naming the op and its operands,
instead of returning a complex number, an infinity or a NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

Derivative = Callable[..., Sequence[float]]
CodeForN = Callable[[int], str]


# --- helpers the expressions call (the scalar namespace) -------------------


def div(a: float, b: float) -> float:
    """a / b, refusing division by zero with the operands named."""
    if b == 0.0:
        raise ZeroDivisionError(f"div: division by zero in {a!r} / {b!r}")
    return a / b


def pow_const(a: float, n: float) -> float:
    """a ** n for a constant exponent: real results only."""
    if a == 0.0 and n < 0:
        raise ZeroDivisionError(f"pow: zero to a negative power in {a!r} ** {n!r}")
    if a < 0.0 and not float(n).is_integer():
        # Python would silently return a complex number here.
        raise ValueError(f"pow: math domain error in {a!r} ** {n!r}: a negative base needs an integer exponent")
    try:
        return float(a**n)
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {n!r}") from None


def pow_const_grad(a: float, n: float) -> float:
    """d(a ** n)/da = n a^(n-1); infinite at a = 0 for n < 1, which is refused."""
    if n == 0.0:
        return 0.0
    if a == 0.0 and n < 1.0:
        raise ZeroDivisionError(f"pow: derivative of {a!r} ** {n!r} is infinite at zero")
    return n * a ** (n - 1.0)


def pow_value(a: float, b: float) -> float:
    """a ** b where both may be variables: the base must be positive."""
    if a <= 0.0:
        raise ValueError(f"pow: math domain error in {a!r} ** {b!r}: Value ** Value needs a positive base")
    try:
        return a**b
    except OverflowError:
        raise OverflowError(f"pow: result too large in {a!r} ** {b!r}") from None


def exp(a: float) -> float:
    """e ** a, refusing overflow (past about 709.78)."""
    try:
        return math.exp(a)
    except OverflowError:
        raise OverflowError(f"exp: result too large in exp({a!r})") from None


def log(a: float) -> float:
    """Natural log of a positive number."""
    if a <= 0.0:
        raise ValueError(f"log: math domain error in log({a!r}): needs a positive argument")
    return math.log(a)


def sqrt(a: float) -> float:
    """Square root of a non-negative number."""
    if a < 0.0:
        raise ValueError(f"sqrt: math domain error in sqrt({a!r}): needs a non-negative argument")
    return math.sqrt(a)


def sqrt_grad(out: float) -> float:
    """d sqrt(a)/da = 1 / (2 sqrt(a)); infinite at 0, which is refused."""
    if out == 0.0:
        raise ZeroDivisionError("sqrt: derivative of sqrt(0.0) is infinite")
    return 0.5 / out


def sigmoid(a: float) -> float:
    """1 / (1 + e^-a) in two branches so that exp never overflows (saturates at +-1000)."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def relu(a: float) -> float:
    """max(0, a)."""
    return a if a > 0.0 else 0.0


def step(a: float) -> float:
    """1 for a > 0, else 0: ReLU's derivative."""
    return 1.0 if a > 0.0 else 0.0


def sign(a: float) -> float:
    """-1, 0 or 1; the subgradient of |a| at 0 is 0, as in PyTorch."""
    return 1.0 if a > 0.0 else -1.0 if a < 0.0 else 0.0


SCALAR_NAMESPACE: dict[str, object] = {
    "div": div, "pow_const": pow_const, "pow_const_grad": pow_const_grad, "pow_value": pow_value,
    "exp": exp, "log": log, "sqrt": sqrt, "sqrt_grad": sqrt_grad, "tanh": math.tanh,
    "sigmoid": sigmoid, "relu": relu, "step": step, "sign": sign, "abs": abs,
}


# --- the Op record -----------------------------------------------------------


def input_names(arity: int) -> list[str]:
    """The names expressions use for their inputs: a, b for one or two inputs, else x0, x1, ..."""
    return ["a", "b"][:arity] if arity <= 2 else [f"x{i}" for i in range(arity)]


@dataclass(frozen=True, eq=False)
class Op:
    """One differentiable operation, written once as code.

    Attributes:
        name: identifier used in reprs, error messages and `OPS`.
        symbol: the gate label the renderer draws (the slides' notation).
        arity: number of inputs, or ``None`` for n-ary ops (sum, dot).
        forward_code: the value as an expression of the inputs; for n-ary ops,
            a function from the number of inputs to that expression.
        derivative_code: one expression per input for d(out)/d(input), which
            may use ``out``; for n-ary ops, a function of the number of inputs.
        domain: for each input, an interval ``(low, high)`` where the op is
            smooth; the tests sample inputs from it.
        constant_args: how many trailing inputs are constants the op is not
            differentiated against (the exponent of ``x ** 2``).
    """

    name: str
    symbol: str
    arity: int | None
    forward_code: str | CodeForN
    derivative_code: tuple[str, ...] | Callable[[int], tuple[str, ...]]
    domain: tuple[tuple[float, float], ...] = ()
    constant_args: int = 0
    forward: Callable[..., float] = field(init=False, repr=False)
    derivative: Derivative = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.arity is None:
            forward, derivative = _nary_functions(self)
        else:
            forward = compile_function(input_names(self.arity), self.forward_code_for(self.arity))
            derivative = compile_function(["out", *input_names(self.arity)],
                                          as_tuple(self.derivative_code_for(self.arity)))
        object.__setattr__(self, "forward", forward)
        object.__setattr__(self, "derivative", derivative)

    def forward_code_for(self, n: int) -> str:
        """The forward expression for ``n`` inputs."""
        return self.forward_code(n) if callable(self.forward_code) else self.forward_code

    def derivative_code_for(self, n: int) -> tuple[str, ...]:
        """The local-derivative expressions for ``n`` inputs."""
        return self.derivative_code(n) if callable(self.derivative_code) else self.derivative_code

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def compile_function(args: Sequence[str], expression: str, namespace: dict[str, object] | None = None) -> Callable:
    """``lambda args: expression`` evaluated among the op helpers (scalar ones by default)."""
    return eval(f"lambda {', '.join(args)}: {expression}", dict(namespace or SCALAR_NAMESPACE))  # noqa: S307


def as_tuple(expressions: Sequence[str]) -> str:
    """Python source for a tuple of the given expressions."""
    return f"({', '.join(expressions)},)" if expressions else "()"


def _nary_functions(op: Op) -> tuple[Callable[..., float], Derivative]:
    """Functions of any number of inputs, each compiled once per input count and cached."""
    forwards: dict[int, Callable[..., float]] = {}
    derivatives: dict[int, Derivative] = {}

    def forward(*xs: float) -> float:
        f = forwards.get(len(xs))
        if f is None:
            f = forwards[len(xs)] = compile_function(input_names(len(xs)), op.forward_code_for(len(xs)))
        return f(*xs)

    def derivative(out: float, *xs: float) -> Sequence[float]:
        d = derivatives.get(len(xs))
        if d is None:
            code = as_tuple(op.derivative_code_for(len(xs)))
            d = derivatives[len(xs)] = compile_function(["out", *input_names(len(xs))], code)
        return d(out, *xs)

    return forward, derivative


def _sum_code(n: int) -> str:
    names = input_names(n)
    return " + ".join(names) if n > 1 else f"{names[0]} + 0.0"


def _dot_code(n: int) -> str:
    # Inputs are the weights then the inputs: w_i is x{i}, its partner is x{i + n/2}.
    half = n // 2
    names = input_names(n)
    return " + ".join(f"{names[i]} * {names[i + half]}" for i in range(half)) or "0.0"


def _dot_derivative_code(n: int) -> tuple[str, ...]:
    # d(sum w_i x_i)/dw_i = x_i and /dx_i = w_i: the two halves swap.
    half = n // 2
    names = input_names(n)
    return tuple(names[half:] + names[:half])


_WIDE = (-3.0, 3.0)
_POSITIVE = (0.1, 4.0)

ADD = Op("add", "+", 2, "a + b", ("1.0", "1.0"), (_WIDE, _WIDE))
SUB = Op("sub", "−", 2, "a - b", ("1.0", "-1.0"), (_WIDE, _WIDE))
MUL = Op("mul", "×", 2, "a * b", ("b", "a"), (_WIDE, _WIDE))
DIV = Op("div", "÷", 2, "div(a, b)", ("1.0 / b", "-out / b"), (_WIDE, (0.5, 3.0)))
NEG = Op("neg", "−", 1, "-a", ("-1.0",), (_WIDE,))
POW = Op("pow", "^", 2, "pow_const(a, b)", ("pow_const_grad(a, b)", "0.0"), (_POSITIVE, (-2.0, 3.0)), constant_args=1)
POW_VALUE = Op("pow_value", "^", 2, "pow_value(a, b)", ("b * a ** (b - 1.0)", "out * log(a)"),
               (_POSITIVE, (-2.0, 2.0)))
EXP = Op("exp", "exp", 1, "exp(a)", ("out",), (_WIDE,))
LOG = Op("log", "log", 1, "log(a)", ("1.0 / a",), (_POSITIVE,))
SQRT = Op("sqrt", "√", 1, "sqrt(a)", ("sqrt_grad(out)",), (_POSITIVE,))
TANH = Op("tanh", "tanh", 1, "tanh(a)", ("1.0 - out * out",), (_WIDE,))
SIGMOID = Op("sigmoid", "σ", 1, "sigmoid(a)", ("out * (1.0 - out)",), (_WIDE,))
RELU = Op("relu", "ReLU", 1, "relu(a)", ("step(a)",), ((0.1, 3.0),))
ABS = Op("abs", "|x|", 1, "abs(a)", ("sign(a)",), ((0.1, 3.0),))
SUM = Op("sum", "Σ", None, _sum_code, lambda n: ("1.0",) * n, (_WIDE,))
DOT = Op("dot", "w·x", None, _dot_code, _dot_derivative_code, (_WIDE,))

#: Every op by name: the single source the engine, tests, renderer and replayer read.
OPS: dict[str, Op] = {
    op.name: op
    for op in (ADD, SUB, MUL, DIV, NEG, POW, POW_VALUE, EXP, LOG, SQRT, TANH, SIGMOID, RELU, ABS, SUM, DOT)
}

#: Marks a leaf that the engine made from a plain number (the ``2`` in ``x * 2``),
#: so the renderer can draw it as a constant rather than as an input. Not in `OPS`:
#: a constant has no inputs and nothing to differentiate.
CONSTANT = Op("constant", "", 0, "0.0", ())

__all__ = ["Op", "OPS", "CONSTANT", "SCALAR_NAMESPACE", "compile_function", "input_names"]
