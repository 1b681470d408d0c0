"""A layer's dot nodes are kept as row descriptors, not parent links (issue 12 goal 1: a tape's memory).

A dot node whose weights are a run of the given parameters is stored as (node, first weight, a weight off the
run, which input row), with each layer's input row once; `Graph.parents` rebuilds the full table for code
generation, and the level program plans the layer from the descriptors. Every check compares each replay mode
with the eager engine (to 1e-12), and the rebuilt table with one read off the Values by identity.
"""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Callable
from typing import Any, cast

import pytest

from autograd import Value, dot
from autograd.replay import record
from nn.optim import SGD

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

from test_replay import eager  # noqa: E402  (after the numpy skip)

Layers = list[list[list[Value]]]


def make_layers(rng: random.Random, widths: list[int]) -> Layers:
    """Rows of weights per layer: ``widths[k]`` inputs (and a bias) to ``widths[k + 1]`` neurons."""
    return [[[Value(rng.uniform(-0.5, 0.5)) for _ in range(n_in + 1)] for _ in range(n_out)]
            for n_in, n_out in zip(widths, widths[1:])]


def network(layers: Layers) -> Callable[..., Value]:
    """tanh neurons ``dot(row, (*h, 1.0))``, layer after layer; the loss is the outputs' sum of squares."""
    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in layers:
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return cast(Value, sum((v * v for v in h), Value(0.0)))

    return fn


def flat_params(layers: Layers) -> list[Value]:
    return [w for layer in layers for row in layer for w in row]


def assert_every_mode_equals_eager(fn: Callable[..., Value], example: list[float], params: list[Value]) -> None:
    """Levels (as planned by default, and in groups), vectorized code, scalar code and batch replay, each on two
    inputs, against eager to 1e-12."""
    rng = random.Random(3)
    samples = [example, [rng.uniform(-1, 1) for _ in example]]
    interpreted = record(fn, example, params)
    assert interpreted.strategy == "levels"
    saved = levels.LAYERS_ONLY
    levels.LAYERS_ONLY = 0  # a graph of few op nodes planned in groups too, not its layers alone
    try:
        grouped = record(fn, example, params)
    finally:
        levels.LAYERS_ONLY = saved
    vectorized = record(fn, example, params)
    vectorized.compile()
    scalar = record(fn, example, params, vectorize=False)
    for xs in samples:
        ref_loss, ref_grads = eager(fn, xs, params)
        for tape in (interpreted, grouped, vectorized, scalar):
            loss, grads = tape.evaluate(xs)
            assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
            assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
    losses, summed = interpreted.run_batch([list(column) for column in zip(*samples)])
    refs = [eager(fn, xs, params) for xs in samples]
    assert list(losses) == pytest.approx([r[0] for r in refs], rel=1e-12, abs=1e-12)
    assert list(summed) == pytest.approx([a + b for a, b in zip(refs[0][1], refs[1][1])], rel=1e-12, abs=1e-12)


def reference_parents(fn: Callable[..., Value], example: list[float], params: list[Value]) -> tuple[Any, list]:
    """The tape's graph, and each dot node's parents read off the Values (numbered by the same walk)."""
    from autograd.replay.graph import Graph

    inputs = [Value(x) for x in example]
    root = fn(*inputs)
    number: dict[Value, int] = {}
    graph = Graph(root, lambda v: f"({float.__repr__(v.data)})", inputs, params, [], number)
    for p in params:  # numbered by position (lazily numbered ones are not in the dict)
        number.setdefault(p, len(inputs) + params.index(p))
    by_number = {n: v for v, n in number.items()}
    dots = [[number[p] for p in cast(tuple, by_number[n]._a)] for n, op in enumerate(graph.ops) if op is not None
            and op.name == "dot"]
    return graph, dots


@pytest.mark.parametrize("small_group", [1, 32, 10**9], ids=["all-groups", "default", "float-steps"])
def test_layers_kept_as_row_descriptors_equal_eager_in_every_mode(small_group: int,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GROUP", small_group)
    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)
    layers = make_layers(random.Random(1), [3, 6, 5, 2])
    params = flat_params(layers)
    fn = network(layers)
    tape = record(fn, [0.2, -0.4, 0.7], params)
    graph = tape.graph
    assert len(graph.row_nodes) == 6 + 5 + 2  # every neuron a row
    assert len(graph.input_rows) == 3  # one input row per layer
    assert len(graph.flat) < 2 * tape.node_count  # no weight links in the kept table
    assert graph.link_count == len(graph.parents)
    assert_every_mode_equals_eager(fn, [0.2, -0.4, 0.7], params)


def test_the_rebuilt_parents_table_is_the_values_own() -> None:
    layers = make_layers(random.Random(2), [4, 7, 3])
    params = flat_params(layers)
    graph, dots = reference_parents(network(layers), [0.1, 0.2, 0.3, 0.4], params)
    rebuilt = [list(graph.args(n)) for n, op in enumerate(graph.ops) if op is not None and op.name == "dot"]
    assert rebuilt == dots
    assert len(graph.row_nodes) == 7 + 3


