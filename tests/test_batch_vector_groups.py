"""Batch replay with vector groups (issue 12 goal 2): a layer's elementwise ops as one array op, equal to eager.

Every reference here is the eager engine run sample by sample (its loss and
its gradients, summed or kept per sample), to 1e-12.
"""

from __future__ import annotations

import random
import re

import pytest

from autograd import Value, sum_of
from autograd.replay import BranchChanged, record
from autograd.replay.blocks import row_selection
from autograd.replay.codegen import MIN_GROUP_WEIGHTS, VECTOR_MIN_MEMBERS, generate
from nn import MLP, CharModel

np = pytest.importorskip("numpy")


def eager_per_sample(fn, columns, params):
    """Eager losses and per-sample parameter gradients (one list per sample)."""
    losses, grads = [], []
    for row in zip(*columns):
        for p in params:
            p.grad = 0.0
        out = fn(*[Value(float(x)) for x in row])
        out.backward()
        losses.append(out.data)
        grads.append([p.grad for p in params])
    return losses, grads


def assert_batch_equals_eager(tape, fn, columns, params) -> None:
    """run_batch, summed and per sample, equals eager sample by sample to 1e-12."""
    ref_losses, ref_grads = eager_per_sample(fn, columns, params)
    losses, summed = tape.run_batch(columns)
    assert losses.tolist() == pytest.approx(ref_losses, rel=1e-12, abs=1e-12)
    totals = [sum(g[k] for g in ref_grads) for k in range(len(params))]
    assert summed == pytest.approx(totals, rel=1e-12, abs=1e-12)
    _, per_sample = tape.run_batch(columns, reduce="none")
    for k in range(len(params)):
        assert per_sample[k].tolist() == pytest.approx([g[k] for g in ref_grads], rel=1e-12, abs=1e-12)
    # One sample at a time, the compiled vectorized tape (its wide groups on numpy vectors) gives the same.
    tape.compile()
    assert tape.strategy == "vectorized"
    for row, ref_loss, ref in zip(zip(*columns), ref_losses, ref_grads):
        loss, grads = tape.evaluate([float(x) for x in row])
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref, rel=1e-12, abs=1e-12)


def batch_source(tape) -> str:
    return generate(tape.graph, [], matmul_groups=True, batch=True).text


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("width", [8, 16, 32, 64])
def test_batch_mlp_equals_eager_sample_by_sample(activation: str, width: int) -> None:
    model = MLP(2, [width, width, 1], activation=activation, seed=width)
    params = model.parameters()

    def fn(x0: Value, x1: Value, y: Value) -> Value:
        return (model([x0, x1]) - y) ** 2

    tape = record(fn, [0.0, 0.0, 0.0], params)
    source = batch_source(tape)
    # Each hidden layer's activation is one call on the layer's array, not one per neuron.
    assert source.count(f"{activation}(Y") == 2
    assert source.count(f"{activation}(") == 2
    # And so on one sample, for the layers wide enough to be vectorized there at all.
    wide = sum(width * (fan_in + 1) >= MIN_GROUP_WEIGHTS and width >= VECTOR_MIN_MEMBERS for fan_in in (2, width))
    assert tape.source.count(f"vec_{activation}(Y") == wide
    assert wide == 2 or width < VECTOR_MIN_MEMBERS
    rng = np.random.default_rng(width)
    columns = [rng.uniform(-1.5, 1.5, size=12) for _ in range(3)]
    assert_batch_equals_eager(tape, fn, columns, params)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_batch_recurrent_model_equals_eager(cell: str) -> None:
    hidden = VECTOR_MIN_MEMBERS  # wide enough for vector groups on one sample too
    model = CharModel(vocab_size=5, hidden_size=hidden, cell=cell, seed=3)
    params = model.parameters()
    seq, targets = [0, 3, 1, 4], [3, 1, 4, 2]
    n_state = 2 * hidden if cell == "lstm" else hidden

    def fn(*state_values: Value) -> Value:
        h = list(state_values[:hidden])
        state = (h, list(state_values[hidden:])) if cell == "lstm" else h
        return model.sequence_loss(seq, targets, state)[0]

    tape = record(fn, [0.0] * n_state, params)
    if cell == "lstm":  # the gates and the cell update run on arrays: f * c + i * g as whole vectors
        assert "sigmoid(Y" in batch_source(tape) and "vec_sigmoid(Y" in tape.source
    else:
        assert "vec_tanh(Y" in tape.source
    rng = np.random.default_rng(5)
    columns = [rng.uniform(-0.8, 0.8, size=6) for _ in range(n_state)]
    assert_batch_equals_eager(tape, fn, columns, params)


