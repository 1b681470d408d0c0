"""A layer whose weights are one contiguous run of nodes replays as a matrix-vector product over a view
(`levels._layer_group`, issue 12 goal 1: the tape keeps two numbers for a layer's weights, not one per weight).

Every check compares the interpreter's loss and gradients with the eager engine's (to 1e-12) on the same graph,
and checks which path the layer took, so a graph meant for the general path is not silently taken as a block.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from autograd import Value, dot
from autograd.replay import BranchChanged, record

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

from test_replay import eager  # noqa: E402  (after the numpy skip)

pytestmark = pytest.mark.usefixtures("small_graphs_planned_in_groups")

Row = list[Value]


@pytest.fixture
def blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of weights of every dot group planned as one contiguous block (every group planned in numpy)."""
    monkeypatch.setattr(levels, "SMALL_GROUP", 1)
    seen: list[int] = []
    original = levels._layer_group

    def spy(out, start, end, row, needs):  # type: ignore[no-untyped-def]
        seen.append(end - start)
        return original(out, start, end, row, needs)

    monkeypatch.setattr(levels, "_layer_group", spy)
    return seen


def rows_of(rng: random.Random, neurons: int, width: int) -> list[Row]:
    return [[Value(rng.uniform(-0.5, 0.5)) for _ in range(width)] for _ in range(neurons)]


