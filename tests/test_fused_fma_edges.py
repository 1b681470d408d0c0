"""`nn.optim.fused`'s fma at the float range's edges, against exact rational arithmetic (and ``math.fma`` where
Python has it): a product past the float range that the addend brings back, an infinite addend after such a
product, signs of zero, and the wrapper around ``math.fma`` that turns its exceptions into the instruction's
inf and NaN. Needs no torch."""

from __future__ import annotations

import math
import random
import struct
import sys
from fractions import Fraction

import pytest

from nn.optim.fused import fma, pure_fma, with_native

MAX = sys.float_info.max


def bits(x: float) -> bytes | str:
    """x's bits (so -0.0 differs from 0.0), or 'nan'."""
    return "nan" if x != x else struct.pack("<d", x)


def exact_fma(a: float, b: float, c: float) -> float:
    """a·b + c rounded once for finite operands (Fraction rounds correctly); an exact zero sum of nonzero
    terms is +0, and a rounded-away tiny result keeps its sign, as IEEE's round to nearest."""
    total = Fraction(a) * Fraction(b) + Fraction(c)
    if total == 0:
        product_negative_zero = (a == 0.0 or b == 0.0) and math.copysign(1.0, a) * math.copysign(1.0, b) < 0
        return -0.0 if product_negative_zero and math.copysign(1.0, c) < 0 else 0.0
    try:
        return math.copysign(float(total), total)
    except OverflowError:
        return math.inf if total > 0 else -math.inf


@pytest.mark.parametrize("a, b, c", [
    (1e308, 2.0, -1e308),  # product 2e308 is past the range; the sum, 1e308, is not
    (-1e308, 1.5, 1.7e308), (1.5e154, 1.5e154, -MAX), (-1.4e154, -1.4e154, -MAX), (MAX, -1.5, 1.1e308),
])
def test_a_product_past_the_range_that_the_addend_brings_back_is_finite(a: float, b: float, c: float) -> None:
    want = exact_fma(a, b, c)
    assert math.isfinite(want)
    assert bits(fma(a, b, c)) == bits(want) and bits(pure_fma(a, b, c)) == bits(want)


@pytest.mark.parametrize("a, b, c", [(1e308, 10.0, -math.inf), (-1e200, 1e200, math.inf), (1e300, 1e300, math.nan)])
def test_an_infinite_addend_after_a_product_past_the_range_is_that_addend(a: float, b: float, c: float) -> None:
    # The exact product is a finite real number: real + (-inf) is -inf (IEEE, math.fma), not inf - inf = nan.
    assert bits(pure_fma(a, b, c)) == bits(c) and bits(fma(a, b, c)) == bits(c)


def test_the_overflow_threshold_rounds_to_even() -> None:
    half_ulp_product = 2.0**485  # squared: 2**970, half of MAX's ulp, so MAX + 2**970 is a tie
    assert pure_fma(half_ulp_product, half_ulp_product, MAX) == math.inf  # ties to the even 2**1024: inf
    below = math.nextafter(half_ulp_product, 0.0)
    assert pure_fma(half_ulp_product, below, MAX) == MAX
    assert pure_fma(-half_ulp_product, half_ulp_product, -MAX) == -math.inf


@pytest.mark.parametrize("a, b, c, want", [
    (-0.0, 3.0, -0.0, -0.0), (0.0, -3.0, -0.0, -0.0), (0.0, 3.0, -0.0, 0.0), (-0.0, 3.0, 0.0, 0.0),
    (1e-200, -1e-200, 0.0, -0.0), (1e-200, 1e-200, -0.0, 0.0), (-5e-324, 0.5, 0.0, -0.0),
    (0.0, math.inf, 1.0, math.nan), (math.inf, 2.0, -math.inf, math.nan), (math.inf, -2.0, 1.0, -math.inf),
])
def test_signs_of_zero_inf_and_nan_are_ieees(a: float, b: float, c: float, want: float) -> None:
    assert bits(pure_fma(a, b, c)) == bits(want) and bits(fma(a, b, c)) == bits(want)


