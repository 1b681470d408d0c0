"""The Value engine: micrograd's API, closed-form gradients, graph semantics."""

from __future__ import annotations

import gc
import math

import pytest

from autograd import Value, is_grad_enabled, no_grad, topological_order


def test_micrograd_readme_example() -> None:
    # micrograd's own README example; its printed results are 24.7041 and 138.8338 / 645.5773.
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    g.backward()
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_closed_forms() -> None:
    x = Value(0.5)
    y = x.tanh()
    y.backward()
    assert x.grad == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)

    x = Value(0.3)
    y = x.sigmoid()
    y.backward()
    s = 1 / (1 + math.exp(-0.3))
    assert x.grad == pytest.approx(s * (1 - s), rel=1e-15)

    x, z = Value(1.7), Value(0.6)
    y = x**z
    y.backward()
    assert x.grad == pytest.approx(0.6 * 1.7**-0.4, rel=1e-14)
    assert z.grad == pytest.approx(1.7**0.6 * math.log(1.7), rel=1e-14)

    x = Value(-3.0)
    y = x**2
    y.backward()
    assert (y.data, x.grad) == (9.0, -6.0)

    x = Value(3.0)
    y = 2**x
    y.backward()
    assert x.grad == pytest.approx(8 * math.log(2), rel=1e-15)

    x = Value(-2.0)
    (abs(x) + x.relu()).backward()
    assert x.grad == -1.0


def test_numbers_on_either_side() -> None:
    x = Value(4.0)
    assert (x + 1).data == 5.0 and (1 + x).data == 5.0
    assert (x - 1).data == 3.0 and (1 - x).data == -3.0
    assert (x * 2).data == 8.0 and (2 * x).data == 8.0
    assert (x / 2).data == 2.0 and (2 / x).data == 0.5
    assert (-x).data == -4.0
    assert isinstance(x.data, float) and isinstance(x.grad, float)


def test_node_used_on_many_paths() -> None:
    # f = x*y + x*x + exp(x*y): x and x*y each feed several consumers.
    x, y = Value(0.7), Value(-1.2)
    xy = x * y
    f = xy + x * x + xy.exp()
    f.backward()
    e = math.exp(0.7 * -1.2)
    assert x.grad == pytest.approx(-1.2 + 2 * 0.7 + e * -1.2, rel=1e-14)
    assert y.grad == pytest.approx(0.7 + e * 0.7, rel=1e-14)
    assert xy.grad == pytest.approx(1 + e, rel=1e-14)


def test_backward_twice_doubles_leaf_gradients_only() -> None:
    x = Value(2.0)
    h = x * x
    y = h * 3
    y.backward()
    assert (x.grad, h.grad) == (12.0, 3.0)
    y.backward()
    assert x.grad == 24.0  # leaves accumulate, as in PyTorch
    assert h.grad == 3.0  # interior nodes start afresh


def test_deep_chain_of_a_million_nodes() -> None:
    x = Value(0.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert y.data == 1_000_000.0
    assert x.grad == 1.0
    del y  # freeing a million-deep chain must not overflow the C stack


def test_dropped_graph_is_freed_without_the_cyclic_collector() -> None:
    def live_values() -> int:
        # Constants are shared across graphs by design (autograd.value.constant): not counted.
        return sum(1 for o in gc.get_objects() if type(o) is Value and not o.is_constant)

    gc.collect()
    gc.disable()
    try:
        before = live_values()
        x = Value(1.5)
        y = (x * x).tanh() + x.exp() / 2
        y.backward()
        assert live_values() == before + 6  # x and 5 op nodes
        del y
        assert live_values() == before + 1  # only x is left: refcounting freed the rest
    finally:
        gc.enable()


def test_no_grad_records_nothing_and_detach_cuts() -> None:
    x = Value(3.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * x + 1
    assert is_grad_enabled()
    assert y.is_leaf and y.data == 10.0
    z = (x * x).detach() * x
    z.backward()
    assert x.grad == 9.0


def test_topological_order_puts_parents_first() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(order) == 4
    for node in order:
        for p in node.parents:
            assert position[id(p)] < position[id(node)]


def test_repr_is_readable() -> None:
    v = Value(0.8896, label="a2[1]")
    assert repr(v) == "Value(data=0.8896, grad=0, label='a2[1]')"
    w = v * 2
    assert "op=mul" in repr(w)
