"""`gradcheck`: the engine's gradients against central differences, as a readable report.

This is what the tests use to check every op, and what a student uses to check
a new op or a hand-built graph: ``print(gradcheck(f, [1.0, 2.0]))``.
`gradgradcheck` does the same one order up: second derivatives from the
gradient graph against central differences of first derivatives.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .grad_mode import no_grad
from .higher_order import grad
from .value import Value, _as_real, _short_repr


@dataclass(frozen=True)
class GradcheckRow:
    """One input's result: engine gradient, central difference, and whether they agree."""

    name: str
    value: float
    analytic: float
    numeric: float
    ok: bool

    @property
    def abs_error(self) -> float:
        """|analytic - numeric|."""
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class GradcheckReport:
    """The per-input comparison made by `gradcheck`; true when every row agrees."""

    output: float
    rows: tuple[GradcheckRow, ...]
    rtol: float
    atol: float
    kind: str = "gradcheck"  # or "gradgradcheck": rows are then pairs of inputs, values second derivatives

    @property
    def ok(self) -> bool:
        """Whether every input's gradient agrees with its central difference."""
        return all(row.ok for row in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    def raise_if_failed(self) -> None:
        """Raise AssertionError with the whole table if any row disagrees."""
        if not self.ok:
            raise AssertionError(f"{self.kind} failed\n{self}")

    def __str__(self) -> str:
        engine = "engine grad" if self.kind == "gradcheck" else "engine d2f"
        header = f"{'input':<12} {'value':>12} {engine:>14} {'central diff':>14} {'abs err':>10}  ok"
        lines = [f"{self.kind}: f = {self.output:.6g}  (rtol={self.rtol:g}, atol={self.atol:g})", header]
        for r in self.rows:
            mark = "yes" if r.ok else "NO"
            lines.append(
                f"{r.name:<12} {r.value:>12.6g} {r.analytic:>14.8g} {r.numeric:>14.8g} {r.abs_error:>10.2e}  {mark}"
            )
        return "\n".join(lines)


def point_of(who: str, inputs: Any) -> list[float]:
    """``inputs`` (numbers, or Values whose data is used) as finite floats, or an error naming the argument.

    A lone number, Value, None or string was iterated inside and failed as "'NoneType' object is not iterable"
    (or read "12" as two inputs): f takes one argument per entry, so a sequence is required, as torch's
    ``inputs`` is a tuple.
    """
    if isinstance(inputs, (str, bytes, Value, dict, set, frozenset)):
        raise TypeError(f"{who}: inputs must be a sequence of numbers or Values (one per argument of f), got "
                        f"{type(inputs).__name__} {_short_repr(inputs)}" + (" (wrap it in a list)" if isinstance(
                            inputs, Value) else ""))
    try:
        entries = list(inputs)
    except TypeError:  # None, a number, a 0-d numpy array
        raise TypeError(f"{who}: inputs must be a sequence of numbers or Values (one per argument of f), got "
                        f"{type(inputs).__name__} {_short_repr(inputs)}") from None
    return [_as_real(x.data if isinstance(x, Value) else x, f"{who}: input {i}") for i, x in enumerate(entries)]


def _checked_point(who: str, inputs: Sequence[float | Value], eps: float, rtol: float, atol: float) -> list[float]:
    """The inputs as finite floats and the step and tolerances as usable numbers, or an error naming the argument.

    ``float(x)`` alone would read the string "1.5" as a number, and eps=0 would fail as a bare
    "float division by zero"; a NaN eps or tolerance would make every row silently disagree.
    """
    for name, x, low in (("eps", eps, None), ("rtol", rtol, 0.0), ("atol", atol, 0.0)):
        x = _as_real(x, f"{who}: {name}")
        if (x <= 0.0) if low is None else (x < low):
            raise ValueError(f"{who}: {name} must be {'positive' if low is None else 'at least 0'}, got {x!r}")
    point = point_of(who, inputs)
    if not point:  # a report of no rows would pass having checked nothing (torch raises ValueError too)
        raise ValueError(f"{who}: needs at least one input to check, got none")
    return point


#: What the engine raises for a point outside an op's domain or range (`autograd.value`, `autograd.backward`).
_ENGINE_ERRORS = (ValueError, ZeroDivisionError, OverflowError, FloatingPointError)


@contextlib.contextmanager
def _stepped(who: str, name: str, x: float, delta: float) -> Iterator[None]:
    """Name the central difference's step in an error that f (or the engine) raises only at x + delta.

    The user gave x, not x +- eps: ``gradcheck(log, [1e-7])`` steps to log(-9e-07), and an error naming only
    that point left the reader to work out where it came from.
    """
    try:
        yield
    except (ArithmeticError, ValueError) as err:
        if type(err) not in _ENGINE_ERRORS:  # a subclass of the user's may take other arguments: leave it be
            raise
        sign = "+" if delta > 0 else "-"
        raise type(err)(f"{who}: at {name} {sign} eps = {x + delta!r} (a step of the central difference from "
                        f"{x!r}): {err}; pass a smaller eps, or check at a point farther from the edge") from None


def _difference(who: str, name: str, plus: float, minus: float, eps: float) -> float:
    """(plus - minus) / (2 eps), or OverflowError naming the row where it is no float (a silent inf before)."""
    numeric = (plus - minus) / (2 * eps)
    if numeric - numeric != 0.0:  # plus - minus past the float range, the quotient maybe not (f near +-1e308)
        numeric = plus / (2 * eps) - minus / (2 * eps)
    if numeric - numeric != 0.0:
        raise OverflowError(f"{who}: the central difference for {name}, ({plus!r} - {minus!r}) / (2 * {eps!r}), "
                            f"is {numeric!r}: f's values at x +- eps are too large to compare; pass a smaller eps")
    return numeric


def _row_labels(who: str, f: Callable[..., Value], count: int, names: Sequence[str] | None) -> list[str]:
    """``names``, else f's own parameter names when it takes exactly one per input, else x0, x1, ...

    ``gradcheck(lambda x, w, b: ..., [2.0, -3.0, 6.88])`` labels its rows x, w, b, the names the reader wrote.
    """
    if names is not None:
        labels = list(names)
        if len(labels) != count:
            raise ValueError(f"{who}: {len(labels)} names for {count} inputs")
        return labels
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):  # a builtin or a callable object without a signature
        parameters = []
    positional = [p.name for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]
    if len(positional) == count == len(parameters) and "self" not in positional:
        return positional
    return [f"x{i}" for i in range(count)]


