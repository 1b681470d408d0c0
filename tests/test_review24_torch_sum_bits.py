"""torch_sum (the losses' reduction since polish24) changes only the sign of an all-zero sum.

It adds a trailing +0.0 to a left-to-right sum: x + 0.0 is x, bit for bit, for every x but -0.0. The reference
is an explicit left-to-right loop of float additions (builtin ``sum`` compensates on Python 3.12+).
"""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value
from nn.reduction import reduced, torch_sum


def _left_to_right(xs: list[float]) -> float:
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def _lists() -> list[list[float]]:
    rng = random.Random(24)
    lists = [[rng.uniform(-1.0, 1.0) * 10.0 ** rng.randint(-310, 300) for _ in range(rng.randint(1, 40))]
             for _ in range(300)]
    lists += [[5e-324], [-5e-324], [1.0, -1.0], [-1.0, 1.0], [-2.5], [1e308, -1e308], [-0.0, 3.0], [0.1] * 70]
    return lists


@pytest.mark.parametrize("xs", _lists())
def test_torch_sum_is_the_left_to_right_sum(xs: list[float]) -> None:
    expected = _left_to_right(xs)
    if expected == 0.0:
        expected = 0.0  # torch's accumulator starts at +0.0: -0.0 + 0.0 is +0.0
    got = torch_sum([Value(x) for x in xs]).data
    assert got == expected
    assert math.copysign(1.0, got) == math.copysign(1.0, expected)
    mean = reduced([Value(x) for x in xs], "mean").data
    assert mean == expected / len(xs) and math.copysign(1.0, mean) == math.copysign(1.0, expected / len(xs))


def test_all_negative_zeros_sum_to_plus_zero() -> None:
    assert math.copysign(1.0, torch_sum([Value(-0.0), Value(-0.0)]).data) == 1.0
    assert math.copysign(1.0, torch_sum([Value(-0.0)]).data) == 1.0


def test_an_overflowing_reduction_names_the_losses_not_a_zero_of_ours() -> None:
    """1e308 + 1e308 is inf: the error counts the two losses and shows them, not the +0.0 torch_sum adds."""
    import nn.functional as F

    with pytest.raises(OverflowError, match=r"sum of 2 losses is not finite.*\(losses 1e\+308, 1e\+308\)$"):
        F.l1_loss([Value(1e308), Value(1e308)], [0.0, 0.0], reduction="sum")
