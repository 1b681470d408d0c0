"""A graph built partly under `no_grad`: gradients flow through the recorded part only, as in torch."""

from __future__ import annotations

import math

import pytest

from autograd import Value, no_grad


def _build(w1, w2, x, tanh, block):
    """h = tanh(w1 x) computed under ``block`` (no_grad or not); y = w2 h + w1 h + w1 w2."""
    with block():
        h = tanh(w1 * x)
    return w2 * h + w1 * h + w1 * w2


def test_only_the_recorded_paths_carry_gradient_by_hand() -> None:
    w1, w2 = Value(0.5), Value(-1.5)
    y = _build(w1, w2, 2.0, lambda v: v.tanh(), no_grad)
    y.backward()
    h = math.tanh(0.5 * 2.0)
    # h is a constant to backward: dy/dw1 = h + w2, dy/dw2 = h + w1 (the path through h is cut).
    assert w1.grad == pytest.approx(h - 1.5, rel=1e-15)
    assert w2.grad == pytest.approx(h + 0.5, rel=1e-15)


def test_partial_no_grad_graph_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    ours = [Value(0.5), Value(-1.5)]
    theirs = [torch.tensor(v.data, dtype=torch.float64, requires_grad=True) for v in ours]
    _build(*ours, 2.0, lambda v: v.tanh(), no_grad).backward()
    _build(*theirs, 2.0, torch.tanh, torch.no_grad).backward()
    assert [v.grad for v in ours] == pytest.approx([t.grad.item() for t in theirs], rel=1e-15, abs=1e-15)
    # and with the block recording, both take the path through h as well
    ours = [Value(0.5), Value(-1.5)]
    theirs = [torch.tensor(v.data, dtype=torch.float64, requires_grad=True) for v in ours]
    _build(*ours, 2.0, lambda v: v.tanh(), _Recording).backward()
    _build(*theirs, 2.0, torch.tanh, _Recording).backward()
    assert [v.grad for v in ours] == pytest.approx([t.grad.item() for t in theirs], rel=1e-15, abs=1e-15)


class _Recording:
    """A block that changes nothing (the graph records as usual)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
