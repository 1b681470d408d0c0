"""Seeded, deterministic training loops for the slides' MLP and for character models."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from autograd import Value, sum_of

from .char_model import CharModel
from .losses import half_sum_squared_error
from .mlp import MLP
from .optim import SGD, Adagrad, Adam, Optimizer, clip_grad_value
from .slides_mlp import SLIDES_X, SLIDES_Y, slides_network
from .text import Vocabulary

Progress = Callable[[int, float], None]
OPTIMIZERS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam}


@dataclass
class TrainingRun:
    """What a training loop returns: the model and its loss after every step."""

    model: object
    losses: list[float] = field(default_factory=list)
    vocab: Vocabulary | None = None


def _check_positive(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def train_slides_mlp(epochs: int = 300, lr: float = 0.05, progress: Progress | None = None) -> TrainingRun:
    """Fit the slides' 3-2-2 sigmoid MLP to all six data rows, full batch.

    Starts from the slides' weights; each epoch sums E over the rows, then takes
    one Adam step (plain SGD at the slides' alpha = 0.01 would need tens of
    thousands of epochs on these saturated sigmoids).
    """
    _check_positive("epochs", epochs)
    _check_positive("lr", lr)
    model: MLP = slides_network()
    optimizer = Adam(model.parameters(), lr=lr)
    run = TrainingRun(model)
    for epoch in range(int(epochs)):
        loss = sum_of([half_sum_squared_error(model(x), y) for x, y in zip(SLIDES_X, SLIDES_Y)])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        run.losses.append(loss.data)
        if progress is not None:
            progress(epoch, loss.data)
    return run


def train_char_model(
    text: str,
    cell: str = "lstm",
    hidden: int = 16,
    steps: int = 200,
    seq_len: int = 16,
    lr: float = 0.05,
    optimizer: str = "adam",
    clip: float = 5.0,
    seed: int = 0,
    progress: Progress | None = None,
) -> TrainingRun:
    """Train a character model on ``text`` by truncated BPTT over chunks of ``seq_len``.

    The hidden state is carried from chunk to chunk as data (detached), as in
    min-char-rnn; gradients are clipped to [-clip, clip]. The loss recorded
    is the mean cross-entropy per character of each chunk.
    """
    for name, value in (("steps", steps), ("seq_len", seq_len), ("hidden", hidden), ("lr", lr)):
        _check_positive(name, value)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
    if len(text) < 2:
        raise ValueError("training text needs at least two characters")
    vocab = Vocabulary.from_text(text)
    data = vocab.encode(text)
    model = CharModel(len(vocab), hidden, cell=cell, seed=seed)
    opt: Optimizer = OPTIMIZERS[optimizer](model.parameters(), lr=lr)
    run = TrainingRun(model, vocab=vocab)
    position, state = 0, None
    for step in range(int(steps)):
        if position + seq_len + 1 > len(data):
            position, state = 0, None
        chunk = data[position : position + seq_len + 1]
        loss, state = model.sequence_loss(chunk[:-1], chunk[1:], state)
        opt.zero_grad()
        loss.backward()
        clip_grad_value(model.parameters(), clip)
        opt.step()
        state = _detached(state)
        position += seq_len
        per_char = loss.data / (len(chunk) - 1)
        run.losses.append(per_char)
        if progress is not None:
            progress(step, per_char)
    return run


def _detached(state: object) -> object:
    """The same state as fresh leaves, so the next chunk's graph stops here."""
    if isinstance(state, tuple):
        return tuple(_detached(part) for part in state)
    return [v.detach() for v in state]  # type: ignore[attr-defined]


def mean_loss(values: list[Value]) -> float:
    """Mean of Values' data (for reporting)."""
    return sum(v.data for v in values) / len(values)
