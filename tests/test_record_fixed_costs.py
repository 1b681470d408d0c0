"""What `record` does once per call, made cheaper for small graphs (issue 12 goal 1), still does its job.

- ``Value.data`` reads warn while a tape records (`TracerWarning`) and are plain reads otherwise: the getter is now
  swapped inside the class's one property rather than by setting a new property on the class;
- the recording's hooks are set up and undone by one plain call pair, also when the recorded function raises;
- a variable holding a module (an object whose type has a callable ``parameters``) is still watched, found
  without the AttributeError getattr raises on a miss.
"""

from __future__ import annotations

import math
import random
import re
import threading
import warnings
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import pytest

from autograd import Value
from autograd.replay import ReplayError, StructureChanged, TracerWarning, record
from autograd.replay.bindings import _has_parameters_method
from autograd.value import OBSERVERS
from nn import MLP, Module


def _data_property() -> property:
    prop = Value.__dict__["data"]
    assert isinstance(prop, property)
    return prop


def test_recording_leaves_value_data_the_same_property_with_its_plain_getter_and_checked_setter() -> None:
    before = _data_property()
    p = Value(0.5)

    during: list[bool] = []

    def fn(x: Value) -> Value:
        during.append(_data_property() is before and not isinstance(before.fget, attrgetter))
        return x * p

    tape = record(fn, [2.0], [p])
    assert during == [True]  # while recording: the same property object, holding the warning getter
    assert _data_property() is before  # the class itself was not given a new attribute
    assert isinstance(before.fget, attrgetter)  # C-level again once no thread records
    assert before.__doc__ and "plain float" in before.__doc__
    p.data = 0.25  # writes are still checked ...
    with pytest.raises(TypeError, match="Value.data must be a real number, got str"):
        p.data = "x"  # type: ignore[assignment]
    assert p.data == 0.25
    assert tape.evaluate([2.0]) == (0.5, [2.0])  # ... and a replay reads the new number: 2.0 * 0.25, d/dp = 2.0


def test_a_data_read_inside_the_recorded_function_warns_at_its_line_and_not_after() -> None:
    p = Value(0.5)

    def fn(x: Value) -> Value:
        y = x * p
        _ = y.data  # the line the warning must name
        return y * y

    with pytest.warns(TracerWarning, match=r"float \(v.data\)") as caught:
        record(fn, [1.0], [p])
    assert [w.lineno for w in caught] == [fn.__code__.co_firstlineno + 2]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (Value(3.0) * p).data == 1.5  # no recording: a plain read, no warning


def test_a_data_read_in_another_thread_while_one_records_does_not_warn_there() -> None:
    p = Value(0.5)
    started, read = threading.Event(), threading.Event()
    seen: list[Any] = []

    def reader() -> None:
        started.wait(10)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            seen.append(Value(4.0).data)
            seen.append(len(caught))
        read.set()

    def fn(x: Value) -> Value:
        started.set()
        read.wait(10)  # the other thread reads while this one records
        return x * p

    thread = threading.Thread(target=reader)
    thread.start()
    tape = record(fn, [2.0], [p])
    thread.join(10)
    assert seen == [4.0, 0]
    assert tape.evaluate([3.0]) == (1.5, [3.0])


def test_a_recorded_function_that_raises_leaves_no_hook_installed_and_record_works_again() -> None:
    p = Value(0.5)

    def broken(x: Value) -> Value:
        raise RuntimeError("model bug")

    with pytest.raises(RuntimeError, match="model bug"):
        record(broken, [1.0], [p])
    assert OBSERVERS.comparison is None and OBSERVERS.leaf_made is None
    assert isinstance(_data_property().fget, attrgetter)
    with pytest.raises(TypeError, match=r"cannot take the 2 inputs of example"):
        record(lambda x: x * p, [1.0, 2.0], [p])
    assert OBSERVERS.comparison is None and OBSERVERS.leaf_made is None
    tape = record(lambda x: x * p, [1.0], [p])
    assert tape.evaluate([4.0]) == (2.0, [4.0])


def test_record_inside_a_recorded_function_is_refused() -> None:
    p = Value(0.5)

    def fn(x: Value) -> Value:
        record(lambda y: y * p, [1.0], [p])
        return x * p

    with pytest.raises(ReplayError, match="cannot be nested"):
        record(fn, [1.0], [p])
    assert OBSERVERS.comparison is None and OBSERVERS.leaf_made is None
    assert isinstance(_data_property().fget, attrgetter)


class _WithProperty:
    @property
    def parameters(self) -> list[Value]:
        return []


class _WithClassmethod:
    @classmethod
    def parameters(cls) -> list[Value]:
        return []


class _WithStaticmethod:
    @staticmethod
    def parameters() -> list[Value]:
        return []


class _WithNumber:
    parameters = 3


class _Inherits(_WithClassmethod):
    pass


class _Meta(type):
    def parameters(cls) -> list[Value]:
        return []


class _FromMetaclass(metaclass=_Meta):
    pass


@pytest.mark.parametrize("tp", [int, float, str, type(None), list, dict, tuple, random.Random, Value, MLP, Module,
                                _WithProperty, _WithClassmethod, _WithStaticmethod, _WithNumber, _Inherits,
                                _FromMetaclass, _Meta, type])
