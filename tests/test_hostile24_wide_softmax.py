"""Hostile input, round 24: a softmax or cross-entropy over many classes backpropagates in O(n).

The softmax family's shift is one ``largest`` node (torch.amax) over the logits. Its local derivative for each
input was an expression naming every input (the tie count, ``amax_share(x_i, out, x0, ..., xn)``), so a node
of n inputs compiled O(n^2) source and did O(n^2) work: ``F.cross_entropy`` over 3,000 logits took 15 s a
backward pass, over 30,000 it ran out of time and memory. Past `INLINE_BACKWARD_UP_TO` inputs the op's
``wide_derivative`` now gives every partial at once. The tests check the numbers against torch, and that the
n expressions are never generated for a wide node (no timing).
"""

from __future__ import annotations

import math

import pytest

from autograd import OPS, Value, apply, grad, softmax
from autograd.helpers import amax_share
from autograd.op import INLINE_BACKWARD_UP_TO
from nn.functional import cross_entropy

WIDE = INLINE_BACKWARD_UP_TO + 521  # a fan-in no other test compiles first


def _logits(n: int) -> list[float]:
    # Several ties at the largest value, as a saturated network's logits have.
    return [math.sin(i) if i % 97 else 1.5 for i in range(n)]


def test_wide_cross_entropy_matches_torch_without_wide_expressions(no_wide_expressions: None) -> None:
    torch = pytest.importorskip("torch")
    data = _logits(WIDE)
    xs = [Value(x) for x in data]
    loss = cross_entropy(xs, 5)
    loss.backward()
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(t.unsqueeze(0), torch.tensor([5]))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-13)
    assert [x.grad for x in xs] == pytest.approx(t.grad.tolist(), abs=1e-15)


def test_wide_largest_splits_a_tie_as_torch_amax(no_wide_expressions: None) -> None:
    torch = pytest.importorskip("torch")
    data = _logits(WIDE)
    xs = [Value(x) for x in data]
    top = apply(OPS["largest"], *xs)
    top.backward()
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    torch.amax(t).backward()
    assert top.data == 1.5
    assert [x.grad for x in xs] == t.grad.tolist()  # 1/k exactly for each of the k tied inputs, 0 elsewhere


def test_wide_second_derivative_of_softmax_matches_torch(no_wide_expressions: None) -> None:
    torch = pytest.importorskip("torch")
    data = _logits(WIDE)
    xs = [Value(x) for x in data]
    (g3,) = grad(softmax(xs)[3], [xs[3]], create_graph=True)
    (h33,) = grad(g3, [xs[3]])
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    (tg,) = torch.autograd.grad(torch.softmax(t, 0)[3], t, create_graph=True)
    (th,) = torch.autograd.grad(tg[3], t)
    assert g3.data == pytest.approx(tg[3].item(), rel=1e-12)
    assert h33.data == pytest.approx(th[3].item(), rel=1e-12)


@pytest.mark.parametrize("data", [[1.0, 3.0, 3.0, 2.0], [float("nan"), 1.0], [-0.0, 0.0, -1.0], [2.0] * 5])
def test_wide_derivative_gives_amax_shares_numbers(data: list[float]) -> None:
    largest = OPS["largest"]
    out = largest.forward(*data)
    assert largest.wide_derivative is not None
    wide = largest.wide_derivative(out, *data)
    one_by_one = tuple(amax_share(x, out, *data) for x in data)
    assert [math.copysign(1, w) for w in wide] == [math.copysign(1, s) for s in one_by_one]
    assert wide == pytest.approx(one_by_one, nan_ok=True)