def test_vector_groups_with_parameter_vectors_shared_parameters_and_shuffled_rows() -> None:
    model = MLP(2, [8], activation="tanh", seed=11)
    rng = random.Random(4)
    bias = [Value(rng.uniform(-1, 1), label=f"c{k}") for k in range(8)]
    scale = Value(0.7, label="s")
    params = [*model.parameters(), *bias, scale]
    perm = list(range(8))
    rng.shuffle(perm)

    def fn(x0: Value, x1: Value) -> Value:
        h = model([x0, x1])
        y = [h[k] * scale + bias[k] for k in range(8)]  # a shared parameter, then one parameter per row
        z = [y[k] * h[perm[k]] for k in range(8)]  # rows read out of order
        w = [z[k] * h[0] for k in range(8)]  # one row read by every member
        return sum_of(w) + sum_of(z)

    tape = record(fn, [0.0, 0.0], params)
    assert "Y" in batch_source(tape) and "add_at(G" in batch_source(tape)
    columns = [np.linspace(-1, 1, 7), np.linspace(0.5, -0.9, 7)]
    assert_batch_equals_eager(tape, fn, columns, params)


def test_a_gradient_shared_by_two_parents_is_not_changed_through_the_other() -> None:
    # s = a + b hands both parents the same gradient array; a later '+=' on one of them used to change the other.
    w1, w2 = Value(0.3, label="w1"), Value(-0.7, label="w2")

    def fn(x: Value) -> Value:
        a, b = x * w1, x * w2
        c, d = a * 2.0, b * 3.0
        s = a + b
        return s * s + c * c + d * d

    tape = record(fn, [0.5], [w1, w2])
    columns = [np.array([0.5, 1.5, -0.2])]
    assert_batch_equals_eager(tape, fn, columns, [w1, w2])
    # Closed form: loss = x^2 ((w1 + w2)^2 + 4 w1^2 + 9 w2^2); d/dw2 = x^2 (2 (w1 + w2) + 18 w2).
    _, summed = tape.run_batch(columns)
    assert summed[1] == pytest.approx(sum(x * x for x in columns[0]) * (2 * (0.3 - 0.7) + 18 * -0.7), rel=1e-12)


@pytest.mark.parametrize("reduce", ["sum", "none"])
def test_batch_checks_a_branch_on_a_hidden_neuron(reduce: str) -> None:
    model = MLP(2, [16, 1], seed=6)  # wide enough that one sample runs the hidden layer as arrays too

    def gated(x0: Value, x1: Value) -> Value:
        hidden = model.layers[0]([x0, x1])
        out = model.layers[1](hidden)[0]
        return out * 2 if hidden[3] > 0 else out * 3

    tape = record(gated, [0.4, 0.4], model.parameters())
    same = [x for x in np.linspace(-2, 2, 41) if (model.layers[0]([x, x])[3].data > 0)]
    other = [x for x in np.linspace(-2, 2, 41) if (model.layers[0]([x, x])[3].data <= 0)]
    assert same and other
    losses, _ = tape.run_batch([same, same], reduce=reduce)
    assert losses.tolist() == pytest.approx([gated(Value(x), Value(x)).data for x in same], rel=1e-12)
    with pytest.raises(BranchChanged, match="sample 1"):
        tape.run_batch([[same[0], other[0]], [same[0], other[0]]], reduce=reduce)
    assert "vec_tanh(Y" in tape.source
    tape.compile()
    assert tape.evaluate([same[0], same[0]])[0] == pytest.approx(gated(Value(same[0]), Value(same[0])).data)
    with pytest.raises(BranchChanged, match="would build a different graph"):
        tape.evaluate([other[0], other[0]])


@pytest.mark.parametrize("seed", range(40))
def test_row_selection_picks_exactly_the_rows_asked_for(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 12)
    kind = seed % 4
    if kind == 0:  # a run with a step, either direction
        step = rng.choice([-3, -2, -1, 1, 2, 3])
        start = rng.randrange(size)
        index = list(range(start, -1 if step < 0 else size, step))[: rng.randint(1, size)]
    elif kind == 1:
        index = list(range(size))
    else:
        index = [rng.randrange(size) for _ in range(rng.randint(1, size))]
    rows = np.arange(size * 3).reshape(size, 3)
    selection = row_selection(index, size)
    if selection is None:  # only when no slice can do it
        steps = {b - a for a, b in zip(index, index[1:])}
        assert len(index) > 1 and (len(steps) > 1 or steps == {0})
    else:
        picked = eval("rows" + selection, {"rows": rows})  # noqa: S307 - our own slice text
        assert picked.tolist() == rows[index].tolist()
        assert np.shares_memory(picked, rows)  # a view: no copy
    assert row_selection(list(range(size)), size) == ""


def test_a_block_gradient_shared_by_two_blocks_is_copied_before_it_is_updated() -> None:
    # u = h + c hands h and c the very same gradient array; each then adds its own scalar term (h[3] * 7, c[2] * 5)
    # to one row in place, which must not reach the other's gradient.
    first, second = (MLP(2, [6], output_activation="tanh", seed=k) for k in (1, 2))
    params = [*first.parameters(), *second.parameters()]

    def fn(x0: Value, x1: Value) -> Value:
        c = first([x0, x1])
        h = second([x1, x0])  # other inputs: two products, two tanh blocks
        u = [hk + ck for hk, ck in zip(h, c)]
        return sum_of(u) + c[2] * 5.0 + h[3] * 7.0

    tape = record(fn, [0.0, 0.0], params)
    assert_batch_equals_eager(tape, fn, [np.linspace(-1, 1, 5), np.linspace(1, -0.5, 5)], params)


