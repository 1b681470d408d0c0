"""Hostile input, round 15: each test is a bug a hostile tester found, with the behaviour fixed."""

from __future__ import annotations

import copy
import pickle

import pytest

from autograd import Value
from nn import MLP


def _nodes_through_parents_and_grads(root: Value) -> set[int]:
    """Every Value reachable from ``root`` through parents and through gradients that are Values."""
    seen: dict[int, Value] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(node.parents)
        if isinstance(node.grad, Value):
            stack.append(node.grad)
    return set(seen)


def test_a_graph_after_backward_with_create_graph_copies_each_node_once() -> None:
    """After ``backward(create_graph=True)`` every interior ``.grad`` is a Value sharing the backward graph.
    Each was pickled as a table of its own, so the shared nodes were copied once per gradient: at depth 1,000
    a copy took 2.9 s and at 20,000 it filled 23 GB before it was stopped (the 100,000-deep case hung)."""
    x = Value(0.5, label="x")
    y = x
    for _ in range(1000):
        y = y * x + 0.25
    y.backward(create_graph=True)
    original = len(_nodes_through_parents_and_grads(y))
    for copied in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert len(_nodes_through_parents_and_grads(copied)) == original  # no node copied twice
        assert copied.data == y.data
        node, source = copied, y
        while not node.is_leaf:  # every gradient along the chain kept its number
            assert isinstance(node.grad, Value) and node.grad.data == source.grad.data
            node, source = node._a, source._a  # type: ignore[assignment]
        assert node is not x and node.label == "x" and node.grad.data == x.grad.data


@pytest.mark.parametrize("kwargs", [dict(activation="sigmoide"), dict(activation=3),
                                    dict(activations=["tanh"], activation="tnah"),
                                    dict(activations=["tanh"], output_activation="lineer")])
def test_a_misspelt_activation_is_refused_even_where_no_layer_uses_it(kwargs: dict) -> None:
    """``MLP(2, [1], activation="sigmoide")`` built a model silently: a one-layer MLP has no hidden layer, so
    the typo was never looked up (``MLP(2, [4, 1], activation="sigmoide")`` was refused)."""
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(2, [1], **kwargs)


def test_activations_that_exist_still_build_a_one_layer_mlp() -> None:
    model = MLP(2, [1], activation="relu", output_activation="sigmoid")
    assert repr(model) == "MLP([Layer(2, 1, activation='sigmoid')])"
