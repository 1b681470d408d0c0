"""Hostile input, round 21: Values and models pickle under every pickle protocol, 0 and 1 included.

``pickle.dumps(Value(3.0), protocol=0)`` (and 1) failed with "a class that defines __slots__ without defining
__getstate__ cannot be pickled" from copyreg: a leaf fell back to object's reduction, which protocols below 2
refuse for a class with slots. A model holds leaves, so it failed the same way.
"""

from __future__ import annotations

import pickle

import pytest

from autograd import Value, constant
from nn import MLP, Adam


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_a_leaf_and_a_graph_round_trip_under_every_protocol(protocol: int) -> None:
    x = Value(3.0, label="x")
    x.grad = 0.5
    y = x * constant(2.0) + 1.0
    leaf = pickle.loads(pickle.dumps(x, protocol=protocol))
    assert (leaf.data, leaf.grad, leaf.label, leaf.is_leaf) == (3.0, 0.5, "x", True)
    root = pickle.loads(pickle.dumps(y, protocol=protocol))
    root.backward()
    (product, one) = root.parents
    # y = 2x + 1 at x = 3: 7, and dy/dx = 2 reaches the copied leaf (its own grad 0.5 kept, as pickled).
    assert root.data == 7.0 and one.data == 1.0 and product.parents[0].grad == 0.5 + 2.0


@pytest.mark.parametrize("protocol", [0, 1])
def test_a_model_and_its_optimizer_pickle_under_the_old_protocols(protocol: int) -> None:
    model = MLP(2, [3, 1], seed=0)
    copied = pickle.loads(pickle.dumps(model, protocol=protocol))
    assert [p.data for p in copied.parameters()] == [p.data for p in model.parameters()]
    assert copied([1.0, 2.0]).data == model([1.0, 2.0]).data
    optimizer = pickle.loads(pickle.dumps(Adam(model.parameters(), lr=0.01), protocol=protocol))
    assert optimizer.param_groups[0]["lr"] == 0.01
