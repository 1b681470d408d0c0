"""Newton's method on a 1-D function, with f' and f'' both from the engine.

To minimise f, Newton's method steps to the root of f' with the slope f'':
x <- x - f'(x) / f''(x). Here f'(x) is ``grad(f(x), [x], create_graph=True)``
and f''(x) is the gradient of that gradient, so the method needs no
hand-written derivative. Near the minimum the error is roughly squared at
every step (quadratic convergence), which the iteration table shows.

The lecture's example is f(x) = e^x - 2x: f'(x) = e^x - 2 is zero at
x* = ln 2, and f''(x) = e^x > 0, so x* is the minimum.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

from autograd import Value, grad
from autograd.shown import short_repr, too_large

EXAMPLE_MINIMUM = math.log(2.0)


def example_function(x: Value) -> Value:
    """f(x) = e^x - 2x, minimised at x* = ln 2."""
    return x.exp() - 2.0 * x


@dataclass
class NewtonStep:
    """One iteration: the point, f, f' and f'' there (f' and f'' from the engine)."""

    x: float
    f: float
    slope: float
    curvature: float


def first_and_second_derivative(f: Callable[[Value], Value], x: float) -> tuple[float, float, float]:
    """(f(x), f'(x), f''(x)): f' as a graph (create_graph=True), f'' as its gradient."""
    point = Value(x, label="x")
    out = f(point)
    if not isinstance(out, Value):
        raise TypeError(f"newton: f must return a Value, got {type(out).__name__}")
    (slope,) = grad(out, [point], create_graph=True, allow_unused=True)
    (curvature,) = grad(slope, [point], allow_unused=True)
    return out.data, slope.data, curvature.data


def newton_minimise(f: Callable[[Value], Value] = example_function, x0: float = 2.0, max_steps: int = 20,
                    tolerance: float = 1e-14) -> list[NewtonStep]:
    """Newton's iterations from ``x0`` until |f'(x)| <= ``tolerance`` (the last step is the one that meets it).

    A zero or negative f'' (no minimum along the step) or a non-finite value is a ValueError naming the step.
    """
    # "a" or None failed in math.isfinite as "must be real number, not str"; 10**400 as "int too large to convert
    # to float"; True ran from 1.0.
    if isinstance(x0, bool) or not isinstance(x0, numbers.Real):
        raise TypeError(f"newton: x0 must be a real number, got {type(x0).__name__} {short_repr(x0)}")
    try:
        start = float(x0)
    except OverflowError:
        raise ValueError(f"newton: x0 must be finite, got {too_large(x0)}") from None
    if not math.isfinite(start):
        raise ValueError(f"newton: x0 must be finite, got {x0!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise ValueError(f"newton: max_steps must be a whole number >= 0, got {short_repr(max_steps)}")
    steps: list[NewtonStep] = []
    x = start
    for k in range(max_steps + 1):
        value, slope, curvature = first_and_second_derivative(f, x)
        steps.append(NewtonStep(x, value, slope, curvature))
        if abs(slope) <= tolerance:
            return steps
        if not curvature > 0.0 or not math.isfinite(curvature):
            raise ValueError(f"newton: f''(x) = {curvature!r} at step {k} (x = {x!r}): no minimum to step to")
        x -= slope / curvature
    raise ValueError(f"newton: |f'| still {abs(steps[-1].slope):.3g} after {max_steps} steps")


def newton_table(steps: list[NewtonStep], minimum: float = EXAMPLE_MINIMUM) -> str:
    """The iterations as an indented text table, with the error |x - x*|."""
    header = ("k", "x", "f(x)", "f'(x)", 'f"(x)', "|x - x*|")
    widths = (2, 20, 12, 12, 10, 9)
    lines = ["  " + "  ".join(f"{h:>{w}}" for h, w in zip(header, widths))]
    for k, s in enumerate(steps):
        lines.append(f"  {k:>2}  {s.x:>20.16f}  {s.f:>12.8f}  {s.slope:>12.3e}  {s.curvature:>10.6f}"
                     f"  {abs(s.x - minimum):>9.1e}")
    return "\n".join(lines)
