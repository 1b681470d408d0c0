"""Hostile input, round 21: leaky_relu's gain for an int slope past the float range.

``calculate_gain("leaky_relu", 10**400)`` (and so ``kaiming_normal_(w, a=10**400)``) failed inside
``math.isfinite`` with "int too large to convert to float". The gain sqrt(2) / |slope| is below the smallest
float there, so it is 0.0, as round 20 made a float slope past 1e150 give sqrt(2) / |slope| to the last bit.
"""

from __future__ import annotations

import math

from autograd import Value
from nn import init


def test_the_gain_of_an_int_slope_past_the_float_range_underflows_to_zero() -> None:
    assert init.calculate_gain("leaky_relu", 10**400) == 0.0
    assert init.calculate_gain("leaky_relu", -(10**400)) == 0.0
    # Just inside the range the closed form sqrt(2) / |slope| is still a (subnormal) float.
    assert init.calculate_gain("leaky_relu", 2**1023) == math.sqrt(2.0) / 2.0**1023


def test_kaiming_with_such_a_slope_fills_zeros_instead_of_failing() -> None:
    w = [[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]]
    init.kaiming_normal_(w, a=10**400)
    assert [v.data for row in w for v in row] == [0.0] * 4
