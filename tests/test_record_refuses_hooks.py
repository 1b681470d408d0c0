"""A tape calls no gradient hooks, so `record` refuses a graph holding a hooked value (it would differ from eager)."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import ReplayError, record


def _model(w: Value, hook_inner: bool):
    def loss(x: Value) -> Value:
        h = (w * x).tanh()
        if hook_inner:
            h.register_hook(lambda g: 2.0 * g)
        return h * h

    return loss


def test_a_hooked_interior_value_is_refused_naming_its_data() -> None:
    w = Value(0.3)
    with pytest.raises(ReplayError, match=r"gradient hooks \(data=0\.29"):
        record(_model(w, hook_inner=True), example=[1.0], parameters=[w])


def test_a_hooked_parameter_is_refused_and_recording_works_once_the_hook_is_removed() -> None:
    w = Value(0.3, label="w")
    handle = w.register_hook(lambda g: 10.0 * g)
    with pytest.raises(ReplayError, match="gradient hooks 'w'"):
        record(_model(w, hook_inner=False), example=[2.0], parameters=[w])
    handle.remove()
    tape = record(_model(w, hook_inner=False), example=[2.0], parameters=[w])
    loss, grads = tape.evaluate([2.0])
    # d/dw tanh(2w)^2 = 2 tanh(2w) (1 - tanh(2w)^2) * 2, closed form at w = 0.3
    import math

    t = math.tanh(0.6)
    assert loss == pytest.approx(t * t, rel=1e-15)
    assert grads[0] == pytest.approx(4.0 * t * (1.0 - t * t), rel=1e-13)


def test_a_hook_on_an_unrelated_value_does_not_block_recording() -> None:
    other = Value(5.0)
    handle = other.register_hook(lambda g: g)
    try:
        w = Value(0.3)
        tape = record(_model(w, hook_inner=False), example=[1.0], parameters=[w])
        eager = _model(w, hook_inner=False)(Value(1.0))
        eager.backward()
        assert tape.evaluate([1.0])[1][0] == pytest.approx(w.grad, rel=1e-12)
    finally:
        handle.remove()
