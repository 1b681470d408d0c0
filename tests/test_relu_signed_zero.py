"""relu at -0.0 and +0.0, value and gradient, against PyTorch: eager, the nn activation and replay."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from autograd.replay import record
from nn.activations import activation


def _torch_relu(x0: float) -> tuple[float, float]:
    torch = pytest.importorskip("torch")
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = torch.nn.ReLU()(x)
    y.backward()
    assert x.grad is not None
    return y.item(), x.grad.item()


@pytest.mark.parametrize("x0", [-0.0, 0.0, -2.5, 1.25])
def test_relu_keeps_the_sign_of_zero_and_has_gradient_0_at_0_as_torch(x0: float) -> None:
    want, want_grad = _torch_relu(x0)
    for f in (Value.relu, activation("relu")):
        x = Value(x0)
        y = f(x)
        y.backward()
        assert y.data == want and math.copysign(1.0, y.data) == math.copysign(1.0, want)
        assert x.grad == want_grad


def test_replay_and_batch_replay_keep_the_sign_of_zero() -> None:
    pytest.importorskip("numpy")
    w = Value(1.0)
    tape = record(lambda x: (x * w).relu(), example=[0.5], parameters=[w])
    for x0 in (-0.0, 0.0, -1.0):
        want, want_grad = _torch_relu(x0)
        loss, (g,) = tape.evaluate([x0])
        assert math.copysign(1.0, loss) == math.copysign(1.0, want) and loss == want
        assert g == want_grad * x0  # d relu(x w)/dw = step(x w) x
    losses, (g_sum,) = tape.run_batch([[-0.0, 0.0, -1.0, 2.0]])
    assert [math.copysign(1.0, v) for v in losses] == [-1.0, 1.0, 1.0, 1.0]
    assert list(losses) == [0.0, 0.0, 0.0, 2.0] and g_sum == 2.0
