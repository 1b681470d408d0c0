"""One-hot inputs as columns (`ProjectedInput`) and class-probability targets: what a replayed char model needs."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value
from nn import CharModel, ProjectedInput, softmax_cross_entropy


def _grads(model: CharModel) -> list[float]:
    return [p.grad for p in model.parameters()]


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_an_index_and_its_projection_build_the_same_numbers(cell: str) -> None:
    model = CharModel(vocab_size=5, hidden_size=3, cell=cell, seed=4)
    xs, ts = [0, 3, 3, 1], [3, 3, 1, 4]
    loss, _ = model.sequence_loss(xs, ts)
    loss.backward()
    by_index = loss.data, _grads(model)
    model.zero_grad()
    loss, _ = model.sequence_loss([model.project(x) for x in xs], ts)
    loss.backward()
    assert (loss.data, _grads(model)) == by_index  # the same Values in the same expressions: bit for bit


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_stand_in_columns_get_the_gradient_of_the_column_they_stand_for(cell: str) -> None:
    model = CharModel(vocab_size=4, hidden_size=2, cell=cell, seed=7)
    loss, _ = model.sequence_loss([2], [1])
    loss.backward()
    column = model.project(2).values
    want = [w.grad for w in column]  # type: ignore[union-attr]
    model.zero_grad()
    stand_ins = [Value(w.data) for w in column]  # type: ignore[union-attr]
    loss2, _ = model.sequence_loss([ProjectedInput(stand_ins)], [1])
    loss2.backward()
    assert loss2.data == loss.data
    assert [v.grad for v in stand_ins] == pytest.approx(want, abs=1e-15)
    assert all(w.grad == 0.0 for w in column)  # type: ignore[union-attr]  # nothing reaches the real column


def test_project_is_the_column_of_the_input_weights() -> None:
    rnn = CharModel(vocab_size=3, hidden_size=2, cell="rnn", seed=0)
    assert rnn.project(1).values == tuple(row[1] for row in rnn.cell.Wxh)  # type: ignore[union-attr]
    lstm = CharModel(vocab_size=3, hidden_size=2, cell="lstm", seed=0)
    want = [getattr(lstm.cell, f"W_{g}")[k][2] for g in "ifgo" for k in range(2)]
    assert list(lstm.project(2).values) == want
    with pytest.raises(ValueError, match="one-hot index 3 is outside 0..2"):
        lstm.project(3)


def test_a_projected_input_of_the_wrong_size_or_kind_is_refused() -> None:
    lstm = CharModel(vocab_size=3, hidden_size=2, cell="lstm", seed=0)
    with pytest.raises(ValueError, match="LSTMCell expects a ProjectedInput of 8 values, got 2"):
        lstm.step(ProjectedInput([0.0, 1.0]), lstm.initial_state())
    rnn = CharModel(vocab_size=3, hidden_size=2, cell="rnn", seed=0)
    with pytest.raises(ValueError, match="RNNCell expects a ProjectedInput of 2 values, got 3"):
        rnn.step(ProjectedInput([0.0, 1.0, 2.0]), rnn.initial_state())
    with pytest.raises(TypeError, match="ProjectedInput value 1 must be a Value or a number, got str"):
        ProjectedInput([0.0, "1"])  # type: ignore[list-item]


def test_a_one_hot_target_gives_the_index_loss_and_gradient() -> None:
    z = [Value(0.3), Value(-1.2), Value(2.5)]
    by_index = softmax_cross_entropy(z, 1)
    by_index.backward()
    want = [v.grad for v in z]
    for v in z:
        v.grad = 0.0
    one_hot = softmax_cross_entropy(z, [Value(0.0), Value(1.0), Value(0.0)])
    one_hot.backward()
    # logsumexp(z) - z_1, by hand
    assert one_hot.data == pytest.approx(math.log(sum(math.exp(v.data) for v in z)) + 1.2, abs=1e-14)
    assert one_hot.data == pytest.approx(by_index.data, abs=1e-14)
    assert [v.grad for v in z] == pytest.approx(want, abs=1e-15)


def test_class_probability_targets_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    rng = random.Random(12)
    for _ in range(20):
        n = rng.randint(1, 6)
        logits = [rng.uniform(-4, 4) for _ in range(n)]
        raw = [rng.random() for _ in range(n)]
        # Summing to one, and not (PyTorch's formula holds either way).
        probs = [r / sum(raw) for r in raw] if rng.random() < 0.5 else raw
        z = [Value(x) for x in logits]
        loss = softmax_cross_entropy(z, probs)
        loss.backward()
        tz = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
        tloss = torch.nn.functional.cross_entropy(tz[None], torch.tensor([probs], dtype=torch.float64))
        tloss.backward()
        assert loss.data == pytest.approx(tloss.item(), rel=1e-12, abs=1e-12)
        assert [v.grad for v in z] == pytest.approx(tz.grad.tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ([0.5, 0.5], ValueError, "3 logits but 2 target probabilities"),
        ([0.0, 1.5, 0.0], ValueError, "target probability 1 is 1.5"),
        ([0.0, -0.1, 0.0], ValueError, "target probability 1 is -0.1"),
        ([0.0, 0.0, float("nan")], ValueError, "target probability 2 is nan"),
        ([0.0, "1", 0.0], TypeError, "target probability 1 must be a number or a Value, got str"),
        ([True, False, False], TypeError, "target probability 0 must be a number or a Value, got bool"),
        # The number, as for a float target (was the Value's repr, "Value(data=2, grad=0)").
        ([Value(0.0), Value(2.0), Value(0.0)], ValueError, r"target probability 1 is 2\.0: probabilities"),
    ],
)
def test_bad_class_probabilities_are_refused_by_name(target: list, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        softmax_cross_entropy([Value(0.0), Value(1.0), Value(2.0)], target)


def test_a_recorded_class_probability_target_is_an_input_checked_on_every_run() -> None:
    import warnings

    from autograd.replay import BranchChanged, record

    w = [Value(0.5), Value(-0.3), Value(0.2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no TracerWarning: the target is never read as a float
        tape = record(lambda a, b, c: softmax_cross_entropy(w, [a, b, c]), example=[0.0, 1.0, 0.0], parameters=w)
    for target in ([1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.25, 0.25, 0.5]):
        loss, grads = tape.evaluate(target)
        # -sum_j p_j log softmax(w)_j and its gradient softmax(w)_j * sum(p) - p_j, by hand
        z = [v.data for v in w]
        log_norm = math.log(sum(math.exp(x) for x in z))
        assert loss == pytest.approx(-sum(p * (x - log_norm) for p, x in zip(target, z)), abs=1e-14)
        soft = [math.exp(x - log_norm) for x in z]
        assert grads == pytest.approx([s * sum(target) - p for s, p in zip(soft, target)], abs=1e-14)
    with pytest.raises(BranchChanged):
        tape.evaluate([0.0, 2.0, 0.0])  # outside [0, 1]: the recorded check fires
