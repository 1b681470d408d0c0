"""Derivatives 1..6 of tanh, each the gradient of the one before (HIPS autograd's README picture).

Each curve point comes from the engine alone: x -> tanh(x), then
``grad(..., create_graph=True)`` again and again, so the n-th derivative is a
graph built from the op table's derivative rows and differentiated once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autograd import Value, grad

MAX_ORDER = 6


def tanh_derivatives_at(x: float, order: int = MAX_ORDER) -> list[float]:
    """[tanh(x), tanh'(x), ..., tanh^(order)(x)] by repeated ``grad(..., create_graph=True)``."""
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10:
        raise ValueError(f"order must be a whole number in 0..10, got {order!r}")
    point = Value(float(x), label="x")
    current = point.tanh()
    values = [current.data]
    for _ in range(order):
        (current,) = grad(current, [point], create_graph=True, allow_unused=True)
        values.append(current.data)
    return values


@dataclass
class DerivativeCurves:
    """``curves[n][i]`` = the n-th derivative of tanh at ``xs[i]`` (n = 0 is tanh itself)."""

    xs: list[float]
    curves: list[list[float]]


def tanh_derivative_curves(xs: Sequence[float] | None = None, order: int = MAX_ORDER) -> DerivativeCurves:
    """tanh and its derivatives 1..``order`` on ``xs`` (default: 201 points from -7 to 7, as the picture)."""
    points = [-7.0 + 14.0 * i / 200 for i in range(201)] if xs is None else [float(x) for x in xs]
    per_point = [tanh_derivatives_at(x, order) for x in points]
    return DerivativeCurves(points, [[row[n] for row in per_point] for n in range(order + 1)])
