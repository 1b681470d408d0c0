"""Code written against micrograd's `Value` runs on ours: `_op` strings, `_prev` sets, copies, `.data` writes."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

from autograd import Value
from autograd.extend import register_op
from autograd.op import Op
from autograd.ops import CONSTANT, NEG, OPS, SUB
from nn import MLP


def trace(root: Value) -> tuple[set[Value], set[tuple[Value, Value]]]:
    """The nodes and edges of a graph, walked the way micrograd's notebook does (through ``_prev``)."""
    nodes: set[Value] = set()
    edges: set[tuple[Value, Value]] = set()

    def build(v: Value) -> None:
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def node_names(root: Value) -> list[str]:
    """The Graphviz node names micrograd's ``draw_dot`` makes: ``uid`` per value, ``uid + n._op`` per op."""
    nodes, _ = trace(root)
    names = []
    for n in nodes:
        uid = str(id(n))
        names.append(uid)
        if n._op:
            names.append(uid + n._op)  # a TypeError if _op were not a string
    return names


def test_op_is_micrograds_string_and_leaves_are_falsy() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    e = d.relu()
    assert c._op == "*" and d._op == "+" and e._op == "ReLU" and d.tanh()._op == "tanh"
    assert (a ** 2)._op == "**" and (a - b)._op == "-" and (a / b)._op == "/" and a.exp()._op == "exp"
    assert not a._op  # a leaf: micrograd's ''
    assert not (a * 2.0)._b._op  # the constant 2.0 is a leaf too ('' as micrograd's)
    assert CONSTANT == ""
    names = node_names(e)
    # e, d, c, a, b and the three op nodes; string concatenation worked for each op node
    assert len(names) == 8 and sum(name.endswith(("*", "+", "ReLU")) for name in names) == 3


def test_every_op_has_its_own_spelling() -> None:
    # Ops compare and hash as their string: unique spellings keep them as distinct as identity would.
    assert SUB == "-" and NEG == "neg" and SUB != NEG
    assert len({SUB, NEG}) == 2 and {SUB: 1, NEG: 2}[NEG] == 2
    assert len({str(op) for op in OPS.values()} | {str(CONSTANT)}) == len(OPS) + 1
    assert repr(SUB) == "Op('sub')"
    with pytest.raises(ValueError, match="spelled '\\+', as op 'add' is"):
        register_op(Op(name="plus", micrograd="+", symbol="+", forward="a + b", derivatives=("1.0", "1.0")))


def test_prev_is_a_set_as_in_micrograd() -> None:
    x = Value(3.0)
    assert x._prev == set()
    y = x + x
    assert y._prev == {x} and len(y._prev) == 1
    assert y.parents == (x, x)  # ordered, with repeats: what our own code reads
    w = Value(0.5)
    z = (x * w).tanh()
    nodes, edges = trace(z)
    assert len(nodes) == 4 and len(edges) == 3


def test_copies_and_pickles_keep_ops_and_constants_shared() -> None:
    model = MLP(2, [3, 1], seed=0)
    loss = (model([1.0, -2.0]) - 0.5) ** 2
    for copied in (copy.deepcopy(loss), pickle.loads(pickle.dumps(loss))):
        assert copied.data == loss.data
        assert copied._op is loss._op  # the registered op itself: the engine compares ops by identity
        copied.backward()  # a copied graph still differentiates
        assert copied.grad == 1.0
    clone = copy.deepcopy(model)
    assert clone([0.3, 0.7]).data == model([0.3, 0.7]).data
    two = Value(1.0) * 2.0
    assert copy.deepcopy(two)._b is two._b  # a constant is one shared object per number


@pytest.mark.parametrize("bad, error, words", [
    ("s", TypeError, "str 's'"),
    (np.array([1.0, 2.0]), TypeError, "ndarray"),
    (True, TypeError, "bool"),
    (1j, TypeError, "complex"),
    (None, TypeError, "NoneType"),
    (10 ** 400, OverflowError, "401 digits"),
])
def test_data_writes_are_checked_where_they_happen(bad: object, error: type, words: str) -> None:
    v = Value(1.0)
    with pytest.raises(error, match=words):
        v.data = bad  # type: ignore[assignment]
    assert v.data == 1.0  # unchanged


def test_data_writes_store_plain_floats() -> None:
    v = Value(1.0)
    v.data = np.float64(2.5)  # type: ignore[assignment]
    assert v.data == 2.5 and type(v.data) is float
    v.data = 3
    assert v.data == 3.0 and type(v.data) is float
    v.data = float("nan")  # let through: the next op names it (tests/test_errors.py)
    with pytest.raises(ValueError, match="nan"):
        v * 2.0
