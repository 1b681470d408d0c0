"""Training that works: seeded, deterministic, and the models learn what they should."""

from __future__ import annotations

import inspect
import math

import pytest

from autograd import Value
from lecture.training import OPTIMIZERS, train_char_model, train_slides_mlp
from lecture.vanishing import gradient_reach


def test_mlp_fits_the_slides_rows_by_orders_of_magnitude() -> None:
    run = train_slides_mlp(epochs=300)
    assert run.losses[0] > 3.0
    assert run.losses[-1] < run.losses[0] / 1000
    assert train_slides_mlp(epochs=300).losses == run.losses  # deterministic


def test_rnn_learns_hello() -> None:
    run = train_char_model("hello", cell="rnn", hidden=8, steps=100, seq_len=4, lr=0.05, seed=0)
    vocab = run.vocab
    assert run.losses[-1] < 0.01
    generated = vocab.decode(run.model.sample(vocab.index("h"), 4, temperature=0))
    assert generated == "ello"


def test_lstm_learns_a_short_text() -> None:
    text = "the cat sat on the mat. " * 4
    run = train_char_model(text, cell="lstm", hidden=16, steps=120, seq_len=12, lr=0.03, seed=0)
    vocab = run.vocab
    assert sum(run.losses[-10:]) / 10 < sum(run.losses[:10]) / 10 / 4
    sample = vocab.decode(run.model.sample(vocab.index("t"), 40, temperature=0))
    # Greedy samples reproduce the text's words.
    assert "the" in sample and "at" in sample, sample


def test_vanishing_gradients_rnn_decays_faster_than_lstm() -> None:
    reach = gradient_reach(length=30, hidden=8, seed=0)
    rnn, lstm = reach.norms["rnn"], reach.norms["lstm"]
    assert len(rnn) == len(lstm) == 30
    # Ratio of gradient at the first step to the last: far smaller for the RNN.
    assert rnn[0] / rnn[-1] < lstm[0] / lstm[-1] / 100


def test_replayed_training_matches_eager_training() -> None:
    eager = train_slides_mlp(epochs=200, replay=False).losses
    replayed = train_slides_mlp(epochs=200, replay=True).losses
    assert replayed == pytest.approx(eager, rel=1e-9)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_replayed_char_training_carries_state_like_eager(cell: str) -> None:
    text = "the cat sat on the mat. " * 2
    kwargs = dict(cell=cell, hidden=6, steps=12, seq_len=8, lr=0.03, seed=1)
    eager = train_char_model(text, replay=False, **kwargs)
    replayed = train_char_model(text, replay=True, **kwargs)
    assert replayed.losses == pytest.approx(eager.losses, rel=1e-9)
    assert replayed.model.state_dict() == pytest.approx(eager.model.state_dict(), rel=1e-9)


def test_replayed_mlp_training_checks_the_models_current_parameters(monkeypatch) -> None:
    # The tape must be checked against model.parameters() every epoch, not against the list it was
    # recorded from: a parameter replaced during training would otherwise be silently not trained.
    from autograd import Value
    from autograd.replay import StructureChanged
    from lecture import training

    model = training.slides_network()
    monkeypatch.setattr(training, "slides_network", lambda: model)

    def replace_a_bias(epoch: int, loss: float) -> None:
        if epoch == 2:
            model.layers[0].neurons[0].b = Value(0.5)

    with pytest.raises(StructureChanged, match="is not the one recorded"):
        training.train_slides_mlp(epochs=5, progress=replace_a_bias)


def test_the_lectures_adagrad_is_min_char_rnns_formula() -> None:
    # min-char-rnn: w += -lr * g / sqrt(mem + 1e-8); PyTorch's default form would step ~100x further here.
    w = Value(0.0)
    optimizer = OPTIMIZERS["adagrad"]([w], lr=0.1)
    w.grad = 1e-6
    optimizer.step()
    assert w.data == -0.1 * 1e-6 / math.sqrt(1e-6 * 1e-6 + 1e-8)


def test_tape_cache_drops_the_least_recently_used_tape() -> None:
    from lecture.training import TapeCache

    cache = TapeCache(2)
    a, b, c = object(), object(), object()
    cache[1] = a  # type: ignore[assignment]
    cache[2] = b  # type: ignore[assignment]
    assert cache.get(1) is a  # 1 is now the most recently used
    cache[3] = c  # type: ignore[assignment]
    assert len(cache) == 2
    assert cache.get(2) is None and cache.get(1) is a and cache.get(3) is c
    with pytest.raises(ValueError, match="tape_cache"):
        TapeCache(0)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_replayed_char_training_records_one_tape_per_chunk_length(monkeypatch, cell: str) -> None:
    """Many distinct chunks, one length: one tape, fed each chunk's characters (issue 12 goal 4)."""
    from lecture import training

    recorded: list[int] = []

    class Watched(training.TapeCache):
        def __setitem__(self, key, tape) -> None:
            super().__setitem__(key, tape)
            recorded.append(key)

    monkeypatch.setattr(training, "TapeCache", Watched)
    text = "abcdefghij klmnopqrst uvwxyz. " * 2  # 20 distinct chunks of 3 characters, each seen about twice
    kwargs = dict(cell=cell, hidden=4, steps=20, seq_len=3, lr=0.03, seed=2)
    replayed = train_char_model(text, replay=True, tape_cache=3, **kwargs)
    eager = train_char_model(text, replay=False, **kwargs)
    assert recorded == [4]  # one tape, for chunks of 3 inputs + 1 target
    assert replayed.losses == pytest.approx(eager.losses, rel=1e-9)
    assert replayed.model.state_dict() == pytest.approx(eager.model.state_dict(), rel=1e-9)
    assert training.TAPE_CACHE_SIZE == 32  # the documented default


def test_replay_is_the_default_for_char_training() -> None:
    from lecture import training

    assert inspect.signature(training.train_char_model).parameters["replay"].default is True


def test_a_chunk_graph_over_the_link_budget_trains_eagerly(monkeypatch) -> None:
    from lecture import training

    text = "the cat sat on the mat. " * 2
    kwargs = dict(cell="lstm", hidden=3, steps=6, seq_len=5, lr=0.03, seed=4)
    replayed = train_char_model(text, **kwargs)
    assert replayed.replayed
    monkeypatch.setattr(training, "REPLAY_MAX_LINKS", 10)  # far below this chunk's graph
    fallen_back = train_char_model(text, **kwargs)
    eager = train_char_model(text, replay=False, **kwargs)
    assert not fallen_back.replayed and not eager.replayed
    assert fallen_back.losses == eager.losses  # the same eager steps, bit for bit
    assert replayed.losses == pytest.approx(eager.losses, rel=1e-9)
