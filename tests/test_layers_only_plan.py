"""A graph of a few hundred op nodes (`levels.LAYERS_ONLY`) but too many nodes to run unplanned (a layer's weights):
its layers are numpy matrix-vector products (and a layer's activations one numpy call), every other op node a float
step in topological order."""

from __future__ import annotations

import math
import random

import pytest

pytest.importorskip("numpy")

from test_replay import eager  # noqa: E402

from autograd import Value, dot  # noqa: E402
from autograd.replay import BranchChanged, levels, record  # noqa: E402

Row = list[Value]


def tanh_layer(rng: random.Random, neurons: int, width: int) -> list[Row]:
    """``neurons`` rows of ``width`` weights and a bias, each row's weights consecutive parameters."""
    return [[Value(rng.uniform(-0.5, 0.5)) for _ in range(width + 1)] for _ in range(neurons)]


def test_one_layer_and_its_activations_are_two_numpy_groups_and_match_the_closed_form() -> None:
    rng = random.Random(1)
    layer = tanh_layer(rng, 32, 32)
    params = [w for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h = [dot(row, [*xs, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0)) * 0.5

    example = [rng.uniform(-1, 1) for _ in range(32)]
    tape = record(fn, example, params)
    assert isinstance(tape._program, levels.LevelProgram)
    assert len(tape.graph) > levels.SMALL_GRAPH and tape.node_count <= levels.LAYERS_ONLY
    assert tape._program.large_groups == 2  # the layer, and its 32 tanh nodes (one numpy call)
    assert tape._program.float_nodes == tape.node_count - 64
    for xs in (example, [rng.uniform(-1, 1) for _ in range(32)]):
        # loss = 0.5 sum_i tanh(w_i . x + b_i); d loss / d w_ij = 0.5 (1 - h_i^2) x_j, d / d b_i = 0.5 (1 - h_i^2)
        want_grads: list[float] = []
        want_loss = 0.0
        for row in layer:
            s = 0.0
            for w, x in zip(row, [*xs, 1.0]):
                s += w.data * x
            h = math.tanh(s)
            want_loss += 0.5 * h
            want_grads += [0.5 * (1 - h * h) * x for x in [*xs, 1.0]]
        loss, grads = tape.evaluate(xs)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_stacked_layers_between_float_steps_and_a_row_that_is_no_layer_equal_eager() -> None:
    # Two layers (the second reads float steps' outputs), a lone neuron whose weights are another row's in
    # reverse (no run of parameters: a float step with its parents spelled out), and a neuron reading a mix.
    rng = random.Random(2)
    first, second = tanh_layer(rng, 12, 6), tanh_layer(rng, 10, 12)
    params = [w for layer in (first, second) for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h = [(dot(row, [*xs, 1.0]) * 0.5).tanh() for row in first]
        g = [dot(row, [*h, 1.0]).tanh() for row in second]
        odd = dot(list(reversed(second[0])), [*h, 1.0])  # the same weights, not in their order
        return sum(g, odd * odd) + g[0] * h[3]

    tape = record(fn, [0.3, -0.2, 0.7, 0.1, -0.9, 0.4], params)
    assert isinstance(tape._program, levels.LevelProgram) and tape.node_count <= levels.LAYERS_ONLY
    assert tape._program.large_groups == 2
    for _ in range(3):
        xs = [rng.uniform(-1, 1) for _ in range(6)]
        loss, grads = tape.evaluate(xs)
        want_loss, want_grads = eager(fn, xs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_changed_branch_and_a_non_finite_node_are_refused() -> None:
    rng = random.Random(3)
    layer = [[Value(rng.uniform(0.1, 0.5)) for _ in range(17)] for _ in range(20)]  # positive weights and biases
    params = [w for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        total = sum([dot(row, [*xs, 1.0]) for row in layer], Value(0.0))
        return total.exp() if total < 5 else -total

    tape = record(fn, [0.5] * 16, params)  # total well above 5: the second branch
    # Kept interpreted (on a busy machine a few slow runs would compile it): the checks under test are the level
    # program's, which names the op that overflowed.
    tape.compile_seconds = lambda: float("inf")  # type: ignore[method-assign]
    assert isinstance(tape._program, levels.LevelProgram) and tape._program.large_groups == 1
    loss, grads = tape.evaluate([0.25] * 16)
    want_loss, want_grads = eager(fn, [0.25] * 16, params)
    assert loss == pytest.approx(want_loss, rel=1e-12) and grads == pytest.approx(want_grads, rel=1e-12)
    with pytest.raises(BranchChanged):
        tape.evaluate([-1.0] * 16)  # every dot below its bias (at most 0.5 - 16 * 0.1): total below 5
    with pytest.raises(OverflowError, match=r"dot: result -?inf is not finite"):
        tape.evaluate([1e308] * 16)


def test_mixed_activations_stay_float_steps_and_equal_eager() -> None:
    # Half the neurons tanh, half sigmoid: no one op reads the whole layer, so only the layer is a numpy group.
    rng = random.Random(4)
    layer = tanh_layer(rng, 32, 12)
    params = [w for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        s = [dot(row, [*xs, 1.0]) for row in layer]
        h = [v.tanh() if k % 2 else v.sigmoid() for k, v in enumerate(s)]
        return sum(h, Value(0.0)) * 0.5

    tape = record(fn, [0.1] * 12, params)
    assert isinstance(tape._program, levels.LevelProgram) and tape._program.large_groups == 1
    for _ in range(2):
        xs = [rng.uniform(-1, 1) for _ in range(12)]
        loss, grads = tape.evaluate(xs)
        want_loss, want_grads = eager(fn, xs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_linear_layer_with_its_bias_off_the_row_is_one_dot_group_and_equals_eager() -> None:
    # `nn.Linear` keeps each output's bias apart from its row of weights, so its rows are no one run of
    # parameters: still one numpy dot group (and its activations another), not 32 float steps.
    from nn import Linear

    rng = random.Random(5)
    lin = Linear(24, 32)
    params = lin.parameters()

    def fn(*xs: Value) -> Value:
        h = [v.tanh() for v in lin(list(xs))]
        return sum(h, Value(0.0)) * 0.5

    tape = record(fn, [0.1] * 24, params)
    assert isinstance(tape._program, levels.LevelProgram) and tape.node_count <= levels.LAYERS_ONLY
    assert tape._program.large_groups == 2
    assert tape._program.float_nodes == tape.node_count - 64
    for _ in range(2):
        xs = [rng.uniform(-1, 1) for _ in range(24)]
        loss, grads = tape.evaluate(xs)
        want_loss, want_grads = eager(fn, xs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_row_whose_last_weight_is_computed_after_the_first_neuron_stays_a_float_step() -> None:
    # Each neuron's last weight is an op node (a parameter times 2) the walk numbers just before that neuron, so
    # after the layer's first neuron: a dot group run where the first neuron stands would read it unmade.
    rng = random.Random(6)
    rows = [[Value(rng.uniform(-0.5, 0.5)) for _ in range(12)] for _ in range(32)]
    scales = [Value(rng.uniform(0.5, 1.5)) for _ in range(32)]
    params = [w for row in rows for w in row] + scales

    def fn(*xs: Value) -> Value:
        h = [dot([*row[:-1], row[-1] * s], [*xs, 1.0]).tanh() for row, s in zip(rows, scales)]
        return sum(h, Value(0.0))

    tape = record(fn, [0.1] * 11, params)
    assert isinstance(tape._program, levels.LevelProgram) and tape.node_count <= levels.LAYERS_ONLY
    assert min(tape.graph.row_tails) >= tape.graph.given_count  # every row's last weight an op node
    for _ in range(2):
        xs = [rng.uniform(-1, 1) for _ in range(11)]
        loss, grads = tape.evaluate(xs)
        want_loss, want_grads = eager(fn, xs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_loss_over_the_layers_outputs_is_planned_in_groups_and_equals_eager() -> None:
    # Thirty-two subtractions and squares at one level each: wide enough to be numpy groups, so the graph is
    # planned in groups (the layer, its tanh, the subtractions, the squares) rather than as float steps.
    rng = random.Random(7)
    layer = tanh_layer(rng, 32, 24)
    params = [w for row in layer for w in row]
    targets = [0.01 * k for k in range(32)]

    def fn(*xs: Value) -> Value:
        h = [dot(row, [*xs, 1.0]).tanh() for row in layer]
        return sum([(a - t) ** 2 for a, t in zip(h, targets)], Value(0.0))

    tape = record(fn, [0.1] * 24, params)
    assert isinstance(tape._program, levels.LevelProgram) and tape.node_count <= levels.LAYERS_ONLY
    assert tape._program.large_groups == 4
    for _ in range(2):
        xs = [rng.uniform(-1, 1) for _ in range(24)]
        loss, grads = tape.evaluate(xs)
        want_loss, want_grads = eager(fn, xs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)
