"""Hostile input, round 27: schedulers that decay to zero, and a plateau factor that is not an int or float.

Before: ``LinearLR(opt, start_factor=1/3, end_factor=0.0, total_iters=5)`` (decay to zero, a common schedule)
stopped training at its last epoch with "learning rate ... must be a finite number >= 0, got
-1.480297366166875e-18": torch's recursive rule multiplies by 1 + (end - start) / (total * start + ...), which
rounds to a hair below 0 where it is exactly 0. torch sets that tiny negative rate; here the rate is 0.

Before: ``ReduceLROnPlateau(opt, factor=numpy.int64(2))`` or ``factor=Fraction(3, 2)`` was accepted (the
``factor >= 1`` check looked at int and float only), so the scheduler never cut the rate, and its own
``state_dict()`` was refused by ``load_state_dict`` ("scheduler state 'factor' should be < 1.0").
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from autograd import Value
from nn import optim
from nn.optim import lr_scheduler


def _sgd(lr: float = 0.1) -> optim.SGD:
    return optim.SGD([Value(1.0)], lr=lr)


@pytest.mark.parametrize(("start", "total"), [(1.0 / 3, 5), (0.1, 7), (0.7, 3), (0.9, 14), (0.01, 21), (0.3, 8)])
def test_linear_decay_to_zero_ends_at_zero_instead_of_failing(start: float, total: int) -> None:
    optimizer = _sgd()
    scheduler = lr_scheduler.LinearLR(optimizer, start_factor=start, end_factor=0.0, total_iters=total)
    rates = []
    for _ in range(total + 3):
        optimizer.step()
        scheduler.step()
        rates.append(optimizer.param_groups[0]["lr"])
    # The closed form base * (start + (end - start) * min(epoch, total) / total), with end 0 written as
    # base * start * (1 - min(epoch, total) / total): exactly 0 from epoch total on.
    for epoch, rate in enumerate(rates, start=1):
        expected = 0.1 * start * (1.0 - min(epoch, total) / total)
        assert rate == pytest.approx(expected, rel=1e-12, abs=1e-17)
        assert rate >= 0.0
    assert rates[total - 1:] == [0.0] * 4
    assert scheduler.get_last_lr() == [0.0]


def test_linear_decay_to_zero_matches_torch_to_the_rounding_of_zero() -> None:
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    theirs = torch.optim.SGD([p], lr=0.1)
    their_scheduler = torch.optim.lr_scheduler.LinearLR(theirs, start_factor=1.0 / 3, end_factor=0.0, total_iters=5)
    ours = _sgd()
    our_scheduler = lr_scheduler.LinearLR(ours, start_factor=1.0 / 3, end_factor=0.0, total_iters=5)
    for _ in range(8):
        theirs.step()
        their_scheduler.step()
        ours.step()
        our_scheduler.step()
        assert ours.param_groups[0]["lr"] == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12, abs=1e-17)


@pytest.mark.parametrize("factor", [np.int64(2), np.int64(1), Fraction(3, 2), Fraction(1, 1)])
def test_plateau_factor_of_one_or_more_is_refused_whatever_its_type(factor: object) -> None:
    with pytest.raises(ValueError, match=r"Factor should be < 1\.0"):
        lr_scheduler.ReduceLROnPlateau(_sgd(), factor=factor)


@pytest.mark.parametrize("factor", [np.int64(0), Fraction(1, 2), np.float32(0.5)])
def test_plateau_factor_below_one_of_any_real_type_cuts_and_round_trips(factor: object) -> None:
    optimizer = _sgd()
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, factor=factor, patience=0)
    scheduler.step(1.0)
    scheduler.step(1.0)  # no better: cut at once (patience 0)
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1 * float(factor), rel=1e-12)  # type: ignore[arg-type]
    again = lr_scheduler.ReduceLROnPlateau(_sgd())
    again.load_state_dict(scheduler.state_dict())
    assert again.factor == float(factor)  # type: ignore[arg-type]
