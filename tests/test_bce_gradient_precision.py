"""``binary_cross_entropy`` on probabilities: torch's formulas, so its value and gradient are torch's bits.

References: torch's float64 ``F.binary_cross_entropy`` (value, and gradients in
the probability and the target), and a 60-digit `decimal` evaluation of the
gradient (p - y) / (p (1 - p)). The loss used to be a graph of logs, whose
gradient y / p - (1 - y) / (1 - p) cancelled near p = y: 1.7 ulps on average,
47 at worst, against torch's 0.45 and 1.8 (bench/precision_sweep.py).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal, localcontext

import pytest

import nn.functional as F
from autograd import Value


def ours(p: float, y: float) -> tuple[float, float, float]:
    pv, yv = Value(p), Value(y)
    loss = F.binary_cross_entropy(pv, yv)
    loss.backward()
    return loss.data, pv.grad, yv.grad


def samples() -> list[tuple[float, float]]:
    rng = random.Random(12)
    out = []
    for _ in range(300):
        y = rng.choice([rng.random(), 0.0, 1.0, 0.3])
        p = rng.choice([rng.random(), y + rng.uniform(-1e-6, 1e-6), rng.uniform(0, 1e-4), 1 - rng.uniform(0, 1e-4)])
        out.append((min(max(p, 0.0), 1.0), y))
    return out + [(0.0, 0.3), (1.0, 0.3), (1.0, 0.0), (0.0, 1.0), (1e-50, 0.2)]


def test_value_and_probability_gradient_are_torchs_bit_for_bit() -> None:
    torch = pytest.importorskip("torch")
    for p, y in samples():
        tp = torch.tensor(p, dtype=torch.float64, requires_grad=True)
        ty = torch.tensor(y, dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.binary_cross_entropy(tp, ty)
        loss.backward()
        value, grad_p, grad_y = ours(p, y)
        assert (value, grad_p) == (loss.item(), tp.grad.item()), (p, y)  # at p = 0 or 1 too: torch's huge gradient
        if 0.0 < p < 1.0:  # torch's -logit(p): its log and libm's (math.log) differ in the last bit at some points
            assert abs(grad_y - ty.grad.item()) <= math.ulp(ty.grad.item()), (p, y)
        else:  # torch's target gradient is infinite there; ours the floored logs' difference
            assert grad_y == (100.0 if p == 0.0 else -100.0)


def test_the_gradient_near_the_target_keeps_its_digits() -> None:
    worst = 0.0
    for p, y in samples():
        if not 1e-3 < p < 1 - 1e-3 or p == y:
            continue
        with localcontext() as ctx:
            ctx.prec = 60
            exact = (Decimal(p) - Decimal(y)) / (Decimal(p) * (1 - Decimal(p)))
            worst = max(worst, float(abs(Decimal(ours(p, y)[1]) - exact) / Decimal(math.ulp(float(exact)))))
    assert worst <= 2.5  # three roundings; the graph of logs: up to 1e6 ulps at p - y = 1e-6
