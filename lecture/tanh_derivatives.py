"""Derivatives 1..6 of tanh, each the gradient of the one before (HIPS autograd's README picture).

Each curve point comes from the engine alone: x -> tanh(x), then
``grad(..., create_graph=True)`` again and again, so the n-th derivative is a
graph built from the op table's derivative rows and differentiated once more.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Sequence, Sized
from dataclasses import dataclass

from autograd import Value, grad
from autograd.shown import short_repr, too_large

MAX_ORDER = 6
#: The most points `tanh_derivative_curves` takes (about 1.6 ms each: under 3 minutes at the limit).
MAX_POINTS = 100_000


def tanh_derivatives_at(x: float, order: int = MAX_ORDER) -> list[float]:
    """[tanh(x), tanh'(x), ..., tanh^(order)(x)] by repeated ``grad(..., create_graph=True)``."""
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10:
        raise ValueError(f"order must be a whole number in 0..10, got {short_repr(order)}")
    point = Value(_real(x), label="x")
    current = point.tanh()
    values = [current.data]
    for _ in range(order):
        (current,) = grad(current, [point], create_graph=True, allow_unused=True)
        values.append(current.data)
    return values


def _real(x: object) -> float:
    """``x`` as a float; TypeError for what is not a real number (a bool, a string), OverflowError naming an
    int too large for a float. (inf and NaN are left to `Value`, which names them.)"""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"tanh_derivatives_at: x must be a real number, got {type(x).__name__} {short_repr(x)}")
    try:
        return float(x)
    except OverflowError:
        # The engine's own wording (`too_large`): counting digits by str() raised past 4,300 of them, and a
        # huge Fraction was "an int of None digits".
        raise OverflowError(f"tanh_derivatives_at: x = {too_large(x)} is too large for a float") from None


@dataclass
class DerivativeCurves:
    """``curves[n][i]`` = the n-th derivative of tanh at ``xs[i]`` (n = 0 is tanh itself)."""

    xs: list[float]
    curves: list[list[float]]


def tanh_derivative_curves(xs: Sequence[float] | None = None, order: int = MAX_ORDER) -> DerivativeCurves:
    """tanh and its derivatives 1..``order`` on ``xs`` (default: 201 points from -7 to 7, as the picture)."""
    if xs is None:
        points = [-7.0 + 14.0 * i / 200 for i in range(201)]
    else:
        # At most one point past the limit is read: range(10**9) became a list of floats until memory ran out.
        if isinstance(xs, Sized) and len(xs) > MAX_POINTS:
            raise ValueError(f"tanh_derivative_curves: at most {MAX_POINTS:,} points, got {len(xs):,}")
        points = [_real(x) for x in itertools.islice(iter(xs), MAX_POINTS + 1)]
        if len(points) > MAX_POINTS:
            raise ValueError(f"tanh_derivative_curves: at most {MAX_POINTS:,} points, got more")
    per_point = [tanh_derivatives_at(x, order) for x in points]
    return DerivativeCurves(points, [[row[n] for row in per_point] for n in range(order + 1)])
