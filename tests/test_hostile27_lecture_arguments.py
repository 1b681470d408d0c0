"""Hostile input, round 27: the lecture's Newton method and Hessian given arguments of the wrong kind.

Before: ``newton_minimise(x0="a")`` (or None) failed inside math.isfinite with "must be real number, not str",
naming no argument; ``x0=10**400`` with a bare "int too large to convert to float"; ``x0=True`` ran from 1.0.
``engine_hessian("ab")`` failed with "not enough values to unpack", ``engine_hessian(None)`` with "'NoneType'
object is not iterable", and ``mlp_hessian(())`` built an empty result whose table failed in max(). Now each names
the argument.
"""

from __future__ import annotations

import math

import pytest

from lecture import mlp_hessian, newton


@pytest.mark.parametrize("x0", ["a", None, True, [2.0], 1 + 0j])
def test_newton_refuses_a_start_that_is_no_real_number(x0: object) -> None:
    with pytest.raises(TypeError, match=f"^newton: x0 must be a real number, got {type(x0).__name__}"):
        newton.newton_minimise(x0=x0)  # type: ignore[arg-type]


def test_newton_refuses_a_start_past_the_float_range() -> None:
    with pytest.raises(ValueError, match="^newton: x0 must be finite, got an int(eger)? of 401 digits"):
        newton.newton_minimise(x0=10**400)


def test_newton_still_finds_ln_2_from_an_int_start() -> None:
    steps = newton.newton_minimise(x0=2)
    assert steps[-1].x == pytest.approx(math.log(2.0), abs=1e-15)


@pytest.mark.parametrize("weights", ["ab", None, 5, ((1,),), ((1, 1, 1),), [(1, "a")], ()])
def test_the_hessian_refuses_weights_that_are_no_pairs(weights: object) -> None:
    for compute in (mlp_hessian.engine_hessian, mlp_hessian.central_difference_hessian, mlp_hessian.mlp_hessian):
        with pytest.raises((TypeError, ValueError), match="weights must be a non-empty sequence of .i, k. pairs"):
            compute(weights)  # type: ignore[arg-type]


def test_the_hessian_of_listed_pairs_still_works() -> None:
    result = mlp_hessian.mlp_hessian([[1, 1], (2, 1)])  # lists or tuples
    assert result.max_difference < mlp_hessian.TOLERANCE
    assert result.engine[0][1] == pytest.approx(result.engine[1][0], abs=1e-15)
