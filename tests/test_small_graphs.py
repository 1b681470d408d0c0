"""A graph of at most `levels.SMALL_GRAPH` nodes runs as float steps, unplanned: equal to eager all the same."""

from __future__ import annotations

import math
import random

import pytest

pytest.importorskip("numpy")

from test_replay import eager, random_graph_fn  # noqa: E402

from autograd import Value  # noqa: E402
from autograd.replay import BranchChanged, levels, record  # noqa: E402
from nn import MLP  # noqa: E402


@pytest.mark.parametrize("seed", range(12))
def test_small_random_graphs_of_every_op_run_as_float_steps_and_equal_eager(seed: int) -> None:
    rng = random.Random(200 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
    assert len(tape.graph) <= levels.SMALL_GRAPH
    assert tape.strategy == "levels" and tape._program.large_groups == 0
    assert tape._program.float_nodes == tape.node_count
    for _ in range(3):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        loss, grads = tape.evaluate(inputs)
        want_loss, want_grads = eager(random_graph_fn(seed, params), inputs, params)
        assert loss == pytest.approx(want_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(want_grads, rel=1e-12, abs=1e-12)


def test_a_small_mlp_runs_unplanned_and_a_large_one_in_numpy_groups() -> None:
    small = MLP(2, [3, 1], seed=0)
    tape = record(lambda a, b: (small([a, b]) - 0.5) ** 2, [0.1, 0.2], small.parameters())
    assert len(tape.graph) <= levels.SMALL_GRAPH and tape._program.large_groups == 0
    large = MLP(8, [40, 40, 1], seed=0)
    wide = record(lambda *xs: (large(list(xs)) - 0.5) ** 2, [0.1] * 8, large.parameters())
    assert len(wide.graph) > levels.SMALL_GRAPH and wide._program.large_groups > 0
    for model, t, xs in ((small, tape, [0.7, -0.3]), (large, wide, [0.2] * 8)):
        model.zero_grad()
        loss = (model(xs) - 0.5) ** 2
        loss.backward()
        got_loss, got = t.evaluate(xs)
        assert got_loss == pytest.approx(loss.data, rel=1e-12)
        assert got == pytest.approx([p.grad for p in model.parameters()], rel=1e-11, abs=1e-14)


@pytest.mark.parametrize("seed", range(12))
def test_the_small_graph_program_gives_the_level_programs_numbers_bit_for_bit(seed: int) -> None:
    """`float_steps.FloatSteps` (lists, no numpy) against `levels.LevelProgram` planned on the same graph."""
    from autograd.replay.float_steps import FloatSteps

    rng = random.Random(300 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
    assert isinstance(tape._program, FloatSteps)
    reference = levels.LevelProgram(tape.graph, tape._program._guards, tape._leaf_constants())
    for _ in range(4):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        values = [p.data for p in params]
        assert tape._program.run(inputs, values) == reference.run(inputs, values)


def test_the_small_graph_program_refuses_a_non_finite_node_and_a_changed_branch_as_the_level_program() -> None:
    from autograd.replay.float_steps import FloatSteps

    p = Value(0.5)

    def fn(x: Value) -> Value:
        y = x * x * p
        return y.tanh() if y > 0.1 else y

    tape = record(fn, [1.0], [p])
    assert isinstance(tape._program, FloatSteps)
    reference = levels.LevelProgram(tape.graph, tape._program._guards, tape._leaf_constants())
    with pytest.raises(OverflowError, match=r"mul: result inf is not finite for inputs \(1e\+200, 1e\+200\)"):
        tape._program.run([1e200], [0.5])
    with pytest.raises(OverflowError, match=r"mul: result inf is not finite for inputs \(1e\+200, 1e\+200\)"):
        reference.run([1e200], [0.5])
    with pytest.raises(BranchChanged, match=r"compared v\d+ > \(0.1\) and got True"):
        tape.evaluate([0.1])
    loss, grads = tape.evaluate([2.0])  # tanh(x * x * p) at x = 2, p = 0.5; d/dp = x * x * (1 - tanh^2)
    assert loss == pytest.approx(math.tanh(2.0), rel=1e-12)
    assert grads == pytest.approx([4 * (1 - math.tanh(2.0) ** 2)], rel=1e-12)
