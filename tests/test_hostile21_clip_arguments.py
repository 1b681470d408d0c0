"""Hostile input, round 21: the clippers name a bound past the float range, and `clip_grad_norm` checks its input.

``clip_grad_value_(ps, 10**400)``, ``clip_grad_norm_(ps, 10**400)`` and ``norm_type=10**400`` compared fine with
inf and then failed with a bare "int too large to convert to float". valuegrad's own ``clip_grad_norm`` took
``max_norm=True`` as a bound of 1, failed inside a comparison for a string or None, and squared each gradient:
gradients of 3e200 and 4e200 made a norm of inf and every gradient was set to 0, silently.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_


def _parameters(*grads: float) -> list[Value]:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    return params


@pytest.mark.parametrize(("call", "name"), [
    (lambda ps: clip_grad_value_(ps, 10**400), "clip_value"),
    (lambda ps: clip_grad_norm_(ps, 10**400), "max_norm"),
    (lambda ps: clip_grads_with_norm_(ps, 10**400, 5.0), "max_norm"),
    (lambda ps: clip_grad_norm_(ps, 1.0, norm_type=10**400), "norm_type"),
    (lambda ps: clip_grad_norm(ps, 10**400), "max_norm"),
])
def test_a_bound_past_the_float_range_is_named(call, name: str) -> None:  # type: ignore[no-untyped-def]
    params = _parameters(5.0)
    with pytest.raises(ValueError) as caught:
        call(params)
    assert str(caught.value) == f"{name} must be a number a float can hold, got an integer of 401 digits"
    assert params[0].grad == 5.0


@pytest.mark.parametrize("max_norm", ["1", None, True, 0, -1.0, float("nan")])
def test_clip_grad_norm_refuses_a_bound_that_is_no_positive_number(max_norm: object) -> None:
    params = _parameters(5.0)
    with pytest.raises(ValueError, match="^max_norm must be positive, got "):
        clip_grad_norm(params, max_norm)  # type: ignore[arg-type]
    assert params[0].grad == 5.0


def test_clip_grad_norm_of_huge_gradients_is_their_norm_not_inf() -> None:
    params = _parameters(3e200, 4e200)
    norm = clip_grad_norm(params, 1.0)
    assert norm == pytest.approx(5e200, rel=1e-15)  # hypot, the closed form 5e200
    assert [p.grad for p in params] == pytest.approx([0.6, 0.8], rel=1e-15)


def test_clip_grad_norm_still_clips_and_names_a_non_value() -> None:
    params = _parameters(3.0, 4.0)
    assert clip_grad_norm(params, 1.0) == 5.0
    assert [p.grad for p in params] == pytest.approx([0.6, 0.8], rel=1e-15)
    assert clip_grad_norm(_parameters(0.3, 0.4), 1.0) == pytest.approx(0.5, rel=1e-15)  # below the bound: unchanged
    with pytest.raises(TypeError, match="^parameters must be autograd Values, got float at index 0$"):
        clip_grad_norm([1.0], 1.0)  # type: ignore[list-item]
    assert math.isfinite(clip_grad_norm(_parameters(1e-300, 1e-300), 1.0))
