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


def test_clip_bounds_and_two_moons_noise_take_numpy_numbers_and_keep_gradients_float() -> None:
    from nn import clip_grad_norm, clip_grad_norm_, clip_grad_value_, two_moons

    def params() -> list[Value]:
        ws = [Value(1.0), Value(1.0)]
        ws[0].grad, ws[1].grad = 3.0, 4.0
        return ws

    ws = params()
    assert clip_grad_norm_(ws, np.float32(1.0), norm_type=np.float32(2.0)) == 5.0
    assert [type(w.grad) for w in ws] == [float, float]  # float32 arithmetic would have made float32 gradients
    assert [w.grad for w in ws] == pytest.approx([0.6, 0.8], rel=1e-6)  # scale 1 / (5 + 1e-6), as torch
    ws = params()
    clip_grad_value_(ws, np.float32(3.5))
    assert [w.grad for w in ws] == [3.0, 3.5]
    ws = params()
    assert clip_grad_norm(ws, np.int64(1)) == 5.0 and [type(w.grad) for w in ws] == [float, float]
    assert two_moons(4, noise=np.float32(0.25)) == two_moons(4, noise=0.25)  # 0.25 is exact in float32
