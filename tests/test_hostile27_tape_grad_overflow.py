"""Hostile input, round 27: a replayed run whose scaled gradient overflows the parameters' ``.grad``.

Before: ``tape.run([3.0], scale=1e308)`` on ``x * w`` wrote ``inf`` into ``w.grad`` without a word (and a
second run with ``scale=-1e308`` made it ``nan``); so did a run adding to a ``.grad`` already near 1e308, and
``run_many``. The eager engine refuses the same accumulation (``FloatingPointError``: gradient inf accumulated
in a leaf). Now every run refuses it the same way, naming the parameter, and no ``.grad`` changes.
"""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import record


def _tape() -> tuple[Value, Value, object]:
    w = Value(0.5, label="w")
    v = Value(2.0, label="v")
    return w, v, record(lambda x: x * w + v, example=[1.0], parameters=[v, w])


def test_a_run_whose_scaled_gradient_overflows_is_refused_and_changes_no_grad() -> None:
    w, v, tape = _tape()
    with pytest.raises(FloatingPointError, match="'w'"):
        tape.run([3.0], scale=1e308)  # d/dw = 3, times 1e308: inf
    assert (v.grad, w.grad) == (0.0, 0.0)  # all or nothing: v's finite 1e308 was not added either


def test_a_run_adding_to_a_grad_near_the_float_limit_is_refused() -> None:
    w, v, tape = _tape()
    w.grad = 1.5e308
    v.grad = 1.0
    with pytest.raises(FloatingPointError, match="'w'"):
        tape.run([3.0], scale=1e308 / 3)  # 1.5e308 + 1e308 overflows
    assert (v.grad, w.grad) == (1.0, 1.5e308)


def test_run_many_refuses_the_same_overflow() -> None:
    w, v, tape = _tape()
    with pytest.raises(FloatingPointError, match="'w'"):
        tape.run_many([[3.0], [3.0]], scale=6e307)  # d/dv = 2 (finite 1.2e308), d/dw = 6: 3.6e308
    assert (v.grad, w.grad) == (0.0, 0.0)


def test_eager_backward_refuses_the_same_accumulation() -> None:
    # The reference the tape now follows: backward() into a .grad near the limit is a FloatingPointError.
    w = Value(0.5, label="w")
    w.grad = 1.5e308
    with pytest.raises(FloatingPointError):
        (Value(3.0) * w * 1e308).backward()


def test_large_finite_runs_still_add() -> None:
    w, v, tape = _tape()
    assert tape.run([3.0], scale=1e307) == 3.5
    assert (v.grad, w.grad) == (1e307, 3e307)
