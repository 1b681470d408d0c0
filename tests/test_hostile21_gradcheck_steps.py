"""Hostile input, round 21: gradcheck's own steps x +- eps are named when they leave an op's domain or range.

The user gives x; gradcheck evaluates f at x + eps and x - eps. ``gradcheck(log, [1e-7])`` used to fail with
"log: math domain error in log(-9e-07)", a point the user never wrote; now the error says it is the central
difference's step from 1e-07 and what to do. A difference f(x+eps) - f(x-eps) past the largest float
(f near +-1e308) used to make the row's central difference inf, reported as a silent disagreement.
"""

from __future__ import annotations

import pytest

from autograd import Value, gradcheck, gradgradcheck


def test_a_step_below_logs_domain_names_the_step_and_the_point() -> None:
    with pytest.raises(ValueError) as caught:
        gradcheck(lambda a: a.log(), [1e-7])
    assert str(caught.value) == (
        "gradcheck: at a - eps = -9e-07 (a step of the central difference from 1e-07): log: math domain error in"
        " log(-9e-07): needs a positive argument; pass a smaller eps, or check at a point farther from the edge")


def test_a_step_past_exps_range_names_the_step() -> None:
    with pytest.raises(OverflowError, match=r"^gradcheck: at x \+ eps = 1e\+300 \(a step of the central "
                                            r"difference from 1\.0\): exp: result too large in exp\(1e\+300\)"):
        gradcheck(lambda x: x.exp(), [1.0], eps=1e300)


def test_gradgradcheck_names_its_step_too() -> None:
    with pytest.raises(ValueError, match=r"^gradgradcheck: at a - eps = -9\.98.*e-07 \(a step of the central "
                                         r"difference from 1e-09\): log: math domain error"):
        gradgradcheck(lambda a: a.log(), [1e-9])


def test_an_error_at_the_point_itself_is_the_engines_own() -> None:
    with pytest.raises(ValueError, match=r"^log: math domain error in log\(-1\.0\)"):
        gradcheck(lambda a: a.log(), [-1.0])


def test_a_central_difference_whose_numerator_overflows_is_still_the_slope() -> None:
    # f(a) = 1e308 a at 0 with eps = 1: f(1) - f(-1) = 2e308 is past the float range, the slope 1e308 is not.
    report = gradcheck(lambda a: a * 1e308, [0.0], eps=1.0)
    assert report.rows[0].numeric == 1e308 and report.rows[0].analytic == 1e308 and report.ok


def test_good_points_still_check_as_before() -> None:
    report = gradcheck(lambda x, w: (x * w).tanh(), [0.5, Value(-2.0)])
    assert report.ok and [r.name for r in report.rows] == ["x", "w"]
    assert gradgradcheck(lambda a: a.log(), [1e-3]).ok
