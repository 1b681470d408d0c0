"""Replaying recorded graphs: equal to the eager engine, batch equal to a loop, clear limits."""

from __future__ import annotations

import random

import pytest

from autograd import OPS, Value, apply, sum_of
from autograd.replay import BranchChanged, ReplayError, StructureChanged, Tape, record
from nn import MLP, CharModel
from nn.losses import softmax_cross_entropy

np = pytest.importorskip("numpy")


def eager(fn, inputs, params):
    """The engine's own loss and parameter gradients, for reference."""
    leaves = [Value(x) for x in inputs]
    for p in params:
        p.grad = 0.0
    out = fn(*leaves)
    out.backward()
    return out.data, [p.grad for p in params]


def random_graph_fn(seed: int, params: list[Value]):
    """A random expression using every op of the table, over two inputs and the parameters."""
    rng = random.Random(seed)
    ops = list(OPS.values())
    rng.shuffle(ops)

    def fn(x0: Value, x1: Value) -> Value:
        pool = [x0, x1, *params]
        for op in ops:
            if op.arity is None and op.inputs_per_term > 1:  # a mean loss: two elements, every input in (0, 1)
                args = [rng.choice(pool).sigmoid() for _ in range(2 * op.inputs_per_term)]
            elif op.arity is None:  # smooth_l1_mean's beta: a constant, last
                args = [rng.choice(pool) for _ in range(4 - op.constant_args)] + [2.0] * op.constant_args
            else:
                args = [rng.choice(pool) for _ in range(op.arity - op.constant_args)]
                args += [2.0] * op.constant_args
            # Keep every op inside its domain: positive arguments where the op needs them.
            if op.name in {"log", "sqrt", "pow_value", "reciprocal", "relu", "abs", "step", "sign"}:
                args[0] = args[0] * args[0] + 0.5
            if op.name == "div":
                args[1] = args[1] * args[1] + 0.5
            if op.name == "exp":
                args[0] = args[0].tanh()
            if op.name == "binary_cross_entropy":  # a probability and a target in [0, 1]
                args = [a.sigmoid() for a in args]
            pool.append(apply(op, *args).tanh() if op.name in {"exp", "pow_value"} else apply(op, *args))
        return sum_of(pool[-6:])

    return fn


