"""Hostile input, round 27: an optimizer step over a parameter whose data was set to NaN or inf by hand.

Before: ``p.data = float("nan"); opt.step()`` was refused as an overflow of the step, "this step would set it to
nan from nan (...: lower the learning rate)", advice no learning rate can follow (Adam's and Adagrad's said their
state would overflow). Now the step names the parameter that holds the NaN or inf; nothing changes either way.
A parameter skipped by the step (``.grad`` None, as torch skips it) is not blamed.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import optim


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW, optim.Adagrad])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_parameter_holding_nan_or_inf_is_named_not_blamed_on_the_rate(make, bad: float) -> None:  # type: ignore[no-untyped-def]
    good, broken = Value(1.0), Value(2.0)
    broken.data = bad
    good.grad, broken.grad = 0.5, 0.5
    opt = make([good, broken], lr=0.1, weight_decay=0.1)
    with pytest.raises(ValueError, match=r"optimizer parameter 1 holds (nan|inf|-inf), not a finite number") as caught:
        opt.step()
    assert "learning rate" not in str(caught.value)
    assert good.data == 1.0  # all or nothing
    assert opt.state_dict()["steps"] == 0


def test_a_skipped_parameter_holding_nan_is_not_blamed() -> None:
    good, broken = Value(1.0), Value(2.0)
    broken.data = math.nan
    good.grad, broken.grad = 0.5, None
    opt = optim.SGD([good, broken], lr=0.1)
    opt.step()  # broken is skipped, as torch skips a parameter without a gradient
    assert good.data == 1.0 - 0.1 * 0.5
    assert math.isnan(broken.data)


def test_a_real_overflow_still_says_so() -> None:
    p = Value(1e308)
    p.grad = -1e308
    with pytest.raises(OverflowError, match="lower the learning rate"):
        optim.SGD([p], lr=10.0).step()
