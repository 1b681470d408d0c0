"""The level interpreter (issue 12 goal 1): a tape runs at once from index tables, without generated code.

Every check compares against the eager engine (its loss and gradients, to 1e-12) on the same graph, in
both of the interpreter's forms: every node of a level as one numpy group (``SMALL_GROUP = 1``) and every
node one at a time on floats (``SMALL_GROUP`` huge); and across the switch to compiled code.
"""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value, dot, sum_of
from autograd.replay import BranchChanged, Tape, record
from nn import MLP, CharModel

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

from test_replay import eager, random_graph_fn  # noqa: E402  (after the numpy skip, like test_replay)

# Small graphs built to exercise the numpy groups are planned in groups, as a large graph is (conftest.py).
pytestmark = pytest.mark.usefixtures("small_graphs_planned_in_groups")



def maker(make):
    """Mark ``make`` as building a fresh graph function per call (random graphs draw anew each time)."""
    make.is_maker = True
    return make


@pytest.fixture(params=[1, 10**9], ids=["numpy-groups", "float-steps"])
def small_group(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run every group through numpy, or every node on floats."""
    monkeypatch.setattr(levels, "SMALL_GROUP", request.param)
    return int(request.param)


def assert_matches_eager(tape: Tape, fn, inputs: list[float], params: list[Value]) -> None:
    """``fn`` builds the graph again (a new one per call for random graphs: pass a maker there)."""
    loss, grads = tape.evaluate(inputs)
    ref_loss, ref_grads = eager(fn() if getattr(fn, "is_maker", False) else fn, inputs, params)
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_random_graphs_of_every_op_equal_eager(seed: int, small_group: int) -> None:
    rng = random.Random(300 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
    assert tape.strategy == "levels"
    for _ in range(3):
        assert_matches_eager(tape, maker(lambda: random_graph_fn(seed, params)), [rng.uniform(-1, 1),
                                                                                  rng.uniform(-1, 1)], params)


def test_many_copies_of_every_op_at_one_level_equal_eager(small_group: int) -> None:
    # Twelve copies of a random graph side by side: each level holds groups of twelve nodes of one op.
    rng = random.Random(7)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    inputs = [rng.uniform(-1, 1) for _ in range(24)]

    def make():
        copies = [random_graph_fn(5, params) for _ in range(12)]  # the same random choices in every copy

        def fn(*xs: Value) -> Value:
            return sum_of([f(xs[2 * k], xs[2 * k + 1]) for k, f in enumerate(copies)])

        return fn

    tape = record(make(), inputs, params)
    assert_matches_eager(tape, maker(make), inputs, params)


def test_powers_with_different_exponents_at_one_level(small_group: int) -> None:
    w = Value(1.3, label="w")

    def fn(x: Value) -> Value:
        y = x * w
        return sum_of([y ** 2, y ** 3, y ** 0.5, y ** -1.5, (y + 1.0) ** 2, y ** 2])

    tape = record(fn, [0.7], [w])
    for x in (0.7, 1.9, 0.05):
        assert_matches_eager(tape, fn, [x], [w])
    loss, (g,) = tape.evaluate([2.0])
    y = 2.6  # closed form: d/dw of y^2 + y^3 + y^0.5 + y^-1.5 + (y+1)^2 + y^2 with y = 2w
    assert g == pytest.approx(2 * (2 * y + 3 * y * y + 0.5 * y ** -0.5 - 1.5 * y ** -2.5 + 2 * (y + 1) + 2 * y),
                              rel=1e-12)


def test_a_node_read_twice_in_one_group_gets_both_gradients(small_group: int) -> None:
    ws = [Value(0.1 * (k + 1), label=f"w{k}") for k in range(6)]

    def fn(x: Value) -> Value:
        h = x * ws[0]
        squares = [h * h for _ in range(5)]  # h twice in each node, five nodes at one level
        shared = dot(ws, [h, h, h, x, x, h])  # inputs repeated inside one dot
        return sum_of([*squares, shared, sum_of([h, h, x])])

    tape = record(fn, [0.8], ws)
    for x in (0.8, -1.7):
        assert_matches_eager(tape, fn, [x], ws)


def test_layers_read_as_matrix_products_equal_eager(small_group: int) -> None:
    model = MLP(3, [16, 16, 2], seed=7)
    params = model.parameters()

    def fn(a, b, c, y):
        out = model([a, b, c])
        return (out[0] - y) ** 2 + (out[1] * out[0]).tanh()

    tape = record(fn, [0.0] * 4, params)
    rng = random.Random(3)
    for _ in range(3):
        assert_matches_eager(tape, fn, [rng.uniform(-1, 1) for _ in range(4)], params)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_recurrent_models_and_their_final_state_equal_eager(cell: str, small_group: int) -> None:
    model = CharModel(vocab_size=7, hidden_size=6, cell=cell, seed=5)
    xs, ts = [0, 3, 6, 1, 2, 5], [3, 6, 1, 2, 5, 4]
    params = model.parameters()
    fn = lambda: model.sequence_loss(xs, ts)[0]  # noqa: E731
    tape = record(fn, example=[], parameters=params)
    for _ in range(2):
        assert_matches_eager(tape, fn, [], params)
        for p in params:  # a training step: the tape reads the new weights
            p.data -= 0.1 * p.grad


def test_branch_checks_fire_in_the_interpreter(small_group: int) -> None:
    model = MLP(2, [8, 1], seed=2)

    def gated(x0: Value, x1: Value) -> Value:
        out = model([x0, x1])
        return out * 2 if out > 0.0 else out * 3

    tape = record(gated, [0.5, 0.5], model.parameters())
    assert tape.strategy == "levels"
    assert tape.evaluate([0.5, 0.5])[0] == pytest.approx(2 * model([0.5, 0.5]).data, rel=1e-12)
    flipped = next(x for x in (-0.5, -2.0, 2.0, -5.0) if (model([x, x]).data > 0) is False)
    with pytest.raises(BranchChanged, match="would build a different graph"):
        tape.evaluate([flipped, flipped])


def test_inputs_and_parameters_the_loss_does_not_read_get_zero() -> None:
    w, unused = Value(0.5, label="w"), Value(3.0, label="unused")
    tape = record(lambda x, ignored: (x * w).tanh(), [0.2, 9.0], [w, unused])
    loss, grads = tape.evaluate([0.2, 123.0])
    assert loss == pytest.approx(math.tanh(0.1), rel=1e-15)
    assert grads == pytest.approx([0.2 * (1 - math.tanh(0.1) ** 2), 0.0], rel=1e-15)


def test_the_tape_compiles_once_the_runs_would_have_paid_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    model = MLP(2, [4, 1], seed=3)
    params = model.parameters()
    fn = lambda a, b: (model([a, b]) - 0.5) ** 2  # noqa: E731
    tape = record(fn, [0.1, 0.2], params)
    assert tape.strategy == "levels" and "def run" in tape.source  # the source can be read before compiling
    before = tape.evaluate([0.3, -0.6])
    monkeypatch.setattr(Tape, "compile_seconds", lambda self: 0.0)  # compiling now "costs" nothing: it pays at once
    tape.evaluate([0.3, -0.6])
    assert tape.strategy == "vectorized"
    after = tape.evaluate([0.3, -0.6])
    assert after[0] == pytest.approx(before[0], rel=1e-12)
    assert after[1] == pytest.approx(before[1], rel=1e-12, abs=1e-15)
    assert_matches_eager(tape, fn, [0.3, -0.6], params)


def test_a_tape_stays_interpreted_while_compiling_would_not_have_paid(monkeypatch: pytest.MonkeyPatch) -> None:
    w = Value(0.5)
    tape = record(lambda x: x * w + 1.0, [1.0], [w])
    monkeypatch.setattr(Tape, "compile_seconds", lambda self: 1e9)
    for x in range(20):
        assert tape.evaluate([float(x)]) == (x * 0.5 + 1.0, [float(x)])
    assert tape.strategy == "levels"
    tape.compile()
    assert tape.strategy == "vectorized" and tape.evaluate([4.0]) == (3.0, [4.0])


def test_run_many_switching_to_compiled_code_midway_keeps_summing(monkeypatch: pytest.MonkeyPatch) -> None:
    w = Value(2.0)
    tape = record(lambda x: (x * w) ** 2, [1.0], [w])
    calls = []
    monkeypatch.setattr(Tape, "compile_seconds", lambda self: 0.0 if calls.append(1) or len(calls) > 3 else 1e9)
    w.grad = 0.0
    total = tape.run_many([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]])
    assert tape.strategy == "vectorized"
    xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert total == pytest.approx(sum((2.0 * x) ** 2 for x in xs), rel=1e-15)
    assert w.grad == pytest.approx(sum(2 * (2.0 * x) * x for x in xs), rel=1e-15)  # d/dw (wx)^2 = 2 w x^2


def test_interpreter_tables_are_small() -> None:
    # The tape holds index arrays, not code: well under the 200 bytes per op node on a wide graph.
    import tracemalloc

    rng = random.Random(1)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(64)]

    def fn(x: Value) -> Value:
        hs = [(x * w).tanh() for w in ws]
        for _ in range(30):
            hs = [(h * w + 0.1).tanh() for h, w in zip(hs, ws)]
        return sum_of(hs)

    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tape = record(fn, [0.3], ws)
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    assert tape.strategy == "levels"
    assert held / tape.node_count < 200