@pytest.mark.parametrize("seed", range(12))
def test_replay_equals_eager_on_random_graphs_of_every_op(seed: int) -> None:
    rng = random.Random(100 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
    for _ in range(3):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        loss, grads = tape.evaluate(inputs)
        ref_loss, ref_grads = eager(random_graph_fn(seed, params), inputs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


def test_every_op_appears_in_the_random_graphs() -> None:
    params = [Value(0.1 * k) for k in range(3)]
    seen = set()
    for seed in range(12):
        tape = record(random_graph_fn(seed, params), [0.2, 0.3], params)
        seen |= set(tape.op_counts())
    assert seen >= set(OPS)


def test_mlp_replay_is_identical_to_eager_and_runs_updates() -> None:
    model = MLP(2, [8, 8, 1], seed=1)
    params = model.parameters()

    def loss_fn(x0, x1, y):
        return (model([x0, x1]) - y) ** 2

    tape = record(loss_fn, [0.0, 0.0, 0.0], params, vectorize=False)
    rows = [[0.3, -0.5, 1.0], [0.9, 0.1, -1.0], [-0.2, 0.4, 1.0]]
    for row in rows:
        loss, grads = tape.evaluate(row)
        ref_loss, ref_grads = eager(loss_fn, row, params)
        assert loss == ref_loss  # same operations in the same order: identical
        assert grads == pytest.approx(ref_grads, rel=1e-13, abs=1e-15)
    for p in params:  # parameters change between runs: the tape reads them afresh
        p.data += 0.01
    assert tape.evaluate(rows[0])[0] == eager(loss_fn, rows[0], params)[0]
    model.zero_grad()
    total = tape.run_many(rows, scale=0.5)
    expected = [0.5 * sum(col) for col in zip(*(eager(loss_fn, r, params)[1] for r in rows))]
    assert total == pytest.approx(sum(eager(loss_fn, r, params)[0] for r in rows), rel=1e-13)
    model.zero_grad()
    tape.run_many(rows, scale=0.5)
    assert [p.grad for p in params] == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_unrolled_cells_replay_equal_to_eager(cell: str) -> None:
    model = CharModel(5, 4, cell=cell, seed=2)
    params = model.parameters()
    seq, targets = [0, 3, 1, 4], [3, 1, 4, 2]

    def loss_fn(*state_values):
        h = list(state_values[:4])
        state = (h, list(state_values[4:])) if cell == "lstm" else h
        return model.sequence_loss(seq, targets, state)[0]

    n_state = 8 if cell == "lstm" else 4
    tape = record(loss_fn, [0.0] * n_state, params)
    state = [0.1 * k - 0.3 for k in range(n_state)]
    loss, grads = tape.evaluate(state)
    ref_loss, ref_grads = eager(loss_fn, state, params)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    assert grads == pytest.approx(ref_grads, rel=1e-11, abs=1e-14)


def test_batch_equals_a_loop_over_samples() -> None:
    model = MLP(3, [5, 2], activation="sigmoid", output_activation="tanh", seed=4)
    params = model.parameters()

    def loss_fn(a, b, c, y0, y1):
        out = model([a, b, c])
        return (out[0] - y0) ** 2 + (out[1] - y1).abs() + (a * b).exp() / (c * c + 1)

    tape = record(loss_fn, [0.0] * 5, params)
    rng = np.random.default_rng(0)
    columns = [rng.uniform(-1, 1, size=20) for _ in range(5)]
    losses, summed = tape.run_batch(columns)
    _, per_sample = tape.run_batch(columns, reduce="none")
    rows = list(zip(*columns))
    loop = [tape.evaluate(list(r)) for r in rows]
    assert losses == pytest.approx([loss for loss, _ in loop], rel=1e-12)
    for k in range(len(params)):
        column = [g[k] for _, g in loop]
        assert per_sample[k] == pytest.approx(column, rel=1e-10, abs=1e-14)
        assert summed[k] == pytest.approx(sum(column), rel=1e-10, abs=1e-13)


def test_structure_change_is_an_error() -> None:
    model = MLP(2, [3, 1], seed=0)
    tape = record(lambda x0, x1: model([x0, x1]), [0.1, 0.2], model.parameters())
    tape.check_parameters(model.parameters())
    bigger = MLP(2, [4, 1], seed=0)
    with pytest.raises(StructureChanged, match="now has 17 parameters; the tape recorded 13"):
        tape.check_parameters(bigger.parameters())
    rebuilt = MLP(2, [3, 1], seed=0)
    with pytest.raises(StructureChanged, match="parameter 0"):
        tape.check_parameters(rebuilt.parameters())


def test_a_branch_taken_differently_is_detected() -> None:
    w = Value(0.5, label="w")

    def piecewise(x: Value) -> Value:
        s = w * x
        return s * 2 if s > 0 else s * 3  # a data-dependent branch on a Value comparison

    tape = record(piecewise, [1.0], [w])
    assert tape.evaluate([2.0]) == (2.0, [4.0])
    with pytest.raises(BranchChanged, match="would build a different graph"):
        tape.evaluate([-1.0])


def test_undeclared_leaves_and_bad_inputs_are_named() -> None:
    hidden = Value(0.3, label="h0")
    w = Value(0.5, label="w")
    with pytest.raises(ReplayError, match="'h0' is a leaf of the graph but neither an input"):
        Tape((w * hidden).tanh(), [], [w])
    tape = Tape((w * hidden).tanh(), [], [w], constants=[hidden])
    assert tape.evaluate([])[0] == pytest.approx(0.14888503362331795)
    tape2 = record(lambda x: (w * x).log(), [1.0], [w])
    with pytest.raises(ReplayError, match="takes 1 inputs, got 2"):
        tape2.evaluate([1.0, 2.0])
    with pytest.raises(ValueError, match=r"log: math domain error in log\(-0.5\)"):
        tape2.evaluate([-1.0])
    with pytest.raises(ValueError, match="finite"):
        tape2.evaluate([float("nan")])


@pytest.mark.parametrize("vectorize", [False, None])
def test_outputs_report_the_final_state(vectorize: bool | None) -> None:
    model = CharModel(3, 2, cell="rnn", seed=0)
    h = [Value(0.0), Value(0.0)]
    loss, final = model.sequence_loss([0, 1], [1, 2], h)
    tape = Tape(loss, h, model.parameters(), outputs=final, vectorize=vectorize)
    tape.evaluate([0.0, 0.0])
    if vectorize is False:  # the eager engine's float operations in its order: the same bits
        assert tape.last_outputs == [v.data for v in final]
    else:  # the level interpreter sums a dot node's products in BLAS's order: last-bit differences only
        assert tape.last_outputs == pytest.approx([v.data for v in final], rel=1e-14, abs=0)


def test_softmax_cross_entropy_replays_with_new_logits() -> None:
    w = [Value(0.5), Value(-0.5), Value(2.0)]
    tape = record(lambda x: softmax_cross_entropy([wi * x for wi in w], 2), [1.0], w)
    for x in (1.0, 50.0, -300.0):
        loss, grads = tape.evaluate([x])
        ref_loss, ref_grads = eager(lambda v: softmax_cross_entropy([wi * v for wi in w], 2), [x], w)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


class _Hostile(float):
    """A float whose repr is code: pasted into a tape, it would run."""

    def __repr__(self) -> str:
        return "__import__('os').system('echo pwned') or 2.0"


def test_a_hostile_float_repr_never_reaches_the_generated_source() -> None:
    w = Value(0.5, label="w")
    c = Value(2.0, label="c")
    c.data = _Hostile(2.0)  # data set after the engine's checks, as careless code might

    def fn(x: Value) -> Value:
        if x > _Hostile(-1.0):  # a branch check against a hostile number
            return x * w * c
        return x

    tape = record(fn, example=[3.0], parameters=[w], constants=[c])
    assert "pwned" not in tape.source and "import" not in tape.source
    assert "(2.0)" in tape.source
    loss, grads = tape.evaluate([3.0])
    assert loss == pytest.approx(3.0 * 0.5 * 2.0) and grads == [pytest.approx(6.0)]


def test_a_non_finite_constant_is_refused_by_name() -> None:
    w = Value(0.5, label="w")
    c = Value(2.0, label="big")
    x = Value(3.0, label="x")
    loss = x * w * c
    c.data = float("inf")  # changed after the graph was built
    with pytest.raises(ReplayError, match="'big'.*inf"):
        Tape(loss, [x], [w], constants=[c])


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_a_recurrent_model_records_in_one_call(cell: str) -> None:
    """Leaves made inside the recorded function (zero state, one-hot inputs) are constants (issue 12 goal 3)."""
    model = CharModel(vocab_size=4, hidden_size=3, cell=cell, seed=3)
    xs, ts = [0, 2, 1, 3], [2, 1, 3, 0]
    tape = record(lambda: model.sequence_loss(xs, ts)[0], example=[], parameters=model.parameters())
    params = model.parameters()
    want_loss, want_grads = eager(lambda: model.sequence_loss(xs, ts)[0], [], params)
    loss, grads = tape.evaluate([])
    assert loss == pytest.approx(want_loss, abs=1e-12)
    assert grads == pytest.approx(want_grads, abs=1e-12)


def test_a_leaf_made_before_recording_is_still_refused() -> None:
    w = Value(0.5, label="w")
    forgotten = Value(2.0, label="forgotten")  # a parameter left out of parameters=
    with pytest.raises(ReplayError, match="forgotten"):
        record(lambda x: x * w * forgotten, example=[1.0], parameters=[w])


def test_a_leaf_of_a_value_subclass_made_before_recording_is_still_refused() -> None:
    class Weight(Value):
        __slots__ = ()

    w = Value(0.5, label="w")
    forgotten = Weight(2.0, label="forgotten weight")  # a user's own leaf type, left out of parameters=
    with pytest.raises(ReplayError, match="forgotten weight"):
        record(lambda x: x * w * forgotten, example=[1.0], parameters=[w])


@pytest.mark.parametrize("reduce", ["sum", "none"])
def test_run_batch_checks_branches_on_every_sample(reduce: str) -> None:
    w = Value(0.5, label="w")

    def piecewise(x: Value) -> Value:
        s = w * x
        return s * s * 2 if s > 0 else s * 3

    tape = record(piecewise, [1.0], [w])
    xs = [1.0, 2.0, 0.5]
    losses, grads = tape.run_batch([xs], reduce=reduce)
    # loss = 2 (w x)^2, d/dw = 4 w x^2, by hand per sample
    assert list(losses) == pytest.approx([2 * (0.5 * x) ** 2 for x in xs], abs=1e-12)
    per_sample = [4 * 0.5 * x * x for x in xs]
    want = sum(per_sample) if reduce == "sum" else per_sample
    assert np.asarray(grads[0]).tolist() == pytest.approx(want, abs=1e-12)
    with pytest.raises(BranchChanged, match=r"sample 2 \(and 1 more\)"):
        tape.run_batch([[1.0, 2.0, -1.0, -4.0]], reduce=reduce)


def test_converting_a_value_to_a_float_while_recording_warns_naming_the_line() -> None:
    import math
    import warnings

    from autograd.replay import TracerWarning

    w = Value(0.5, label="w")

    def frozen(x: Value) -> Value:
        return x * w + math.tanh(w)  # math.tanh(w) calls float(w): a constant to the tape

    line = frozen.__code__.co_firstlineno + 1
    with pytest.warns(TracerWarning, match="converted to a Python float") as caught:
        record(frozen, [1.0], [w])
    assert any(c.lineno == line and c.filename == __file__ for c in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # outside recording: no warning
        assert float(w) == 0.5


# --- the vectorized path (issue 12 goal 2): a layer's dot nodes as matrix-vector products ------------------


@pytest.fixture(params=[1, 32], ids=["every-group", "default-threshold"])
def group_threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Vectorize every dot group (threshold 1), or only those the default deems worth it."""
    monkeypatch.setattr(Tape, "min_group_weights", request.param)
    return int(request.param)


def test_vectorized_mlp_equals_eager(group_threshold: int) -> None:
    model = MLP(3, [16, 16, 2], seed=7)
    params = model.parameters()

    def loss_fn(a, b, c, y):
        out = model([a, b, c])
        return (out[0] - y) ** 2 + (out[1] * out[0]).tanh()

    tape = record(loss_fn, [0.0] * 4, params, vectorize=True)
    assert tape.vectorized and "@" in tape.source  # the layers became matrix products
    rng = random.Random(3)
    for _ in range(4):
        row = [rng.uniform(-1, 1) for _ in range(4)]
        loss, grads = tape.evaluate(row)
        ref_loss, ref_grads = eager(loss_fn, row, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_vectorized_recurrent_models_equal_eager(cell: str, group_threshold: int) -> None:
    model = CharModel(vocab_size=7, hidden_size=6, cell=cell, seed=5)
    xs, ts = [0, 3, 6, 1, 2, 5], [3, 6, 1, 2, 5, 4]
    params = model.parameters()
    tape = record(lambda: model.sequence_loss(xs, ts)[0], example=[], parameters=params, vectorize=True)
    assert "@" in tape.source
    for _ in range(2):
        loss, grads = tape.evaluate([])
        ref_loss, ref_grads = eager(lambda: model.sequence_loss(xs, ts)[0], [], params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
        for p in params:  # a training step: the tape reads the new weights
            p.data -= 0.1 * p.grad


@pytest.mark.parametrize("seed", range(6))
def test_vectorized_random_graphs_of_every_op_equal_eager(seed: int, group_threshold: int) -> None:
    rng = random.Random(200 + seed)
    params = [Value(rng.uniform(-1, 1), label=f"p{k}") for k in range(3)]
    tape = record(random_graph_fn(seed, params), [0.2, 0.3], params, vectorize=True)
    for _ in range(3):
        inputs = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        loss, grads = tape.evaluate(inputs)
        ref_loss, ref_grads = eager(random_graph_fn(seed, params), inputs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


def test_vectorized_tape_still_checks_branches_and_structure(group_threshold: int) -> None:
    model = MLP(2, [8, 1], seed=2)

    def gated(x0: Value, x1: Value) -> Value:
        out = model([x0, x1])
        return out * 2 if out > 0 else out * 3

    tape = record(gated, [0.5, 0.5], model.parameters(), vectorize=True)
    positive = tape.evaluate([0.5, 0.5])[0]
    assert positive == pytest.approx(2 * model([0.5, 0.5]).data, rel=1e-12)
    flipped = next(x for x in (-0.5, -2.0, 2.0, -5.0) if (model([x, x]).data > 0) is False)
    with pytest.raises(BranchChanged, match="would build a different graph"):
        tape.evaluate([flipped, flipped])
    with pytest.raises(BranchChanged, match="sample 1"):
        tape.run_batch([[0.5, flipped], [0.5, flipped]])
    with pytest.raises(StructureChanged, match="parameter 0"):
        tape.check_parameters(MLP(2, [8, 1], seed=2).parameters())


def test_a_tape_does_not_keep_the_recorded_graph_alive() -> None:
    import gc

    model = MLP(2, [6, 1], seed=1)
    gc.collect()
    before = sum(type(o) is Value for o in gc.get_objects())
    tape = record(lambda x0, x1: (model([x0, x1]) - 1.0) ** 2, [0.3, -0.4], model.parameters())
    gc.collect()
    alive = sum(type(o) is Value for o in gc.get_objects())
    # No Value of the graph stays: its dozens of interior nodes are gone, and so are the two input leaves (the
    # tape keeps the example's numbers for a run without inputs).
    assert alive - before == 0
    loss, grads = tape.evaluate([0.3, -0.4])
    ref_loss, ref_grads = eager(lambda x0, x1: (model([x0, x1]) - 1.0) ** 2, [0.3, -0.4], model.parameters())
    assert loss == pytest.approx(ref_loss, rel=1e-12) and grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("vectorize", [False, True])
def test_a_wide_dot_and_sum_of_5000_inputs_replay(vectorize: bool) -> None:
    from autograd import dot

    rng = random.Random(9)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(5000)]
    xs = [rng.uniform(-1, 1) for _ in range(5000)]

    def fn(x: Value) -> Value:
        return dot(ws, [xi * x for xi in xs]).tanh() + sum_of(ws) * x

    tape = record(fn, [0.7], ws, vectorize=vectorize)
    loss, grads = tape.evaluate([0.7])
    ref_loss, ref_grads = eager(fn, [0.7], ws)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-14)


def test_generating_a_wide_dot_node_is_linear_in_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted in work, not time: the input names of a width are listed once, not once per partial derivative."""
    from autograd import dot
    from autograd.replay import codegen

    calls = []
    real = codegen.input_names
    monkeypatch.setattr(codegen, "input_names", lambda n: calls.append(n) or real(n))
    for cache in (codegen.forward_template, codegen.partial_templates, codegen._positions):
        cache.cache_clear()
    width = 3001  # an odd width no other test uses
    ws = [Value(0.1) for _ in range(width)]
    tape = record(lambda x: dot(ws, [x] * width), [1.0], ws, vectorize=False)
    assert calls.count(2 * width) == 1
    # One line per weight's gradient: the source grows in proportion to the width.
    import re

    assert sum(bool(re.match(r"    gp[0-9]+ \+?= ", line)) for line in tape.source.splitlines()) == width
    assert tape.evaluate([2.0]) == (pytest.approx(0.1 * width * 2.0), [2.0] * width)


@pytest.mark.parametrize("vectorize", [False, True])
def test_code_cut_into_chunks_still_equals_eager_and_checks_branches(vectorize: bool, monkeypatch) -> None:
    """Long tapes are cut into functions handing values over through a list: the same numbers, the same checks."""
    from autograd.replay import chunks

    monkeypatch.setattr(chunks, "CHUNK_LINES", 40)
    model = CharModel(vocab_size=5, hidden_size=4, cell="lstm", seed=8)
    xs, ts = [0, 3, 1, 4, 2], [3, 1, 4, 2, 0]
    params = model.parameters()

    def loss_fn(scale: Value) -> Value:
        loss = model.sequence_loss(xs, ts)[0] * scale
        return loss * 2 if loss > 1.0 else loss  # a branch check somewhere in the middle of the code

    tape = record(loss_fn, [1.0], params, vectorize=vectorize)
    assert tape.source.count("def run_") > 10
    loss, grads = tape.evaluate([1.5])
    ref_loss, ref_grads = eager(loss_fn, [1.5], params)
    assert loss == pytest.approx(ref_loss, rel=1e-12) and grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-14)
    with pytest.raises(BranchChanged):
        tape.evaluate([1e-6])


@pytest.mark.parametrize("vectorize", [None, True, False])
def test_a_nan_parameter_is_named_by_every_way_of_running_a_tape(vectorize: bool | None) -> None:
    # A Value refuses NaN when made, not when assigned: the tape names the parameter, in every mode (compiled
    # code used to blame "an op before it overflowed").
    from nn import MLP

    model = MLP(2, [3, 1], seed=0)
    params = model.parameters()
    tape = record(lambda a, b: (model([a, b]) - 0.5) ** 2, [0.1, 0.2], params, vectorize=vectorize)
    params[2].data = float("nan")
    runs = [lambda: tape.run([1.0, 2.0]), lambda: tape.evaluate([1.0, 2.0]),
            lambda: tape.run_many([[1.0, 2.0], [0.5, 0.5]]), lambda: tape.run_batch([[1.0, 2.0], [2.0, 3.0]])]
    for run in runs:
        with pytest.raises(ValueError, match=r"parameter 2 \(.*\) is nan"):
            run()
    assert all(p.grad == 0.0 for p in params)  # nothing was accumulated


def test_record_takes_parameters_as_a_generator_and_names_a_wrong_example_length() -> None:
    from nn import MLP

    model = MLP(2, [3, 1], seed=0)
    tape = record(lambda a, b: model([a, b]) ** 2, [0.1, 0.2], (p for p in model.parameters()))
    eager = model([0.3, -0.4]) ** 2
    eager.backward()
    loss, grads = tape.evaluate([0.3, -0.4])
    assert loss == eager.data and grads == [p.grad for p in model.parameters()]
    with pytest.raises(TypeError, match="cannot take the 3 inputs of example"):
        record(lambda a, b: model([a, b]) ** 2, [0.1, 0.2, 0.3], model.parameters())
    with pytest.raises(TypeError, match="parameters must be a list of Values, got Value"):
        record(lambda a, b: model([a, b]) ** 2, [0.1, 0.2], model.parameters()[0])


def test_run_batch_names_the_column_that_is_not_numbers() -> None:
    w = Value(0.5)
    tape = record(lambda x, y: x * w + y, [1.0, 2.0], [w])
    with pytest.raises(TypeError, match="batch column 0 must hold real numbers only"):
        tape.run_batch([["a", "b"], [2.0, 2.0]])
    with pytest.raises(TypeError, match="batch column 1 must be a sequence of numbers, got str"):
        tape.run_batch([[1.0, 2.0], "ab"])
    losses, grads = tape.run_batch([[1.0, 2.0], [3.0, 4.0]])
    assert losses.tolist() == [3.5, 5.0] and grads == [3.0]


def test_record_names_a_function_that_is_not_callable() -> None:
    w = Value(1.0)
    with pytest.raises(TypeError, match="record: fn must be a function returning the loss, got Value"):
        record(w, [], [w])  # type: ignore[arg-type]  # was "'Value' object is not callable" from deep inside


def test_a_recorded_tape_replays_its_example_when_given_no_inputs() -> None:
    model = MLP(2, [5, 1], seed=3)

    def fn(x0: Value, x1: Value) -> Value:
        return (model([x0, x1]) - 0.25) ** 2

    tape = record(fn, [0.7, -1.1], model.parameters())
    ref_loss, ref_grads = eager(fn, [0.7, -1.1], model.parameters())
    loss, grads = tape.evaluate()
    assert loss == pytest.approx(ref_loss, rel=1e-12) and grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-15)
    assert [v.data for v in tape.inputs] == [0.7, -1.1]
    assert [v.label for v in tape.inputs] == ["input0", "input1"]
    with pytest.raises(ReplayError, match="takes 2 inputs, got 3"):
        tape.evaluate([1.0, 2.0, 3.0])
