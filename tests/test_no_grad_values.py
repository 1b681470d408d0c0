"""A value computed under no_grad() is a number to later graphs, as in PyTorch: it receives no gradient."""

from __future__ import annotations

import copy
import math
import pickle
import re

import pytest
from conftest import needs_svg

from autograd import Value, grad, no_grad
from viz.step_through import name_of, step_through_page


def _frozen_square_times_weight() -> tuple[Value, Value, Value, Value]:
    x, w = Value(2.0, label="x"), Value(3.0, label="w")
    with no_grad():
        frozen = x * x
    loss = (frozen * w + w).tanh()
    loss.label = "L"
    return x, w, frozen, loss


def test_backward_adds_nothing_to_a_no_grad_value_and_the_rest_is_the_closed_form():
    x, w, frozen, loss = _frozen_square_times_weight()
    loss.backward()
    assert frozen.grad == 0.0
    assert x.grad == 0.0  # the graph stops at the no_grad value
    # d tanh(4w + w)/dw = 5 (1 - tanh(5w)^2) at w = 3
    assert w.grad == pytest.approx(5.0 * (1.0 - math.tanh(15.0) ** 2), rel=1e-12)
    assert not frozen.requires_grad and frozen.is_leaf and not frozen.is_constant


def test_a_no_grad_value_stays_without_gradient_across_create_graph_copies_and_pickles():
    x, w, frozen, loss = _frozen_square_times_weight()
    loss.backward(create_graph=True)
    assert frozen.grad == 0.0
    for copied in (copy.deepcopy(frozen), pickle.loads(pickle.dumps(frozen))):
        assert not copied.requires_grad and copied.data == 4.0
        (copied * Value(1.5)).backward()
        assert copied.grad == 0.0
    frozen.data = 5.0  # a leaf's number can still be changed
    assert frozen.data == 5.0


def test_grad_refuses_an_input_that_does_not_require_grad_as_pytorch():
    x, w, frozen, loss = _frozen_square_times_weight()
    with pytest.raises(RuntimeError, match=r"inputs\[0\] .*does not require grad: it is computed under no_grad"):
        grad(loss, [frozen, w])
    doubled = w * 2
    with pytest.raises(RuntimeError, match=r"inputs\[0\] .*does not require grad: it is a constant"):
        grad(doubled, [doubled.parents[1]])
    assert grad(loss, [w])[0].data == pytest.approx(5.0 * (1.0 - math.tanh(15.0) ** 2), rel=1e-12)


def test_matches_pytorch():
    t = pytest.importorskip("torch")
    x, w, frozen, loss = _frozen_square_times_weight()
    loss.backward()
    tx = t.tensor(2.0, dtype=t.float64, requires_grad=True)
    tw = t.tensor(3.0, dtype=t.float64, requires_grad=True)
    with t.no_grad():
        tfrozen = tx * tx
    tloss = t.tanh(tfrozen * tw + tw)
    tloss.backward()
    assert tfrozen.grad is None and tx.grad is None and not tfrozen.requires_grad
    assert frozen.grad == 0.0 and x.grad == 0.0
    assert w.grad == pytest.approx(tw.grad.item(), rel=1e-12)
    with pytest.raises(RuntimeError, match="does not require grad"):
        t.autograd.grad(tloss, [tfrozen])


@needs_svg
def test_step_through_page_neither_calls_a_no_grad_value_a_node_nor_gives_it_a_step():
    x, w, frozen, loss = _frozen_square_times_weight()
    page = step_through_page(loss)
    captions = re.findall(r'"caption": "([^"]*)"', page)
    # tanh(frozen * w + w): the add, then the mul, then w (through both); frozen (was "the mul node 1") none
    assert [c.split(" receives")[0] for c in captions[1:]] == ["Step 1: the add node 3", "Step 2: the mul node 2",
                                                               "Step 3: w"]
    assert "from its 2 consumers" in captions[3]
    assert name_of(frozen, {frozen: 1}) == "the no_grad mul value 1"
