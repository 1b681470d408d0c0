"""SiLU's second derivative (``create_graph=True``) far on the negative side, where it used to underflow.

The closed form is silu''(x) = s (1 - s) (2 + x (1 - 2 s)) with s the sigmoid, computed here in 60-digit
decimal arithmetic. Differentiating torch's first-derivative formula as a graph of 1 / (1 + e^-x) gave
d(1/u) = -(1/u)/u, which underflows to 0 once e^-x passes 1e154: below x = -354 the second derivative came
out as s (positive) instead of about x e^x (negative). torch's double backward is compared too.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

import nn.functional as F
from autograd import Value, grad

# From just past the old underflow edge to exp's last finite point (torch's own sigmoid stops there).
POINTS = [-354.5, -360.0, -400.0, -512.25, -600.0, -650.0, -700.0, -709.0, -709.782712893384, -30.0, -2.5, 0.75]


def _closed_form(x: float) -> float:
    with localcontext() as context:
        context.prec = 60
        d = Decimal(x)
        s = 1 / (1 + (-d).exp())
        return float(s * (1 - s) * (2 + d * (1 - 2 * s)))


def _ours(x: float) -> tuple[float, float]:
    v = Value(x)
    (first,) = grad(F.silu(v), [v], create_graph=True)
    (second,) = grad(first, [v])
    return first.data, second.data


@pytest.mark.parametrize("x", POINTS)
def test_second_derivative_equals_the_closed_form(x: float) -> None:
    _, second = _ours(x)
    expected = _closed_form(x)
    assert second == pytest.approx(expected, rel=1e-13, abs=0.0), (x, second, expected)


@pytest.mark.parametrize("x", POINTS)
def test_first_derivative_with_a_graph_is_the_plain_one(x: float) -> None:
    """The graph's first derivative is the number ``backward()`` gives (torch's formula), bit for bit."""
    first, _ = _ours(x)
    v = Value(x)
    F.silu(v).backward()
    assert first == v.grad


@pytest.mark.parametrize("x", POINTS + [-709.79, -720.0, -800.0])
def test_second_derivative_equals_torch_double_backward(x: float) -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    (first,) = torch.autograd.grad(torch.nn.functional.silu(t), [t], create_graph=True)
    (second,) = torch.autograd.grad(first, [t])
    ours_first, ours_second = _ours(x)
    assert ours_first == pytest.approx(first.item(), rel=1e-15, abs=0.0)
    # Below -709.78 torch's sigmoid is 1 / (1 + inf) = 0 and both second derivatives are 0.
    assert ours_second == pytest.approx(second.item(), rel=1e-13, abs=0.0), (x, ours_second, second.item())


def test_third_derivative_far_left_has_the_right_sign_and_size() -> None:
    """silu''' = s(1-s)(3(1-2s) + x(1 - 6s + 6s^2)) ~ x e^x (negative x: negative), not 0 from an underflow."""
    x = -500.0
    v = Value(x)
    (first,) = grad(F.silu(v), [v], create_graph=True)
    (second,) = grad(first, [v], create_graph=True)
    (third,) = grad(second, [v])
    with localcontext() as context:
        context.prec = 60
        d = Decimal(x)
        s = 1 / (1 + (-d).exp())
        expected = float(s * (1 - s) * (3 * (1 - 2 * s) + d * (1 - 6 * s + 6 * s * s)))
    assert third.data == pytest.approx(expected, rel=1e-12, abs=0.0)
