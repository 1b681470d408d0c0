"""CosineAnnealingWarmRestarts as torch's: cycles of T_0, T_0 * T_mult, ..., fractional epochs, state, refusals.

A closed-form test runs everywhere; the comparison with torch skips where it is not installed.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, lr_scheduler


def _optimizer() -> SGD:
    return SGD([{"params": [Value(0.5)]}, {"params": [Value(-1.0)], "lr": 0.3}], lr=0.1)


def test_cycles_of_growing_length_by_hand() -> None:
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(), T_0=2, T_mult=2, eta_min=0.01)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(7):
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    # Cycles of 2 then 4 epochs: T_cur runs 0, 1 | 0, 1, 2, 3 | 0, 1.
    position = [(0, 2), (1, 2), (0, 4), (1, 4), (2, 4), (3, 4), (0, 8), (1, 8)]
    expected = [0.01 + 0.09 * (1 + math.cos(math.pi * t / cycle)) / 2 for t, cycle in position]
    assert rates == pytest.approx(expected, rel=1e-14)


def test_a_fractional_epoch_lands_inside_its_cycle() -> None:
    scheduler = lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(), T_0=4)
    scheduler.step(5.5)  # the second cycle of 4, 1.5 epochs in
    assert scheduler.get_last_lr()[0] == pytest.approx(0.1 * (1 + math.cos(math.pi * 1.5 / 4)) / 2, rel=1e-14)
    assert scheduler.last_epoch == 5


@pytest.mark.parametrize(("make", "message"), [
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=0), "Expected positive integer T_0"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0), "Expected integer T_mult >= 1"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2).step(-1), "Expected non-negative epoch"),
    (lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2).step(math.inf), "finite"),
])
def test_bad_arguments_are_refused(make: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make(_optimizer())


@pytest.mark.parametrize("options", [{"T_0": 3}, {"T_0": 2, "T_mult": 2, "eta_min": 0.005}, {"T_0": 5, "T_mult": 3}])
@pytest.mark.parametrize("fractional", [False, True])
def test_rates_and_state_equal_torchs(options: dict, fractional: bool) -> None:
    torch = pytest.importorskip("torch")
    ours = lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(), **options)
    params = [torch.ones(1, dtype=torch.float64, requires_grad=True) for _ in range(2)]
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        torch.optim.SGD([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.3}], lr=0.1), **options)
    for step in range(30):
        if fractional:
            epoch = step * 0.75
            ours.step(epoch)
            theirs.step(epoch)
        else:
            ours.step()
            theirs.step()
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-13, abs=1e-300), f"step {step}"
        assert (ours.T_cur, ours.T_i, ours.last_epoch) == pytest.approx((theirs.T_cur, theirs.T_i, theirs.last_epoch))
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())


def test_numbers_too_large_for_a_float_are_named_in_every_scheduler() -> None:
    huge, enormous = 10**400, 10**5000  # the second is past Python's 4,300 digits for printing an int
    with pytest.raises(OverflowError, match="gamma: a number of over 4,300 digits is too large for a float"):
        lr_scheduler.ExponentialLR(_optimizer(), enormous)
    scheduler = lr_scheduler.MultiplicativeLR(_optimizer(), lambda epoch: huge)
    with pytest.raises(OverflowError, match=r"returned a number of 401 digits at epoch 1: too large for a float"):
        scheduler.step()
    assert scheduler.get_last_lr() == [0.1, 0.3] and scheduler.last_epoch == 0
    with pytest.raises(ValueError, match="too large for a float"):
        lr_scheduler.ReduceLROnPlateau(_optimizer()).step(huge)
    with pytest.raises(ValueError, match="too large for a float"):
        lr_scheduler.CosineAnnealingWarmRestarts(_optimizer(), T_0=2).step(huge)
    with pytest.raises(ValueError, match="too large for a float"):
        lr_scheduler.LinearLR(_optimizer(), start_factor=huge)