def test_random_operands_near_the_range_edges_round_once() -> None:
    rng = random.Random(25)
    for _ in range(20_000):
        a, b = (rng.choice([1, -1]) * rng.uniform(0.5, 2.0) * 10.0 ** rng.uniform(100, 308) for _ in range(2))
        c = rng.choice([1, -1]) * MAX * rng.uniform(0.3, 1.0)
        assert bits(pure_fma(a, b, c)) == bits(exact_fma(a, b, c)), (a, b, c)


def _raising_native(a: float, b: float, c: float) -> float:
    """Python 3.13's math.fma's contract on any Python: the exact result, OverflowError past the range,
    ValueError for an invalid operation."""
    if not all(math.isfinite(x) for x in (a, b, c)):
        result = a * b + c if a * b == a * b else math.nan  # enough for the operands below
        if result != result:
            raise ValueError("invalid operation in fma")
        return result
    result = exact_fma(a, b, c)
    if math.isinf(result):
        raise OverflowError("overflow in fma")
    return result


@pytest.mark.parametrize("a, b, c", [(1e308, 10.0, 0.0), (-1e308, 10.0, 1.0), (0.0, math.inf, 1.0),
                                     (math.inf, 1.0, -math.inf), (1e308, 2.0, -1e308), (0.1, 0.2, 0.3)])
def test_the_wrapper_of_math_fma_gives_inf_and_nan_where_it_raises(a: float, b: float, c: float) -> None:
    assert bits(with_native(_raising_native)(a, b, c)) == bits(pure_fma(a, b, c))


@pytest.mark.skipif(not hasattr(math, "fma"), reason="math.fma is Python 3.13+")
def test_pure_fma_is_math_fma_to_the_bit() -> None:
    rng = random.Random(13)
    for _ in range(50_000):
        a, b, c = (rng.uniform(-1.0, 1.0) * 10.0 ** rng.uniform(-325, 308) for _ in range(3))
        if rng.random() < 0.3:
            c = -(a * b) * (1.0 + rng.uniform(-1e-15, 1e-15))
        try:
            want = math.fma(a, b, c)  # type: ignore[attr-defined,unused-ignore]
        except OverflowError:
            want = exact_fma(a, b, c)
        assert bits(pure_fma(a, b, c)) == bits(want), (a, b, c)


def test_sums_that_the_products_rounding_error_decides_round_once() -> None:
    # c just under half p's ulp, on the side of p's rounding error: p + c rounds to p, a·b + c past it.
    rng = random.Random(26)
    checked = 0
    for _ in range(6_000):
        a = rng.uniform(0.5, 2.0) * 2.0 ** rng.randint(-100, 100)
        b = rng.uniform(-2.0, 2.0) * 2.0 ** rng.randint(-100, 100)
        error = Fraction(a) * Fraction(b) - Fraction(a * b)
        if error == 0:
            continue
        c = math.copysign(math.ulp(a * b) / 2, error) * (1.0 - 2.0 ** -rng.randint(1, 50))
        assert bits(pure_fma(a, b, c)) == bits(exact_fma(a, b, c)), (a, b, c)
        checked += 1
    assert checked > 5_000


def test_sums_near_a_power_of_two_and_near_ties_round_once() -> None:
    # a·b within a few eighths of c's ulp of a tie, c at or next to a power of two (where the gap below halves).
    rng = random.Random(27)
    for _ in range(6_000):
        c = rng.choice([1, -1]) * 2.0 ** rng.randint(-200, 200) * (1 + rng.choice([0, 0, 1, 2**52 - 1]) * 2.0**-52)
        target = rng.choice([1, -1]) * math.ulp(c) * (rng.choice([0.125, 0.25, 0.5, 0.75, 1.5])
                                                      + rng.choice([0.0, 2.0 ** -rng.randint(20, 60)]))
        a = rng.uniform(0.5, 2.0) * 2.0 ** rng.randint(-30, 30)
        b = target / a * (1 + rng.choice([0.0, 2.0**-52, -(2.0**-52), rng.uniform(-1e-15, 1e-15)]))
        assert bits(pure_fma(a, b, c)) == bits(exact_fma(a, b, c)), (a, b, c)
