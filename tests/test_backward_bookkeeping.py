"""The backward pass keeps its bookkeeping in the interior nodes' ``.grad`` slots (no dict keyed by node):
an earlier pass, even an interrupted one, must never be taken for the current one, and every interior node
reached twice (a diamond, a node used as both operands) is still visited exactly once."""

from __future__ import annotations

import math

import pytest

from autograd import Value


def test_a_pass_interrupted_by_an_overflow_leaves_nothing_that_confuses_the_next() -> None:
    x = Value(1.5)
    a = x * 2.0  # listed by the first pass, then never reached: it keeps that pass's bookkeeping
    c = a + a
    tiny = c * 1e-300
    root = tiny.log() * 1e10  # finite, but d(root)/d(tiny) = 1e10 / 6e-300 is not
    with pytest.raises(FloatingPointError, match="not finite"):
        root.backward()
    assert x.grad == 0.0  # the pass stopped before reaching x
    (a * 3.0).backward()
    assert a.grad == 3.0
    assert x.grad == 6.0  # d(3 * 2x)/dx; 0.0 if `a` had been taken as already listed


def test_interior_gradients_are_fresh_on_every_pass_and_leaves_accumulate() -> None:
    x = Value(0.7)
    y = Value(-1.2)
    shared = x * y
    out = (shared * shared + shared.tanh()) * (shared + y)
    expected_dshared = 2 * shared.data * (shared.data + y.data) + (1 - math.tanh(shared.data) ** 2) * (
        shared.data + y.data) + (shared.data**2 + math.tanh(shared.data))
    for calls in (1, 2, 3):
        out.backward()
        assert shared.grad == pytest.approx(expected_dshared, rel=1e-12)
        assert x.grad == pytest.approx(calls * expected_dshared * y.data, rel=1e-12)


def test_a_wide_graph_of_diamonds_matches_the_closed_form() -> None:
    # h_{k+1} = tanh(sum_j w * h_k[j]): every node of a layer feeds every node of the next, as in an MLP.
    width, depth, w = 5, 6, 0.3
    h = [Value(0.1 * (j + 1)) for j in range(width)]
    inputs = list(h)
    for _ in range(depth):
        h = [sum((hj * w for hj in h), Value(0.0)).tanh() for _ in range(width)]
    out = sum(h, Value(0.0))
    out.backward()
    # Every neuron of a layer has the same value s_k, so d(out)/d(input j) = width * prod_k (w * width *
    # (1 - s_k^2)) / width, computed from the plain floats layer by layer.
    s = math.tanh(w * sum(0.1 * (j + 1) for j in range(width)))
    factor = w * (1 - s * s)
    for _ in range(depth - 1):
        s_next = math.tanh(w * width * s)
        factor *= w * width * (1 - s_next * s_next)
        s = s_next
    for leaf in inputs:
        assert leaf.grad == pytest.approx(width * factor, rel=1e-12)
