"""The ops with a kink or jump at 0 (sign, step, abs, relu), at exactly 0, against PyTorch.

torch.sign(0) = 0, torch.heaviside(0, 0) = 0 (relu's derivative at 0, as torch's ReLU backward uses),
and the gradient of |x| at 0 is sign(0) = 0. The central-difference tests sample away from 0, so
these points are checked here on their own.
"""

from __future__ import annotations

import pytest

from autograd import OPS, Value, apply


def _sign(x: float) -> float:
    return apply(OPS["sign"], Value(x)).data


def _step(x: float) -> float:
    return apply(OPS["step"], Value(x)).data


def test_sign_of_zero_is_zero_as_torch() -> None:
    torch = pytest.importorskip("torch")
    assert _sign(0.0) == torch.sign(torch.tensor(0.0, dtype=torch.float64)).item() == 0.0
    assert _sign(-3.0) == -1.0 and _sign(2.5) == 1.0


def test_step_of_zero_is_zero_as_torch_heaviside_with_value_0() -> None:
    torch = pytest.importorskip("torch")
    zero = torch.tensor(0.0, dtype=torch.float64)
    assert _step(0.0) == torch.heaviside(zero, zero).item() == 0.0
    assert _step(-1.0) == 0.0 and _step(1e-300) == 1.0


@pytest.mark.parametrize("name", ["abs", "relu"])
def test_gradient_at_zero_is_torchs(name: str) -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    getattr(torch, name)(t).backward()
    assert t.grad is not None
    x = Value(0.0)
    (abs(x) if name == "abs" else x.relu()).backward()
    assert x.grad == t.grad.item() == 0.0


def test_a_constant_exponent_gets_no_gradient() -> None:
    """``x ** 2``: the 2 is a constant node among the output's parents (micrograd-style ``_prev``); the op is
    not differentiated against it, so its gradient stays 0 (torch: a Python-number exponent has none)."""
    x = Value(3.0)
    y = x**2
    y.backward()
    assert x.grad == 6.0
    constants = [p for p in y._prev if p is not x]
    assert [p.data for p in constants] == [2.0]
    assert [p.grad for p in constants] == [0.0]
