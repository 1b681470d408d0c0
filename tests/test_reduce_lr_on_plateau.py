"""ReduceLROnPlateau as torch's: patience, cooldown, thresholds, floors and eps, its state, and its refusals.

Closed-form tests run everywhere; the comparison with torch skips where it is not installed.
"""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from autograd import Value
from nn.optim import SGD, lr_scheduler


def _optimizer() -> SGD:
    return SGD([{"params": [Value(1.0)]}, {"params": [Value(2.0)], "lr": 0.5}], lr=0.1)


def test_the_rate_is_cut_after_more_than_patience_bad_epochs_then_cools_down() -> None:
    scheduler = lr_scheduler.ReduceLROnPlateau(_optimizer(), patience=2, cooldown=1, factor=0.5)
    rates = []
    for loss in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5]:
        scheduler.step(loss)
        rates.append(scheduler.get_last_lr()[0])
    # Epoch 1 sets best; epochs 2-4 are bad (3 > patience 2): cut at 4. Epoch 5 is in the cooldown (not counted);
    # 6, 7 are bad but only 2; epoch 8 improves.
    assert rates == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05]
    assert scheduler.best == 0.5 and scheduler.num_bad_epochs == 0


def test_floors_eps_and_max_mode() -> None:
    scheduler = lr_scheduler.ReduceLROnPlateau(_optimizer(), patience=0, factor=0.1, min_lr=[0.05, 0.0])
    for loss in [1.0, 2.0, 3.0]:
        scheduler.step(Value(loss))  # a Value counts by its number
    assert scheduler.get_last_lr() == pytest.approx([0.05, 0.005], rel=1e-15)
    tiny = lr_scheduler.ReduceLROnPlateau(_optimizer(), patience=0, factor=0.9, eps=0.06)
    tiny.step(1.0)
    tiny.step(2.0)  # 0.1 -> 0.09 is a cut of 0.01 < eps: skipped; 0.5 -> 0.45 is 0.05 < eps too
    assert tiny.get_last_lr() == [0.1, 0.5]
    rising = lr_scheduler.ReduceLROnPlateau(_optimizer(), mode="max", patience=0, threshold=0.1,
                                            threshold_mode="abs")
    rising.step(1.0)
    rising.step(1.05)  # not better by 0.1: a bad epoch, cut
    assert rising.get_last_lr()[0] == pytest.approx(0.01, rel=1e-15)


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, mode="low"), ValueError, "mode low is unknown"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, threshold_mode="x"), ValueError, "threshold mode x is unknown"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "expected 2 min_lrs, got 1"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o).step(math.nan), ValueError, "nan"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o).step(), TypeError, "measured quantity"),
    (lambda o: lr_scheduler.ReduceLROnPlateau(o).step("1.0"), TypeError, "measured quantity"),
])
def test_bad_arguments_are_refused_naming_them(make: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        make(_optimizer())


def test_state_round_trip_resumes_the_counters() -> None:
    first = lr_scheduler.ReduceLROnPlateau(_optimizer(), patience=1)
    for loss in [1.0, 1.5]:
        first.step(loss)
    second = lr_scheduler.ReduceLROnPlateau(_optimizer(), patience=1)
    second.load_state_dict(first.state_dict())
    assert (second.best, second.num_bad_epochs, second.last_epoch) == (1.0, 1, 2)
    with pytest.raises(ValueError, match="unknown entry"):
        second.load_state_dict({"bogus": 1})


@pytest.mark.parametrize("options", [
    {}, {"patience": 2}, {"patience": 1, "cooldown": 2, "factor": 0.5},
    {"mode": "max", "patience": 3, "threshold_mode": "abs", "threshold": 0.01},
    {"min_lr": [0.01, 0.2], "patience": 0, "factor": 0.3}, {"patience": 0, "eps": 0.05, "factor": 0.9},
])
def test_torch_cuts_at_the_same_epochs_to_the_same_rates(options: dict) -> None:
    torch = pytest.importorskip("torch")
    rng = random.Random(0)
    losses = [1.0 / (1 + 0.1 * i) + rng.uniform(-0.05, 0.05) for i in range(60)]
    ours = lr_scheduler.ReduceLROnPlateau(_optimizer(), **options)
    params = [torch.ones(1, dtype=torch.float64, requires_grad=True) for _ in range(2)]
    theirs_opt = torch.optim.SGD([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.5}], lr=0.1)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **options)
    for epoch, loss in enumerate(losses):
        ours.step(loss)
        theirs.step(loss)
        assert ours.get_last_lr() == theirs.get_last_lr(), f"epoch {epoch + 1}"
        assert (ours.best, ours.num_bad_epochs, ours.cooldown_counter) == \
            (theirs.best, theirs.num_bad_epochs, theirs.cooldown_counter)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
