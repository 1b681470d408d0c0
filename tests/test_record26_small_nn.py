"""The shortcuts record26 added to recording a small nn graph (issue 12 goal 1) give what the general paths give.

- The graph walk emits a neuron's activation met as the second operand of a node (a loss adding up a layer's
  outputs) together with its dot row, rather than by another turn of its loop: the tables must still be
  `topological_order`'s, node for node, also where that row's inputs are not numbered yet (a second layer).
- The layers-only plan checks a layer's activations by slices where the neurons' positions step evenly.
- `record` makes its input leaves by setting their slots directly when the example holds plain floats.

Every tape here is compared with the eager engine (1e-12) in each mode: level interpreter, vectorized code and
scalar code; and the branch, structure and finiteness checks still fire.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest

np = pytest.importorskip("numpy")

from test_graph_tables import reference, tables  # noqa: E402
from test_replay import eager  # noqa: E402

from autograd import Value, dot  # noqa: E402
from autograd.replay import BranchChanged, StructureChanged, levels, record  # noqa: E402
from autograd.replay.tape import _input_leaves  # noqa: E402
from nn import MLP, Layer, Linear  # noqa: E402

Row = list[Value]


def rows(rng: random.Random, neurons: int, width: int) -> list[Row]:
    """``neurons`` rows of ``width`` weights and a bias (consecutive parameters, as `nn.Layer` lists them)."""
    return [[Value(rng.uniform(-0.5, 0.5)) for _ in range(width + 1)] for _ in range(neurons)]


def act(name: str) -> Callable[[Value], Value]:
    return {"tanh": Value.tanh, "sigmoid": Value.sigmoid, "relu": Value.relu}[name]


def all_modes_equal_eager(fn: Callable[..., Value], params: list[Value], width: int, seed: int) -> None:
    """The tape equals eager backward (1e-12) interpreted, compiled vectorized, and as scalar code."""
    rng = random.Random(seed)
    example = [rng.uniform(-1, 1) for _ in range(width)]
    tapes = [record(fn, example, params), record(fn, example, params, vectorize=True),
             record(fn, example, params, vectorize=False)]
    tapes[0].compile_seconds = lambda: float("inf")  # type: ignore[method-assign]  # stays interpreted
    for _ in range(3):
        xs = [rng.uniform(-1.5, 1.5) for _ in range(width)]
        want_loss, want_grads = eager(fn, xs, params)
        for tape in tapes:
            loss, grads = tape.evaluate(xs)
            assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
            assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)
    assert tapes[0].strategy == "levels" and tapes[1].strategy == "vectorized" and tapes[2].strategy == "scalar"


# --- the walk: activations met as a second operand ------------------------------------------------------------


def test_a_loss_adding_up_activations_is_numbered_in_topological_order() -> None:
    # One layer (rows met from the loss), then two layers whose loss adds the second layer's activations: that
    # layer's rows read activations not numbered yet when the walk first meets them (the walk must visit them
    # first, as visiting the activation would), and a loss whose activations come first in each addition.
    rng = random.Random(11)
    first, second = rows(rng, 8, 4), rows(rng, 6, 8)
    xs = [Value(rng.uniform(-1, 1)) for _ in range(4)]
    params = [w for layer in (first, second) for row in layer for w in row]
    h = [dot(row, [*xs, 1.0]).tanh() for row in first]
    g = [dot(row, [*h, 1.0]).sigmoid() for row in second]
    losses = [sum(h[1:], h[0]), sum(g[1:], g[0]) * 0.5, sum(g[1:], g[0]) + h[2]]
    acc = g[0]
    for v in g[1:]:
        acc = v + acc  # the activation as the first operand
    losses.append(acc)
    for root in losses:
        want = reference(root, xs, params)
        got = tables(root, xs, params)
        for key in ("ops", "levels", "needs", "parents", "params", "inputs"):
            assert got[key] == want[key], key


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_two_layers_summed_equal_eager_in_every_mode(activation: str) -> None:
    rng = random.Random(12)
    first, second = rows(rng, 32, 10), rows(rng, 32, 32)
    params = [w for layer in (first, second) for row in layer for w in row]
    f = act(activation)

    def fn(*xs: Value) -> Value:
        h = [f(dot(row, [*xs, 1.0])) for row in first]
        g = [f(dot(row, [*h, 1.0])) for row in second]
        return sum(g, Value(0.0)) * 0.5

    all_modes_equal_eager(fn, params, 10, seed=1)


# --- the layers-only plan: activations checked by slices ---------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_a_layers_activations_are_one_numpy_group_and_match_the_closed_form(activation: str) -> None:
    rng = random.Random(13)
    layer = rows(rng, 32, 32)
    params = [w for row in layer for w in row]
    f = act(activation)

    def fn(*xs: Value) -> Value:
        return sum([f(dot(row, [*xs, 1.0])) for row in layer], Value(0.0)) * 0.5

    tape = record(fn, [0.1] * 32, params)
    tape.compile_seconds = lambda: float("inf")  # type: ignore[method-assign]
    program = tape._program
    assert isinstance(program, levels.LevelProgram) and len(tape.graph) > levels.SMALL_GRAPH
    assert program.large_groups == 2 and program.float_nodes == tape.node_count - 64  # layer + activations
    xs = [rng.uniform(-1, 1) for _ in range(32)]
    # loss = 0.5 sum_i f(s_i), s_i = w_i . x + b_i; d loss / d w_ij = 0.5 f'(s_i) x_j (and x_j = 1 for the bias)
    want_loss, want_grads = 0.0, []
    for row in layer:
        s = 0.0
        for w, x in zip(row, [*xs, 1.0]):
            s += w.data * x
        if activation == "tanh":
            y, slope = math.tanh(s), 1 - math.tanh(s) ** 2
        elif activation == "sigmoid":
            y = 1 / (1 + math.exp(-s))
            slope = y * (1 - y)
        else:
            y, slope = max(s, 0.0), float(s > 0)
        want_loss += 0.5 * y
        want_grads += [0.5 * slope * x for x in [*xs, 1.0]]
    loss, grads = tape.evaluate(xs)
    assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_an_activation_that_differs_or_reads_two_neurons_is_no_group_and_equals_eager() -> None:
    # The neurons' positions step evenly, but one neuron's activation is another op, or reads another neuron too:
    # the slice checks refuse the group (only the layer is one), and the float steps give eager's numbers.
    rng = random.Random(14)
    layer = rows(rng, 32, 16)
    params = [w for row in layer for w in row]

    def odd_op(*xs: Value) -> Value:
        s = [dot(row, [*xs, 1.0]) for row in layer]
        return sum([v.sigmoid() if k == 5 else v.tanh() for k, v in enumerate(s)], Value(0.0))

    def two_parents(*xs: Value) -> Value:
        s = [dot(row, [*xs, 1.0]) for row in layer]
        return sum([v * s[0] if k == 7 else v.tanh() for k, v in enumerate(s)], Value(0.0))

    def scaled(*xs: Value) -> Value:  # each neuron's reader has a second input (a constant): no unary group
        return sum([dot(row, [*xs, 1.0]) * 1.5 for row in layer], Value(0.0))

    for fn in (odd_op, two_parents, scaled):
        tape = record(fn, [0.2] * 16, params)
        assert isinstance(tape._program, levels.LevelProgram)
        if fn is not scaled:  # (its 32 products are wide at one level: planned in groups, the layer and them)
            assert tape._program.large_groups == 1
        all_modes_equal_eager(fn, params, 16, seed=2)


@pytest.mark.parametrize("kind", ["Layer", "MLP", "Linear"])
def test_nn_modules_record_small_and_equal_eager_in_every_mode(kind: str) -> None:
    if kind == "Layer":
        model: Layer | MLP | Linear = Layer(24, 32, activation="tanh", seed=3)
    elif kind == "MLP":
        model = MLP(24, [32, 1], activation="relu", seed=3)
    else:
        model = Linear(24, 32, seed=3)
    params = model.parameters()

    def fn(*xs: Value) -> Value:
        out = model(list(xs))
        outs = out if isinstance(out, list) else [out]
        return sum([v.tanh() for v in outs] if kind == "Linear" else outs, Value(0.0))

    tape = record(fn, [0.1] * 24, params)
    assert isinstance(tape._program, levels.LevelProgram) and tape._program.large_groups >= 1
    all_modes_equal_eager(fn, params, 24, seed=3)


# --- the checks still fire ---------------------------------------------------------------------------------------


def test_branch_and_finiteness_checks_fire_on_a_small_layered_model() -> None:
    rng = random.Random(15)
    layer = rows(rng, 32, 8)
    layer[0] = [Value(rng.uniform(0.1, 0.5)) for _ in range(8)] + [Value(0.0)]  # w0 . x > 0 exactly where x > 0
    params = [w for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h = [dot(row, [*xs, 1.0]).tanh() for row in layer]
        total = sum(h, Value(0.0))
        return total * 2.0 if h[0] > 0 else total

    x_pos = [rng.uniform(0.1, 1) for _ in range(8)]
    tape = record(fn, x_pos, params)
    tape.compile_seconds = lambda: float("inf")  # type: ignore[method-assign]  # the level program's checks
    assert isinstance(tape._program, levels.LevelProgram)
    loss, grads = tape.evaluate(x_pos)
    want_loss, want_grads = eager(fn, x_pos, params)
    assert loss == pytest.approx(want_loss, rel=1e-12) and grads == pytest.approx(want_grads, rel=1e-12)
    with pytest.raises(BranchChanged):
        tape.evaluate([-x for x in x_pos])
    with pytest.raises(OverflowError, match=r"dot: result -?inf is not finite"):
        tape.evaluate([1e308] * 8)


def test_a_rebuilt_model_is_refused_by_a_small_tape() -> None:
    mlp = MLP(24, [32, 1], seed=4)

    def fn(*xs: Value) -> Value:
        return mlp(list(xs)) * 0.5

    tape = record(fn, [0.1] * 24, mlp.parameters())
    tape.evaluate([0.2] * 24)
    mlp = MLP(24, [32, 1], seed=5)  # noqa: F841  # the closure's variable now holds another model
    with pytest.raises(StructureChanged, match="mlp"):
        tape.evaluate([0.2] * 24)


# --- input leaves -------------------------------------------------------------------------------------------------


def test_input_leaves_are_what_value_makes() -> None:
    fast = _input_leaves([0.5, -2.0, 1e-300])
    for k, (leaf, x) in enumerate(zip(fast, [0.5, -2.0, 1e-300])):
        want = Value(x, label=f"input{k}")
        assert type(leaf) is Value
        for slot in ("data", "grad", "_op", "_a", "_b", "label"):
            assert getattr(leaf, slot) == getattr(want, slot), slot
    # Other numbers go through Value: converted as it converts them, or refused naming the entry.
    mixed = _input_leaves([1, np.float64(0.25), 0.5])
    assert [v.data for v in mixed] == [1.0, 0.25, 0.5] and all(type(v.data) is float for v in mixed)
    assert [v.label for v in mixed] == ["input0", "input1", "input2"]
    with pytest.raises(ValueError, match="example entry 1"):
        record(lambda a, b: a * b, [0.5, math.nan], [])
    with pytest.raises(TypeError, match="example entry 0"):
        record(lambda a: a * 2.0, [True], [])


def test_a_recorded_example_of_ints_and_floats_replays_its_numbers() -> None:
    w = Value(0.75)
    for example in ([2, 0.5], [2.0, 0.5], [np.float64(2.0), 0.5]):
        tape = record(lambda a, b: a * w + b, example, [w])
        assert list(tape._example) == [2.0, 0.5] and [v.data for v in tape.inputs] == [2.0, 0.5]
        assert tape.evaluate()[0] == 2.0 * 0.75 + 0.5
