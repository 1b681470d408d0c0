"""Layers, cells, losses, optimizers and text helpers against closed forms and hand-written code."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value, gradcheck
from nn import (
    MLP,
    SGD,
    Adagrad,
    Adam,
    Layer,
    Linear,
    LSTMCell,
    Neuron,
    RNNCell,
    Vocabulary,
    clip_grad_norm,
    clip_grad_value,
    half_sum_squared_error,
    mean_squared_error,
    softmax_cross_entropy,
)
from nn.char_model import CharModel, sample_index


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def test_neuron_is_the_slides_weighted_sum() -> None:
    n = Neuron(2, activation="sigmoid", seed=0)
    n.b.data, n.w[0].data, n.w[1].data = 0.5, 0.1, 0.3
    out = n([1.0, 4.0])
    assert out.data == pytest.approx(sigmoid(0.5 + 0.1 + 1.2), rel=1e-15)
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        n([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        Neuron(2, activation="swish")


def test_layer_weight_table_round_trip_and_shape_errors() -> None:
    layer = Layer(3, 2, name="w1")
    table = [[0.5, 0.5], [0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    layer.set_weight_table(table)
    assert layer.weight_table() == table
    with pytest.raises(ValueError, match="expected 4 rows"):
        layer.set_weight_table(table[:3])
    assert layer.weight_table() == table


def test_mlp_gradients_match_central_differences() -> None:
    model = MLP(2, [3, 2], activation="tanh", output_activation="sigmoid", seed=4)
    params = model.parameters()

    def loss_of(*values: Value) -> Value:
        for p, v in zip(params, values):
            p.data = v.data
        # Rebuild with the given leaves standing in for the parameters.
        saved = [(n, n.b, list(n.w)) for layer in model.layers for n in layer.neurons]
        it = iter(values)
        for n, _, _ in saved:
            n.b = next(it)
            n.w = [next(it) for _ in n.w]
        try:
            return half_sum_squared_error(model([0.3, -0.7]), [0.2, 0.9])
        finally:
            for n, b, w in saved:
                n.b, n.w = b, w

    gradcheck(loss_of, [p.data for p in params]).raise_if_failed()


def test_losses_closed_forms() -> None:
    p = [Value(0.8), Value(0.3)]
    e = half_sum_squared_error(p, [0.1, 0.05])
    assert e.data == pytest.approx(0.5 * (0.7**2 + 0.25**2))
    e.backward()
    assert [v.grad for v in p] == pytest.approx([0.7, 0.25])  # dE/dy_hat = y_hat - y
    assert mean_squared_error(p, [0.1, 0.05]).data == pytest.approx((0.7**2 + 0.25**2) / 2)
    z = [Value(1.0), Value(2.0), Value(3.0)]
    ce = softmax_cross_entropy(z, 2)
    assert ce.data == pytest.approx(math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 3)
    ce.backward()
    total = math.exp(1) + math.exp(2) + math.exp(3)
    assert [v.grad for v in z] == pytest.approx([math.exp(1) / total, math.exp(2) / total, math.exp(3) / total - 1])
    assert softmax_cross_entropy([Value(1000.0), Value(-1000.0)], 1).data == pytest.approx(2000.0)
    with pytest.raises(ValueError, match="class index"):
        softmax_cross_entropy(z, 3)
    for target in (0, [1.0]):  # no logits: refused by name, not as "a class index in 0..-1"
        with pytest.raises(ValueError, match="at least one logit"):
            softmax_cross_entropy([], target)
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        half_sum_squared_error(p, [0.1])


def test_rnn_cell_one_hot_equals_dense_input() -> None:
    cell = RNNCell(4, 3, seed=2)
    h = [Value(0.1), Value(-0.2), Value(0.3)]
    by_index = cell(2, h)
    dense = cell([0.0, 0.0, 1.0, 0.0], h)
    assert [v.data for v in by_index] == pytest.approx([v.data for v in dense], rel=1e-15)
    with pytest.raises(ValueError, match="one-hot index 4"):
        cell(4, h)


def test_lstm_cell_matches_hand_written_equations() -> None:
    cell = LSTMCell(2, 2, seed=5)
    x, h_prev, c_prev = [0.5, -1.0], [0.1, 0.2], [0.3, -0.4]
    h, c = cell(x, ([Value(v) for v in h_prev], [Value(v) for v in c_prev]))
    xh = x + h_prev

    def gate(name: str, k: int) -> float:
        W = getattr(cell, f"W_{name}")[k]
        b = getattr(cell, f"b_{name}")[k]
        return sum(w.data * v for w, v in zip(W, xh)) + b.data

    for k in range(2):
        i, f = sigmoid(gate("i", k)), sigmoid(gate("f", k))
        g, o = math.tanh(gate("g", k)), sigmoid(gate("o", k))
        c_k = f * c_prev[k] + i * g
        assert c[k].data == pytest.approx(c_k, rel=1e-14)
        assert h[k].data == pytest.approx(o * math.tanh(c_k), rel=1e-14)


def test_lstm_gradients_through_time_match_central_differences() -> None:
    cell = LSTMCell(2, 2, seed=1)

    def loss(a: Value, b: Value) -> Value:
        state = cell.initial_state()
        for x in ([a, b], [b, a], [a, a]):
            state = cell(x, state)
        return state[0][0] * state[1][1] + state[0][1]

    gradcheck(loss, [0.3, -0.8]).raise_if_failed()


def test_lstm_set_weights_is_all_or_nothing() -> None:
    cell = LSTMCell(1, 1, seed=0)
    before = cell.state_dict()
    with pytest.raises(ValueError, match="W_o: expected a 1x2 matrix"):
        cell.set_weights({"W_i": [[1.0, 2.0]], "W_o": [[1.0]]})
    assert cell.state_dict() == before
    with pytest.raises(ValueError, match="unknown LSTM weight 'W_z'"):
        cell.set_weights({"W_z": [[1.0, 2.0]]})


def test_sgd_is_the_slides_rule_and_momentum_accumulates() -> None:
    w = Value(0.5)
    w.grad = 0.3447
    SGD([w], lr=0.01).step()
    assert w.data == pytest.approx(0.5 - 0.01 * 0.3447)
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.9)
    w.grad = 1.0
    opt.step()
    opt.step()
    assert w.data == pytest.approx(1.0 - 0.1 * 1.0 - 0.1 * (0.9 + 1.0))


def test_adam_first_step_is_lr_times_sign_and_adagrad_normalises() -> None:
    w = Value(1.0)
    w.grad = -123.0
    Adam([w], lr=0.01).step()
    assert w.data == pytest.approx(1.01, rel=1e-9)
    w = Value(1.0)
    w.grad = 4.0
    Adagrad([w], lr=0.1).step()
    assert w.data == pytest.approx(1.0 - 0.1 * 4.0 / math.sqrt(16.0 + 1e-8))
    with pytest.raises(ValueError, match="learning rate"):
        SGD([w], lr=-1)


def test_gradient_clipping() -> None:
    a, b = Value(0.0), Value(0.0)
    a.grad, b.grad = 30.0, -40.0
    assert clip_grad_norm([a, b], 5.0) == pytest.approx(50.0)
    assert (a.grad, b.grad) == pytest.approx((3.0, -4.0))
    a.grad = 7.0
    clip_grad_value([a, b], 5.0)
    assert (a.grad, b.grad) == (5.0, -4.0)


def test_vocabulary() -> None:
    v = Vocabulary.from_text("hello")
    assert v.chars == ["h", "e", "l", "o"]
    assert v.one_hot("l") == [0.0, 0.0, 1.0, 0.0]
    assert v.decode(v.encode("hole")) == "hole"
    with pytest.raises(ValueError, match="character 'z' is not in the vocabulary 'helo'"):
        v.encode("hz")


def test_sampling_is_seeded_and_temperature_zero_is_argmax() -> None:
    model = CharModel(5, 4, seed=3)
    assert model.sample(0, 20, seed=11) == model.sample(0, 20, seed=11)
    assert sample_index([0.1, 3.0, -1.0], 0, random.Random(0)) == 1
    counts = [0, 0]
    rng = random.Random(0)
    for _ in range(4000):
        counts[sample_index([0.0, math.log(3.0)], 1.0, rng)] += 1
    assert counts[1] / 4000 == pytest.approx(0.75, abs=0.03)  # softmax([0, log 3]) = [1/4, 3/4]
    with pytest.raises(ValueError, match="temperature"):
        model.sample(0, 3, temperature=-1)


def test_sequence_shapes_many_to_one_and_many_to_many() -> None:
    model = CharModel(4, 3, cell="lstm", seed=0)
    all_logits, states = model.unroll([0, 1, 2])
    assert len(all_logits) == len(states) == 3
    last = model.final_logits([0, 1, 2])
    assert [v.data for v in last] == [v.data for v in all_logits[-1]]
    loss, _ = model.sequence_loss([0, 1, 2], [1, 2, 3])
    expected = sum(softmax_cross_entropy(z, t).data for z, t in zip(all_logits, [1, 2, 3]))
    assert loss.data == pytest.approx(expected, rel=1e-14)


NAN = float("nan")


@pytest.mark.parametrize(
    ("make", "load", "message"),
    [
        (lambda: Layer(2, 2, name="w1"), lambda m: m.set_weight_table([[0.0, 1.0], [2.0, 3.0], [4.0, NAN]]),
         r"w1\[2,2\]"),
        (lambda: Linear(2, 2, seed=0), lambda m: m.set_weights([[1.0, 2.0], [3.0, 4.0]], [0.5, NAN]), r"b\[1\]"),
        (lambda: RNNCell(2, 2, seed=0), lambda m: m.set_weights([[1.0, 2.0]] * 2, [[3.0, 4.0], [5.0, NAN]]),
         r"Whh\[1,1\]"),
        (lambda: LSTMCell(1, 1, seed=0), lambda m: m.set_weights({"W_i": [[1.0, 2.0]], "b_o": [NAN]}), r"b_o\[0\]"),
        (lambda: Linear(1, 1, seed=0), lambda m: m.load_state_dict({"W.0.0": 1.0, "b.0": NAN}), "state entry 'b.0'"),
    ],
)
def test_loading_weights_is_all_or_nothing_and_names_the_bad_entry(make, load, message) -> None:
    model = make()
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        load(model)
    assert model.state_dict() == before  # the good entries before the NaN were not set either


def test_clip_grad_value_clamps_both_ways_and_keeps_nan_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    grads = [7.5, -9.0, 5.0, -5.0, 0.25, -0.0, float("nan"), float("inf"), -float("inf")]
    params = [Value(0.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    clip_grad_value(params, 5.0)
    t = torch.tensor(grads, dtype=torch.float64)
    t.clamp_(-5.0, 5.0)  # what torch.nn.utils.clip_grad_value_ does to each gradient
    got, want = [p.grad for p in params], t.tolist()
    assert [math.isnan(g) for g in got] == [math.isnan(w) for w in want] == [False] * 6 + [True, False, False]
    assert [g for g in got if not math.isnan(g)] == [w for w in want if not math.isnan(w)]


def test_neuron_forward_converted_is_its_forward_with_the_activation() -> None:
    """`Neuron.forward_converted` (inputs already Values, the constant 1 first) equals ``tanh(b + w . x)``."""
    from nn.neuron import Neuron, bias_and_inputs

    n = Neuron(3, activation="tanh")
    for p, v in zip([n.b, *n.w], [0.1, -0.4, 0.7, 0.25]):
        p.data = v
    x = [0.5, -1.0, 2.0]
    want = math.tanh(0.1 + (-0.4 * 0.5) + (0.7 * -1.0) + (0.25 * 2.0))
    assert n.forward_converted(bias_and_inputs(x)).data == pytest.approx(want, rel=1e-15)
    assert n(x).data == pytest.approx(want, rel=1e-15)