def test_every_op_of_the_table_as_a_vector_group_equals_eager() -> None:
    from autograd import OPS, apply

    width = VECTOR_MIN_MEMBERS  # wide enough for groups on one sample as well
    model = MLP(2, [width], output_activation="tanh", seed=8)
    rng = random.Random(8)
    bias = [Value(rng.uniform(-1, 1), label=f"c{k}") for k in range(width)]
    shared = Value(0.6, label="s")
    params = [*model.parameters(), *bias, shared]
    perm = list(range(width))
    rng.shuffle(perm)
    positive = {"log", "sqrt", "pow_value", "reciprocal", "relu", "abs", "step", "sign"}

    def fn(x0: Value, x1: Value) -> Value:
        h = model([x0, x1])
        terms = []
        for j, op in enumerate(OPS.values()):
            rows = []
            for k in range(width):
                a = h[k] * h[k] + 0.5 if op.name in positive else h[k]
                # The second input, by turns: another row (out of order), one parameter per row, a shared one.
                b = [h[perm[k]], bias[k], shared][j % 3]
                if op.arity is None and op.inputs_per_term > 1:  # a mean loss: two elements, inputs in (0, 1)
                    pool = [a, b, h[perm[k]], bias[k]] * op.inputs_per_term
                    args = [x.sigmoid() for x in pool][:2 * op.inputs_per_term]
                elif op.arity is None:  # smooth_l1_mean's beta: a constant, last
                    args = [a, b, h[perm[k]], bias[k]][:4 - op.constant_args] + [3.0] * op.constant_args
                elif op.constant_args:  # hardtanh's bounds and softplus's threshold inside the values met
                    args = [a, *{"hardtanh": [-0.5, 0.5], "softplus_beta": [3.0, 1.0]}.get(op.name, [3.0])]
                elif op.name == "binary_cross_entropy":  # a probability and a target, both in [0, 1]
                    args = [a.sigmoid(), b.sigmoid()]
                elif op.arity == 3:  # a logit, a target in [0, 1] and a positive pos_weight, one per row
                    args = [a, b.sigmoid(), bias[k] * bias[k] + 0.5]
                elif op.arity == 2:
                    args = [a, b * b + 0.5 if op.name == "div" else b]
                else:
                    args = [a]
                rows.append(apply(op, *args))
            terms.append(sum_of(rows).tanh())
        return sum_of(terms)

    tape = record(fn, [0.0, 0.0], params)
    source = batch_source(tape)
    assert "div(Y" in source and "logsumexp_all(Y" in source and "pow_value(Y" in source
    assert_batch_equals_eager(tape, fn, [np.linspace(-1, 1, 5), np.linspace(0.8, -0.6, 5)], params)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_vector_groups_cut_into_chunks_still_equal_eager(cell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Long code is cut into functions handing values over (`chunks`): the blocks' arrays cross the cuts too."""
    from autograd.replay import chunks

    monkeypatch.setattr(chunks, "CHUNK_LINES", 6)
    test_batch_recurrent_model_equals_eager(cell)
    test_every_op_of_the_table_as_a_vector_group_equals_eager()


def test_a_loss_over_a_layers_outputs_takes_their_gradient_as_one_array() -> None:
    from nn.losses import softmax_cross_entropy

    model = MLP(2, [16, VECTOR_MIN_MEMBERS], activation="tanh", seed=12)
    params = model.parameters()

    def fn(x0: Value, x1: Value) -> Value:
        logits = model([x0, x1])
        return softmax_cross_entropy(logits, 3) + sum_of(logits) * 0.1

    tape = record(fn, [0.0, 0.0], params)
    # logsumexp's partials exp(x_k - out) for all the logits in one expression, and the sum's ones likewise.
    assert "exp(Y" in batch_source(tape) and "like_rows(" in batch_source(tape)
    assert "vec_exp(Y" in tape.source
    assert_batch_equals_eager(tape, fn, [np.linspace(-2, 2, 6), np.linspace(1, -1, 6)], params)


@pytest.mark.parametrize("reduce", ["sum", "none"])
def test_a_gradient_that_overflows_in_a_layer_is_an_error_naming_the_parameter(reduce: str) -> None:
    model = MLP(2, [VECTOR_MIN_MEMBERS], seed=3)  # biases start at 0: the outputs are about 1e-10 here
    params = model.parameters()

    def fn(x0: Value, x1: Value) -> Value:
        h = model([x0, x1])
        # The loss is about 2e298, but d loss / d output = 2e308 overflows, as the engine itself reports.
        return sum_of([hk * 1e308 + hk * 1e308 for hk in h])

    tape = record(fn, [0.0, 0.0], params)
    with pytest.raises(FloatingPointError, match="not finite"):
        fn(Value(1e-10), Value(1e-10)).backward()
    first_bias = params[0]
    assert first_bias.data == 0.0
    expected = re.escape(f"gradient of Value {first_bias.label!r} is not finite")
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(FloatingPointError, match=expected):
        tape.run_batch([np.full(3, 1e-10), np.full(3, 1e-10)], reduce=reduce)
