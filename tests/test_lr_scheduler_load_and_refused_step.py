"""Two scheduler guarantees the torch-parity runs do not reach: a LambdaLR state restores a callable object's
attributes on load (torch's ``load_state_dict`` does), and a step whose rate is refused changes nothing."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn.optim import SGD, lr_scheduler


class Warmup:
    """A callable factor with state: ``min(1, (epoch + 1) / epochs)``."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def __call__(self, epoch: int) -> float:
        return min(1.0, (epoch + 1) / self.epochs)


def test_lambda_lr_load_restores_a_callable_objects_attributes() -> None:
    saved = lr_scheduler.LambdaLR(SGD([Value(1.0)], lr=0.2), Warmup(8))
    fresh_factor = Warmup(2)
    fresh = lr_scheduler.LambdaLR(SGD([Value(1.0)], lr=0.2), fresh_factor)
    fresh.load_state_dict(saved.state_dict())
    assert fresh_factor.epochs == 8
    fresh.step()  # epoch 1: 0.2 * (1 + 1) / 8
    assert fresh.get_last_lr() == [pytest.approx(0.2 * 2 / 8, rel=1e-15)]


def test_a_step_whose_rate_is_refused_changes_nothing() -> None:
    optimizer = SGD([Value(1.0)], lr=0.5)
    scheduler = lr_scheduler.LambdaLR(optimizer, lambda epoch: math.nan if epoch == 2 else 0.1 * (epoch + 1))
    scheduler.step()  # epoch 1: 0.5 * 0.2
    with pytest.raises(ValueError, match="at epoch 2 must be a finite number"):
        scheduler.step()
    assert scheduler.last_epoch == 1 and scheduler.get_last_lr() == [pytest.approx(0.1, rel=1e-15)]
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.1, rel=1e-15)
