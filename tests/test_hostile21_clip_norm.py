"""Hostile input, round 21: a tiny norm_type whose norm passes the largest float.

Six gradients of 1 have p-norm 6 ** (1 / p): at p = 1e-5 that is 6 ** 100000, far past the float range, so
the norm is inf, as torch's ``vector_norm`` gives (and ``clip_grad_norm_`` then scales every gradient by
max_norm / inf = 0, unless ``error_if_nonfinite``). It used to end in ``OverflowError: (34, 'Numerical result
out of range')`` from inside the norm's last power.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import clip_grad_norm_, get_total_norm
from nn.optim import NonFiniteNormError


def _parameters(grad: float, n: int = 6) -> list[Value]:
    params = [Value(0.5) for _ in range(n)]
    for p in params:
        p.grad = grad
    return params


@pytest.mark.parametrize("norm_type", [1e-5, 1e-300, 5e-324])
def test_a_norm_past_the_float_range_from_a_tiny_norm_type_is_inf(norm_type: float) -> None:
    assert math.log(6.0) / norm_type > math.log(1.7976931348623157e308)  # the closed form: 6 ** (1/p) > max float
    assert get_total_norm([1.0] * 6, norm_type) == math.inf
    params = _parameters(1.0)
    assert clip_grad_norm_(params, 1.0, norm_type=norm_type) == math.inf
    assert [p.grad for p in params] == [0.0] * 6  # max_norm / (inf + 1e-6) = 0, as torch scales


def test_error_if_nonfinite_names_it_and_leaves_the_gradients() -> None:
    params = _parameters(1.0)
    with pytest.raises(NonFiniteNormError, match="non-finite"):
        clip_grad_norm_(params, 1.0, norm_type=1e-5, error_if_nonfinite=True)
    assert [p.grad for p in params] == [1.0] * 6


def test_a_small_norm_type_with_a_finite_norm_is_still_the_closed_form() -> None:
    # p = 0.01: (6 * 1 ** p) ** 100 = 6 ** 100, a float.
    assert get_total_norm([1.0] * 6, 0.01) == pytest.approx(6.0 ** 100, rel=1e-12)


def test_a_tiny_norm_type_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    w = torch.nn.Parameter(torch.zeros(6, dtype=torch.float64))
    w.grad = torch.ones(6, dtype=torch.float64)
    expected = torch.nn.utils.clip_grad_norm_([w], 1.0, norm_type=1e-5).item()
    params = _parameters(1.0)
    assert clip_grad_norm_(params, 1.0, norm_type=1e-5) == expected
    assert [p.grad for p in params] == w.grad.tolist()
