"""`Linear`: y = W x + b with W stored row by row (one row per output)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value, dot

from .init import make_rng, uniform_fan_in
from .module import Module


def set_matrix(
    matrix: list[list[Value]], rows: Sequence[Sequence[float]], name: str, check_only: bool = False
) -> None:
    """Copy plain nested lists into a Value matrix of the same shape; ValueError otherwise.

    With ``check_only`` nothing is copied: callers setting several matrices
    check them all first, so a bad one leaves the model unchanged.
    """
    values = [list(r) for r in rows]
    want = (len(matrix), len(matrix[0]) if matrix else 0)
    got = (len(values), len(values[0]) if values else 0)
    if got != want or any(len(r) != want[1] for r in values):
        raise ValueError(f"{name}: expected a {want[0]}x{want[1]} matrix, got {got[0]} rows of lengths "
                         f"{sorted({len(r) for r in values})}")
    checked = [[Value(x).data for x in r] for r in values]
    if check_only:
        return
    for target, source in zip(matrix, checked):
        for v, x in zip(target, source):
            v.data = x


def set_vector(vector: list[Value], values: Sequence[float], name: str, check_only: bool = False) -> None:
    """Copy a plain list into a Value vector of the same length; ValueError otherwise (see set_matrix)."""
    values = list(values)
    if len(values) != len(vector):
        raise ValueError(f"{name}: expected {len(vector)} numbers, got {len(values)}")
    checked = [Value(x).data for x in values]
    if check_only:
        return
    for v, x in zip(vector, checked):
        v.data = x


def value_matrix(rng: random.Random, rows: int, cols: int, name: str, fan_in: int) -> list[list[Value]]:
    """A rows x cols matrix of labelled Values from a seeded U(+-1/sqrt(fan_in))."""
    return [[Value(uniform_fan_in(rng, fan_in), label=f"{name}[{r},{c}]") for c in range(cols)] for r in range(rows)]


class Linear(Module):
    """An affine map from ``nin`` to ``nout`` values (the RNN's y_t = Why h_t + by)."""

    def __init__(
        self, nin: int, nout: int, seed: int | random.Random | None = None, weight: str = "W", bias: str = "b"
    ) -> None:
        """Weights ``W`` (nout rows of nin) and bias ``b``, labelled with the given names."""
        rng = make_rng(seed)
        self.W = value_matrix(rng, nout, nin, weight, nin)
        self.b = [Value(0.0, label=f"{bias}[{r}]") for r in range(nout)]
        self._names = (weight, bias)

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        """W x + b: one dot node per output (the bias rides along with a constant 1)."""
        if len(x) != len(self.W[0]):
            raise ValueError(f"Linear expects {len(self.W[0])} inputs, got {len(x)}")
        inputs = [*x, 1.0]
        return [dot([*row, b], inputs) for row, b in zip(self.W, self.b)]

    def set_weights(self, W: Sequence[Sequence[float]], b: Sequence[float] | None = None) -> None:
        """Set W from nested lists (one row per output) and optionally b."""
        for check_only in (True, False):
            set_matrix(self.W, W, self._names[0], check_only)
            if b is not None:
                set_vector(self.b, b, self._names[1], check_only)
