"""Two corners of the backward pass: a seed other than 1, and a wide node (more than 256 parents, the generic
backward step) whose parent appears more than once or is also used elsewhere.

Expected values are closed forms, and PyTorch's ``backward(gradient=...)`` where torch is installed.
"""

from __future__ import annotations

import math

import pytest

from autograd import OPS, Value, apply


@pytest.mark.parametrize("seed", [2.5, -0.75, 0.0])
def test_backward_seed_scales_every_gradient(seed: float) -> None:
    x, w = Value(1.5), Value(-2.0)
    y = (x * w).tanh() + x * x
    y.backward(seed)
    # tanh'(-3) = 1 - t^2 = 1 / cosh(-3)^2: the latter in floats, since 1 - t*t cancels the rounding of
    # t = 0.995 into 2e-15 of the result (the engine's tanh' avoids that cancellation too).
    sech2 = 1.0 / math.cosh(1.5 * -2.0) ** 2
    # dy/dx = w (1 - t^2) + 2 x, dy/dw = x (1 - t^2)
    assert x.grad == pytest.approx(seed * (-2.0 * sech2 + 3.0), rel=1e-15, abs=0.0)
    assert w.grad == pytest.approx(seed * (1.5 * sech2), rel=1e-15, abs=0.0)


def test_backward_seed_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")
    tx = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    ty = (tx * 4.0).sigmoid() * tx
    ty.backward(torch.tensor(-1.25, dtype=torch.float64))
    assert tx.grad is not None
    x = Value(0.3)
    y = (x * 4.0).sigmoid() * x
    y.backward(-1.25)
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-15, abs=0.0)


@pytest.mark.parametrize("width", [300, 1000])
def test_a_wide_sum_adds_into_a_parent_that_appears_more_than_once(width: int) -> None:
    x = Value(0.5)
    others = [Value(float(i)) for i in range(width - 3)]
    s = apply(OPS["sum"], x, *others[:100], x, *others[100:], x)
    y = s + x * x  # x also reaches the root outside the wide node
    y.backward()
    assert x.grad == 3.0 + 2 * 0.5  # d/dx (3 x + x^2)
    assert all(o.grad == 1.0 for o in others)


def test_a_wide_logsumexp_gradient_sums_the_softmax_over_a_repeated_parent() -> None:
    x = Value(1.0)
    rest = [Value(0.01 * i) for i in range(298)]
    apply(OPS["logsumexp"], x, *rest, x).backward()
    # d/dx logsumexp(x, r..., x) = 2 e^x / (2 e^x + sum e^r)
    total = 2 * math.exp(1.0) + math.fsum(math.exp(0.01 * i) for i in range(298))
    assert x.grad == pytest.approx(2 * math.exp(1.0) / total, rel=1e-13)
    assert rest[5].grad == pytest.approx(math.exp(0.05) / total, rel=1e-13)
