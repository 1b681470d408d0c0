"""A gradient hook registered on a parameter AFTER `record`: a tape calls no hooks, so `run` added the unhooked
gradient to ``.grad`` (36 where backward() gives 18 with a halving hook) without a word. Every replay now
refuses it by name, changing no ``.grad``; removing the hook makes the tape usable again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from autograd import Value
from autograd.replay import ReplayError, record


def _loss(w: Value) -> Callable[[Value], Value]:
    """(x w)^2: d/dw = 2 x^2 w."""
    return lambda x: (x * w) ** 2


def test_a_hook_added_after_recording_is_refused_by_every_replay() -> None:
    w = Value(2.0, label="w")
    tape = record(_loss(w), [3.0], [w])
    handle = w.register_hook(lambda g: g * 0.5)
    x = Value(3.0)
    w.grad = 0.0
    ((x * w) ** 2).backward()
    assert w.grad == 18.0  # d/dw (3w)^2 = 18 w = 36, halved by the hook: eager's number
    w.grad = 0.0
    calls = [lambda: tape.run([3.0]), lambda: tape.run_many([[3.0]]), lambda: tape.evaluate([3.0])]
    for call in calls:
        with pytest.raises(ReplayError, match="tape parameter 0 'w' .* has gradient hooks"):
            call()
        assert w.grad == 0.0
    handle.remove()
    tape.run([3.0])
    assert w.grad == 36.0  # no hook: the closed form 18 * w


def test_run_batch_refuses_it_too() -> None:
    pytest.importorskip("numpy")
    w = Value(2.0)
    tape = record(_loss(w), [3.0], [w])
    with w.register_hook(lambda g: g * 0.5), pytest.raises(ReplayError, match="tape parameter 0 .* gradient hooks"):
        tape.run_batch([[3.0, 1.0]])
    losses, grads = tape.run_batch([[3.0, 1.0]])
    assert list(losses) == [36.0, 4.0] and float(grads[0]) == 36.0 + 4.0  # (xw)^2 and 2 x^2 w summed