def test_the_module_test_agrees_with_getattr(tp: type) -> None:
    assert _has_parameters_method(tp) == callable(getattr(tp, "parameters", None))


def test_a_module_held_in_a_closure_among_plain_values_is_still_watched() -> None:
    model = MLP(2, [2, 1], seed=0)
    rng = random.Random(0)
    scale = 2.0

    def loss(x0: Value, x1: Value) -> Value:
        return model([x0, x1]) * scale + 0.0 * rng.random()

    tape = record(loss, [0.1, 0.2], model.parameters())
    tape.evaluate([0.1, 0.2])
    model = MLP(2, [2, 1], seed=1)
    with pytest.raises(StructureChanged, match="'model'"):
        tape.evaluate([0.1, 0.2])


def _central_difference(f: Callable[..., float], p: Value, h: float = 1e-6) -> float:
    keep = p.data
    p.data = keep + h
    up = f()
    p.data = keep - h
    down = f()
    p.data = keep
    return (up - down) / (2 * h)


def test_a_small_binary_graph_equals_eager_and_a_central_difference() -> None:
    """The graph `bench/bench_record.py` times at 103 nodes, replayed: its loss and gradients."""
    rng = random.Random(7)
    params = [Value(rng.uniform(-1, 1)) for _ in range(16)]

    def make() -> Callable[[Value, Value], Value]:
        pick = random.Random(3)

        def fn(x0: Value, x1: Value) -> Value:
            pool = [x0, x1, *params]
            acc = x0 * 0.0
            for step in range(40):
                a, b = pick.choice(pool[-40:]), pick.choice(params)
                v = (a * b + x1).tanh() if step % 3 else a - b
                pool.append(v)
                acc = acc + v
            return acc

        return fn

    tape = record(make(), [0.3, -0.2], params)
    assert 100 <= tape.node_count <= 256
    for xs in ([0.3, -0.2], [-0.7, 0.4]):
        for p in params:
            p.grad = 0.0
        eager = make()(Value(xs[0]), Value(xs[1]))
        eager.backward()
        loss, grads = tape.evaluate(xs)
        assert loss == pytest.approx(eager.data, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx([p.grad for p in params], rel=1e-12, abs=1e-12)
        for k in (0, 5, 15):
            want = _central_difference(lambda xs=xs: make()(Value(xs[0]), Value(xs[1])).data, params[k])
            assert math.isclose(grads[k], want, rel_tol=1e-6, abs_tol=1e-8)


def _op_nodes(tape: Any) -> int:
    return sum(op is not None for op in tape.graph.ops)


def test_node_count_counts_the_op_nodes_of_every_kind_of_graph() -> None:
    """`Tape.node_count` (from the leaf counts) against a count of the op nodes one by one, on graphs numbered each
    way: in bulk, one by one (a parameter given twice is refused, an input not read by the loss), lazily (many
    parameters), with constants, a leaf root and a parameter that is an op node."""
    from test_replay import random_graph_fn

    from autograd import dot

    tapes = []
    for seed in range(6):
        rng = random.Random(seed)
        params = [Value(rng.uniform(-1, 1)) for _ in range(3)]
        tapes.append(record(random_graph_fn(seed, params), [0.2, 0.3], params))
    model = MLP(3, [4, 1], seed=0)
    tapes.append(record(lambda a, b, c: (model([a, b, c]) - 0.5) ** 2, [0.1, 0.2, 0.3], model.parameters()))
    p = Value(0.5)
    tapes.append(record(lambda x: p, [1.0], [p]))  # a leaf loss: replayed as p * 1.0
    tapes.append(record(lambda x, unused: x * p + 2.0, [1.0, 3.0], [p]))
    weights = [Value(0.001 * k) for k in range(2100)]  # past given_index.LAZY_PARAMETERS: numbered lazily
    tapes.append(record(lambda x: dot(weights[:3], [x, x, 1.0]) * weights[7], [0.5], weights))
    inner = p * 2.0  # an op node given as a parameter: the given leaves are numbered one by one
    tapes.append(record(lambda x: inner * x + p, [1.5], [inner, p]))
    counts = [t.node_count for t in tapes]
    assert counts == [_op_nodes(t) for t in tapes]
    assert counts[7:] == [1, 2, 2, 3]  # p * 1.0; x * p, + 2.0; the dot, * w7; inner = p * 2.0, * x, + p


@pytest.mark.parametrize("label, named", [("c", "Value 'c'"), ("", "Value(data=inf)")])
def test_a_constant_that_is_not_finite_is_refused_naming_it(label: str, named: str) -> None:
    """A constant leaf's description is made only when it is refused: the message still names it."""
    c = Value(1.0, label=label)
    c.data = math.inf  # let through by the setter; tanh(inf) = 1.0 is finite, so the forward pass runs
    p = Value(0.5)
    with pytest.raises(ReplayError, match=re.escape(f"{named} is inf: a tape can only bake in finite numbers")):
        record(lambda x: x * p * c.tanh(), [2.0], [p], constants=[c])
