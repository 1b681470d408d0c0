"""torch's two halves of clip_grad_norm_: get_total_norm and clip_grads_with_norm_.

Closed forms run everywhere; the comparison with torch skips where it is not installed.
"""

from __future__ import annotations

import math

import pytest

import nn
from autograd import Value


def _params(grads: list[float]) -> list[Value]:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def test_total_norm_of_gradients_by_hand() -> None:
    assert nn.get_total_norm([3.0, 4.0]) == 5.0
    assert nn.get_total_norm([3.0, -4.0], norm_type=1) == 7.0
    assert nn.get_total_norm([3.0, -4.0], norm_type="inf") == 4.0
    assert nn.get_total_norm([]) == 0.0
    assert nn.get_total_norm([Value(6.0), None, 8.0]) == 10.0  # a Value counts by its number; None is skipped
    assert nn.get_total_norm(2.5) == 2.5


def test_the_two_halves_make_clip_grad_norm() -> None:
    whole, halves = _params([3.0, 4.0, -12.0]), _params([3.0, 4.0, -12.0])
    norm = nn.clip_grad_norm_(whole, 2.0)
    total = nn.get_total_norm([p.grad for p in halves])
    assert nn.clip_grads_with_norm_(halves, 2.0, total) is None
    assert total == norm == 13.0
    assert [p.grad for p in halves] == [p.grad for p in whole]
    assert [p.grad for p in halves] == pytest.approx([3 * 2 / 13, 4 * 2 / 13, -12 * 2 / 13], rel=1e-6)


def test_a_total_norm_below_max_norm_leaves_the_gradients_and_a_nan_one_spreads() -> None:
    params = _params([0.3, 0.4])
    nn.clip_grads_with_norm_(params, 1.0, 0.5)
    assert [p.grad for p in params] == [0.3, 0.4]
    nn.clip_grads_with_norm_(params, 1.0, math.nan)
    assert all(math.isnan(p.grad) for p in params)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [(lambda: nn.get_total_norm(["3"]), TypeError, "needs numbers"),
     (lambda: nn.get_total_norm([math.nan], error_if_nonfinite=True), nn.optim.NonFiniteNormError, "non-finite"),
     (lambda: nn.get_total_norm([1.0], norm_type="two"), ValueError, "norm_type"),
     (lambda: nn.clip_grads_with_norm_(_params([1.0]), 1.0, -2.0), ValueError, "total_norm"),
     (lambda: nn.clip_grads_with_norm_(_params([1.0]), -1.0, 2.0), ValueError, "max_norm")],
)
def test_bad_arguments_are_named(call, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
def test_torch_gives_the_same_norms_and_gradients(norm_type: float) -> None:
    torch = pytest.importorskip("torch")
    grads = [0.5, -2.0, 3.25, 1e-3]
    theirs = [torch.ones(1, dtype=torch.float64, requires_grad=True) for _ in grads]
    for t, g in zip(theirs, grads):
        t.grad = torch.tensor([g], dtype=torch.float64)
    their_total = torch.nn.utils.get_total_norm([t.grad for t in theirs], norm_type=norm_type)
    torch.nn.utils.clip_grads_with_norm_(theirs, 1.5, their_total)
    ours = _params(grads)
    total = nn.get_total_norm([p.grad for p in ours], norm_type=norm_type)
    nn.clip_grads_with_norm_(ours, 1.5, total)
    assert total == pytest.approx(their_total.item(), rel=1e-15)
    assert [p.grad for p in ours] == pytest.approx([t.grad.item() for t in theirs], rel=1e-15)



def test_integers_past_the_largest_float_are_named_or_count_as_inf() -> None:
    with pytest.raises(ValueError, match="too large for a float"):
        nn.get_total_norm([1.0, 10**400])
    params = _params([2.0, -3.0])
    nn.clip_grads_with_norm_(params, 1.0, 10**400)  # a norm of inf: torch's scale 0
    assert [p.grad for p in params] == [0.0, -0.0]