def test_many_parameters_numbered_lazily_and_kept_as_rows_equal_eager() -> None:
    # 2 x 40 x 41 + ... > 2,048 parameters: numbered lazily (`given_index`), rows found beside each other.
    layers = make_layers(random.Random(4), [40, 40, 40, 3])
    params = flat_params(layers)
    assert len(params) >= 2048
    fn = network(layers)
    example = [random.Random(5).uniform(-1, 1) for _ in range(40)]
    assert len(record(fn, example, params).graph.row_nodes) == 83
    assert_every_mode_equals_eager(fn, example, params)


def test_parameters_given_shuffled_fall_back_and_equal_eager() -> None:
    layers = make_layers(random.Random(6), [3, 5, 4, 1])
    params = flat_params(layers)
    random.Random(0).shuffle(params)
    fn = network(layers)
    assert len(record(fn, [0.3, 0.1, -0.2], params).graph.row_nodes) < 10  # rows are not runs any more
    assert_every_mode_equals_eager(fn, [0.3, 0.1, -0.2], params)


def test_a_parameter_shared_across_layers_gets_both_layers_gradients() -> None:
    layers = make_layers(random.Random(7), [4, 4, 4, 1])
    shared = layers[0][2][1]
    layers[1][3][0] = shared  # the same Value in layer 1 and layer 2 (listed once)
    params = list(dict.fromkeys(flat_params(layers)))
    fn = network(layers)
    assert_every_mode_equals_eager(fn, [0.5, -0.1, 0.2, 0.9], params)
    tape = record(fn, [0.5, -0.1, 0.2, 0.9], params)
    _, grads = tape.evaluate([0.5, -0.1, 0.2, 0.9])
    # Against a central difference on the shared weight: both layers' terms are in its gradient.
    k, step = params.index(shared), 1e-6
    keep = shared.data
    shared.data = keep + step
    up = eager(fn, [0.5, -0.1, 0.2, 0.9], params)[0]
    shared.data = keep - step
    down = eager(fn, [0.5, -0.1, 0.2, 0.9], params)[0]
    shared.data = keep
    assert grads[k] == pytest.approx((up - down) / (2 * step), rel=1e-6)


def test_a_tape_follows_parameters_changed_by_hand_and_by_an_optimizer() -> None:
    layers = make_layers(random.Random(8), [3, 6, 2])
    params = flat_params(layers)
    fn = network(layers)
    example = [0.2, 0.4, -0.6]
    tapes = [record(fn, example, params), record(fn, example, params), record(fn, example, params, vectorize=False)]
    tapes[1].compile()
    params[0].data = 0.9  # by hand, between replays
    params[-1].data = -0.3
    for tape in tapes:
        loss, grads = tape.evaluate(example)
        ref_loss, ref_grads = eager(fn, example, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
    optimizer = SGD(params, lr=0.1)
    for _ in range(3):  # each step replays, then moves every weight
        optimizer.zero_grad()
        tapes[0].run(example)
        optimizer.step()
        for tape in tapes:
            loss, grads = tape.evaluate(example)
            ref_loss, ref_grads = eager(fn, example, params)
            assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
            assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


def test_the_tape_keeps_neither_the_graph_nor_the_full_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)  # a level program (a small graph's float steps read full tables)
    layers = make_layers(random.Random(9), [8, 8, 8, 1])
    params = flat_params(layers)
    made: list[Value] = []  # the loss and a dot node of the recorded graph (a Value takes no weak reference)

    def fn(*xs: Value) -> Value:
        first = dot(layers[0][0], [*xs, 1.0])
        out = network(layers)(*xs) + first
        made.extend([out, first])
        return out

    tape = record(fn, [0.1] * 8, params)
    gc.collect()
    other = record(fn, [0.1] * 8, params)
    del other  # its graph (made[2:]) is now held by ``made`` alone
    gc.collect()
    # A live tape holding its loss or a dot node would add a reference to made[:2] that made[2:] lacks.
    assert [sys.getrefcount(v) for v in made[:2]] == [sys.getrefcount(v) for v in made[2:]]
    assert made[1]._op is not None and made[1]._op.name == "dot"
    assert tape.graph._full == {}  # planning read the compact tables only
    tape.compile()
    assert tape.graph._full == {}  # the full tables code generation read are let go
    tape.run_batch([[0.1, 0.2]] * 8)
    assert tape.graph._full == {}
    assert tape.evaluate([0.1] * 8)[0] == pytest.approx(eager(fn, [0.1] * 8, params)[0], rel=1e-12)


def test_levels_let_go_after_planning_are_recomputed_as_the_walk_found_them() -> None:
    layers = make_layers(random.Random(10), [3, 5, 4, 1])
    params = flat_params(layers)
    fn = network(layers)
    tape = record(fn, [0.3, -0.3, 0.6], params)
    assert tape.graph.tail_levels is None  # planned, then let go
    graph, _ = reference_parents(fn, [0.3, -0.3, 0.6], params)
    assert graph.tail_levels is not None
    assert list(tape.graph.levels) == list(graph.levels)
    assert max(graph.levels) == 2 * 3 + 2  # three dot + tanh layers, then the squares and their sum's first add
