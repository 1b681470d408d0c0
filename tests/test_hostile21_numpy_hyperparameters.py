"""Hostile input, round 21: optimizer options given as numpy numbers or a Fraction are the numbers they hold.

``SGD(ps, lr=np.float32(0.5))`` and ``lr=np.int64(1)`` were refused as "not a number" (only np.float64, a
float subclass, passed), though a Value takes them and torch's optimizers read them with float(). A 0-d
array, a Decimal and a numpy bool are still refused, as a Value refuses them.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value
from nn import SGD, Adam
from nn.optim.options import NotANumberError


@pytest.mark.parametrize(("lr", "step"), [(np.float32(0.5), 0.5), (np.int64(1), 1.0), (Fraction(1, 4), 0.25)])
def test_a_numpy_or_fraction_learning_rate_steps_as_its_float(lr: object, step: float) -> None:
    w = Value(1.0)
    optimizer = SGD([w], lr=lr, momentum=np.float32(0.5))  # type: ignore[arg-type]
    w.grad = 1.0
    optimizer.step()
    assert w.data == 1.0 - step  # w - lr * g, g = 1 (momentum's buffer starts at g)
    assert type(optimizer.param_groups[0]["lr"]) is float and optimizer.param_groups[0]["lr"] == step


def test_numpy_betas_are_their_exact_floats() -> None:
    w = Value(1.0)
    optimizer = Adam([w], betas=(np.float32(0.9), np.float64(0.99)))
    assert optimizer.param_groups[0]["betas"] == (float(np.float32(0.9)), 0.99)


@pytest.mark.parametrize("lr", [Decimal("0.1"), np.array(0.1), np.bool_(True), "0.1"])
def test_what_a_value_refuses_is_still_no_learning_rate(lr: object) -> None:
    with pytest.raises(NotANumberError, match="^learning rate must be a finite number >= 0, got "):
        SGD([Value(1.0)], lr=lr)  # type: ignore[arg-type]