def check(fn: Callable[..., Value], inputs: list[float], params: list[Value]) -> None:
    tape = record(fn, inputs, params)
    assert tape.strategy == "levels"
    rng = random.Random(7)
    for xs in (inputs, [rng.uniform(-1, 1) for _ in inputs]):
        loss, grads = tape.evaluate(xs)
        ref_loss, ref_grads = eager(fn, xs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


def stacked(layers: list[list[Row]], order: Callable[[int], list[int]] = lambda n: list(range(n))):
    """Layers of tanh neurons, each neuron ``dot(row, (*h, 1.0))``, built in the order ``order`` gives."""
    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in layers:
            made = {k: dot(layer[k], [*h, 1.0]).tanh() for k in order(len(layer))}
            h = [made[k] for k in range(len(layer))]
        return sum(h, Value(0.0)) * 0.5  # type: ignore[arg-type]
    return fn


def test_consecutive_rows_are_one_block_and_equal_eager(blocks: list[int]) -> None:
    rng = random.Random(1)
    layers = [rows_of(rng, 4, 4), rows_of(rng, 4, 5)]
    params = [w for layer in layers for row in layer for w in row]
    check(stacked(layers), [0.3, -0.2, 0.7], params)
    assert sorted(blocks) == [16, 20]  # both layers: 4 rows of 4 weights, 4 rows of 5


def test_neurons_built_out_of_order_are_still_a_block(blocks: list[int]) -> None:
    rng = random.Random(2)
    layers = [rows_of(rng, 5, 4)]
    params = [w for layer in layers for row in layer for w in row]
    check(stacked(layers, order=lambda n: [2, 4, 0, 3, 1]), [0.3, -0.2, 0.7], params)
    assert blocks == [20]


def test_rows_that_are_not_consecutive_parameters_take_the_general_path(blocks: list[int]) -> None:
    rng = random.Random(3)
    layers = [rows_of(rng, 4, 4)]
    params = [w for layer in layers for row in layer for w in row]
    rng.shuffle(params)  # numbered in this order: no row is a run
    check(stacked(layers), [0.3, -0.2, 0.7], params)
    assert blocks == []


def test_rows_with_a_gap_between_them_take_the_general_path(blocks: list[int]) -> None:
    rng = random.Random(4)
    layer = rows_of(rng, 3, 4)
    spacer = Value(0.25)  # a parameter between two rows: each row a run, the layer not one block
    params = [*layer[0], spacer, *layer[1], *layer[2]]

    def fn(*xs: Value) -> Value:
        return stacked([layer])(*xs) + spacer * xs[0]

    check(fn, [0.3, -0.2, 0.7], params)
    assert blocks == []


def test_linear_with_its_bias_after_the_rows_equals_eager(blocks: list[int]) -> None:
    rng = random.Random(5)
    weights = rows_of(rng, 4, 3)
    biases = [Value(rng.uniform(-0.5, 0.5)) for _ in range(4)]
    params = [*[w for row in weights for w in row], *biases]  # as torch lists them: weight, then bias

    def fn(*xs: Value) -> Value:
        outs = [dot([*row, b], [*xs, 1.0]).tanh() for row, b in zip(weights, biases)]
        return sum(outs, Value(0.0))

    check(fn, [0.3, -0.2, 0.7], params)
    assert blocks == []


def test_inputs_shared_across_two_layers_at_one_level_equal_eager(blocks: list[int]) -> None:
    rng = random.Random(6)
    first, second = rows_of(rng, 3, 3), rows_of(rng, 2, 3)
    params = [w for layer in (first, second) for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        a = [dot(row, list(xs)) for row in first]
        b = [dot(row, list(xs)) for row in second]
        return sum(a, Value(0.0)) * sum(b, Value(0.0))

    check(fn, [0.3, -0.2, 0.7], params)
    assert blocks == [15]  # one group: five rows reading the same inputs, consecutive parameters


def test_a_layer_applied_twice_accumulates_its_gradients(blocks: list[int]) -> None:
    rng = random.Random(8)
    layer = rows_of(rng, 3, 4)
    params = [w for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for _ in range(2):  # the same weights in two layers: each a block over the same nodes
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0))  # type: ignore[arg-type]

    check(fn, [0.3, -0.2, 0.7], params)
    assert blocks == [12, 12]


def test_a_parameter_repeated_within_rows_takes_the_general_path(blocks: list[int]) -> None:
    rng = random.Random(9)
    shared = Value(0.4)
    rest = rows_of(rng, 3, 2)
    params = [shared, *[w for row in rest for w in row]]

    def fn(*xs: Value) -> Value:
        outs = [dot([shared, *row], list(xs)).tanh() for row in rest]
        return sum(outs, Value(0.0))

    check(fn, [0.3, -0.2, 0.7], params)
    # Only the first row's weights are a run of parameters (the shared one, then its own two): planned in groups,
    # the three dots are one group that is no block (the layers-only plan gives way to groups here too: the other
    # two rows are two nodes of one level, enough for a numpy group where SMALL_GROUP is 1).
    assert blocks == []


def test_weights_computed_from_parameters_equal_eager() -> None:
    rng = random.Random(10)
    layer = rows_of(rng, 3, 3)
    scale = Value(1.5)
    params = [scale, *[w for row in layer for w in row]]

    def fn(*xs: Value) -> Value:
        scaled = [[w * scale for w in row] for row in layer]  # op nodes as weights: not parameters
        outs = [dot(row, list(xs)).tanh() for row in scaled]
        return sum(outs, Value(0.0))

    check(fn, [0.3, -0.2, 0.7], params)


def test_a_weight_also_read_as_an_input_equals_eager() -> None:
    rng = random.Random(11)
    layer = rows_of(rng, 3, 3)
    params = [w for row in layer for w in row]
    echo = layer[1][2]  # a weight of the layer also among the inputs every neuron reads

    def fn(*xs: Value) -> Value:
        outs = [dot(row, [xs[0], xs[1], echo]).tanh() for row in layer]
        return sum(outs, Value(0.0))

    check(fn, [0.3, -0.2], params)


def test_branch_checks_still_fire_after_a_block_layer(blocks: list[int]) -> None:
    rng = random.Random(12)
    layer = rows_of(rng, 4, 3)
    params = [w for row in layer for w in row]

    def gated(x0: Value, x1: Value) -> Value:
        out = sum((dot(row, [x0, x1, 1.0]) for row in layer), Value(0.0))
        return out * 2 if out > 0.0 else out * 3

    tape = record(gated, [0.5, 0.5], params)
    assert blocks == [12]
    assert tape.evaluate([0.5, 0.5])[0] == pytest.approx(eager(gated, [0.5, 0.5], params)[0], rel=1e-12)
    sign = eager(gated, [0.5, 0.5], params)[0] > 0
    flipped = next(x for x in (-0.5, -2.0, 2.0, -5.0, 5.0)
                   if (eager(lambda a, b: sum((dot(r, [a, b, 1.0]) for r in layer), Value(0.0)),
                             [x, x], params)[0] > 0) is not sign)
    with pytest.raises(BranchChanged, match="would build a different graph"):
        tape.evaluate([flipped, flipped])


def test_weight_block_reads_rows_in_any_order_and_refuses_overlaps() -> None:
    block = levels._weight_block(np.array([[13, 14, 15], [7, 8, 9], [10, 11, 12]]))
    assert block is not None
    start, end, order = block
    assert (start, end, order.tolist()) == (7, 16, [1, 2, 0])
    assert levels._weight_block(np.array([[7, 8, 9], [7, 8, 9]])) is None  # one row twice
    assert levels._weight_block(np.array([[7, 8, 9], [11, 12, 13]])) is None  # a gap
    assert levels._weight_block(np.array([[7, 8, 9], [9, 10, 11]])) is None  # overlapping rows
    assert levels._weight_block(np.array([[7, 9, 8], [10, 11, 12]])) is None  # a row out of order