def _evaluated(who: str, f: Callable[..., Value], inputs: Sequence[float | Value], eps: float, rtol: float,
               atol: float, names: Sequence[str] | None) -> tuple[list[float], list[str], list[Value], Value]:
    """The checked point, its row labels, one labelled leaf per input and ``f`` of them (refused unless a Value):
    what `gradcheck` and `gradgradcheck` both start from."""
    point = _checked_point(who, inputs, eps, rtol, atol)
    labels = _row_labels(who, f, len(point), names)
    leaves = [Value(x, label=n) for x, n in zip(point, labels)]
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__}")
    return point, labels, leaves, out


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float | Value],
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    names: Sequence[str] | None = None,
) -> GradcheckReport:
    """Compare d f / d input_i from ``backward()`` with (f(x+eps) - f(x-eps)) / (2 eps).

    Args:
        f: takes one Value per input (positionally) and returns a Value.
        inputs: the point to check at (numbers, or Values whose data is used).
        eps: the central-difference step.
        rtol, atol: a row agrees when |engine - numeric| <= atol + rtol * |numeric|.
        names: row labels (default: f's parameter names when it takes exactly one per input, else
            x0, x1, ...).

    Returns:
        A `GradcheckReport`; ``print`` it for a table, test ``.ok`` or call
        ``.raise_if_failed()``.
    """
    point, labels, leaves, out = _evaluated("gradcheck", f, inputs, eps, rtol, atol, names)
    out.backward()

    def at(i: int, delta: float) -> float:
        with _stepped("gradcheck", labels[i], point[i], delta):
            shifted = [Value(x + delta) if j == i else Value(x) for j, x in enumerate(point)]
            with no_grad():
                return f(*shifted).data

    rows = []
    for i, leaf in enumerate(leaves):
        numeric = _difference("gradcheck", labels[i], at(i, eps), at(i, -eps), eps)
        ok = abs(leaf.grad - numeric) <= atol + rtol * abs(numeric)
        rows.append(GradcheckRow(labels[i], point[i], leaf.grad, numeric, ok))
    return GradcheckReport(out.data, tuple(rows), rtol, atol)


def gradgradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float | Value],
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    names: Sequence[str] | None = None,
) -> GradcheckReport:
    """Compare second derivatives from the gradient graph with central differences of first derivatives.

    Row ``xi,xj`` holds d2 f / (dxi dxj) from differentiating the graph of ``grad(f, create_graph=True)``
    against (g_j(x + eps e_i) - g_j(x - eps e_i)) / (2 eps), where g_j is the engine's own first
    derivative (already checked by `gradcheck`). Same arguments and report as `gradcheck`.
    """
    point, labels, leaves, out = _evaluated("gradgradcheck", f, inputs, eps, rtol, atol, names)
    first = grad(out, leaves, create_graph=True, allow_unused=True)
    second = [grad(g, leaves, allow_unused=True) for g in first]

    def first_derivatives(i: int, delta: float) -> list[float]:
        with _stepped("gradgradcheck", labels[i], point[i], delta):
            shifted = [Value(x + delta if j == i else x) for j, x in enumerate(point)]
            return [g.data for g in grad(f(*shifted), shifted, allow_unused=True)]

    rows = []
    for i in range(len(point)):
        plus, minus = first_derivatives(i, eps), first_derivatives(i, -eps)
        for j in range(len(point)):
            numeric = _difference("gradgradcheck", f"{labels[i]},{labels[j]}", plus[j], minus[j], eps)
            analytic = second[j][i].data
            ok = abs(analytic - numeric) <= atol + rtol * abs(numeric)
            rows.append(GradcheckRow(f"{labels[i]},{labels[j]}", point[i], analytic, numeric, ok))
    return GradcheckReport(out.data, tuple(rows), rtol, atol, kind="gradgradcheck")
