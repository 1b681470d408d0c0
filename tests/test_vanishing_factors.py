"""The vanishing gradient as a product of factors (lecture/vanishing_factors.py) against the hello RNN's forward
pass and its factors diag(1 - h_t^2) Whh written out here in plain floats."""

from __future__ import annotations

import math

import pytest

from lecture.hello_rnn import HELLO_WHH, HELLO_WHY, HELLO_WXH
from lecture.vanishing_factors import vanishing_factors

INPUTS, TARGET_4 = [0, 1, 2, 2], 3  # "hell"; L4's target is "o"


def dot(u: list[float], v: list[float]) -> float:
    out = 0.0
    for a, b in zip(u, v):
        out += a * b
    return out


def by_hand() -> tuple[list[list[float]], list[list[float]]]:
    """h_1..h_4 and dL4/dh_t for t = 4..1: dL4/dh_4 = Why^T (p_4 - y_4), then one factor per step back."""
    h = [0.0, 0.0, 0.0]
    hs = []
    for x in INPUTS:
        h = [math.tanh(HELLO_WXH[k][x] + dot(HELLO_WHH[k], h)) for k in range(3)]
        hs.append(h)
    logits = [dot(row, hs[3]) for row in HELLO_WHY]
    exps = [math.exp(z) for z in logits]
    norm = 0.0
    for e in exps:
        norm += e
    dy = [e / norm for e in exps]
    dy[TARGET_4] -= 1.0
    grad = [dot([HELLO_WHY[j][k] for j in range(4)], dy) for k in range(3)]
    grads = [grad]
    for t in (4, 3, 2):  # dL/dh_t-1 = Whh^T (diag(1 - h_t^2) dL/dh_t)
        through_tanh = [(1.0 - hs[t - 1][k] ** 2) * grad[k] for k in range(3)]
        grad = [dot([HELLO_WHH[k][m] for k in range(3)], through_tanh) for m in range(3)]
        grads.append(grad)
    return hs, grads


def test_the_engines_gradients_are_the_factors_product() -> None:
    hs, grads = by_hand()
    report = vanishing_factors()
    assert [s.t for s in report.steps] == [4, 3, 2, 1]
    for s, want in zip(report.steps, grads):
        assert s.grad == pytest.approx(want, rel=1e-12, abs=1e-15), s.t
        assert s.chained == pytest.approx(want, rel=1e-12, abs=1e-15), s.t
        assert s.agrees
    for s in report.steps[:-1]:
        assert s.slopes == pytest.approx([1.0 - v * v for v in hs[s.t - 1]], rel=1e-14)


def test_each_step_back_shrinks_the_gradient_at_most_by_its_factors_norm() -> None:
    report = vanishing_factors()
    norms = [math.sqrt(dot(s.grad, s.grad)) for s in report.steps]
    for i in range(1, 4):
        factor = report.steps[i - 1].factor_norm
        assert factor is not None
        assert norms[i] / norms[i - 1] <= factor
        assert norms[i] < norms[i - 1]  # on the hello RNN every step back shrinks it
    ratio = norms[3] / norms[0]
    product = 1.0
    for i in range(1, 4):
        product *= norms[i] / norms[i - 1]
    assert ratio == pytest.approx(product, rel=1e-12) and ratio < 0.01
    assert f"||dL/dh_1|| / ||dL/dh_4|| = {ratio:.4f}" in report.text()
    with pytest.raises(ValueError, match="step T must be a whole number in 1..4"):
        vanishing_factors(0)
