"""A recorded SiLU gradient (``create_graph=True``) replays the numbers the eager engine computes.

SiLU's first derivative is torch's silu_backward, s (1 + x (1 - s)) with s = 1 / (1 + e^-x) (0 where e^-x
overflows). polish24 made s a node of the sigmoid op holding that number, so that its own derivative is
s (1 - s) in one piece; but a tape recomputes a node from its op, and the sigmoid op computes e^x / (1 + e^x)
for x < 0: the replayed first derivative came out a last bit away from torch's formula at half the points
(and a tiny number instead of 0 below x = -709.78). The reference here is torch's formula in plain floats.
"""

from __future__ import annotations

import math

import pytest
from test_silu_second_derivative import _closed_form as _second_derivative  # silu'' in 60 digits

import nn.functional as F
from autograd import Value, grad
from autograd.replay import record

POINTS = [-0.013, -0.213, -0.313, -0.613, -1.5, -7.25, -30.0, -400.0, -709.0, -720.0, 0.5, 3.0]


def _torch_silu_backward(x: float) -> float:
    """torch's silu_backward at x for an incoming gradient of 1: s (1 + x (1 - s)), s = 1 / (1 + e^-x)."""
    s = 0.0 if x < -709.782712893384 else 1.0 / (1.0 + math.exp(-x))
    return s * (1.0 + x * (1.0 - s))


def _first_derivative_tape(p: Value):  # type: ignore[no-untyped-def]
    def first() -> Value:
        (g,) = grad(F.silu(p), [p], create_graph=True)
        return g

    return record(first, [], [p])


@pytest.mark.parametrize("x", POINTS)
def test_recorded_first_derivative_is_torchs_formula(x: float) -> None:
    p = Value(1.25)  # recorded elsewhere, replayed at x: the tape recomputes every node
    tape = _first_derivative_tape(p)
    p.data = x
    value, (second,) = tape.evaluate([])
    assert value == _torch_silu_backward(x)
    if x < -709.782712893384:  # torch's s is 1 / (1 + inf) = 0 there, and so is its double backward
        assert second == 0.0
    else:
        assert second == pytest.approx(_second_derivative(x), rel=1e-12, abs=1e-320)
