"""Worked example 2: the slides' character RNN on "hello", with the tutorial's fixed matrices.

Vocabulary h, e, l, o (one-hot in that order), hidden size 3, zero biases,
h0 = 0, inputs "hell", targets "ello". The tutorial's notebook shows
h1 = tanh(Wxh x_h) = [0.5370, 0.1974, 0.7163] and y1 = Why h1 =
[0.8561, 0.4531, 0.5715, 0.4834].
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from autograd import Value, softmax, sum_of
from autograd.shown import short_repr
from nn import CharModel, RNNCell, Vocabulary, softmax_cross_entropy

from .training import Progress, TrainingRun, train_char_model

HELLO_VOCAB = "helo"
HELLO_INPUTS = "hell"
HELLO_TARGETS = "ello"
HELLO_WXH = [[0.6, 0.8, 0.4, 0.8], [0.2, 0.2, 0.8, 0.7], [0.9, 0.8, 0.1, 0.2]]
HELLO_WHH = [[0.1, 0.5, 0.1], [0.5, 0.9, 0.3], [0.3, 0.2, 0.1]]
HELLO_WHY = [[0.9, 0.8, 0.3], [0.2, 0.3, 0.4], [0.6, 0.9, 0.1], [0.5, 0.0, 0.3]]


@dataclass
class HelloRNNResult:
    """Every number of the worked example, as plain floats, plus the live graph."""

    hidden: list[list[float]]  # h_t for t = 1..4
    logits: list[list[float]]  # y_t = Why h_t + by
    probabilities: list[list[float]]  # softmax(y_t)
    loss: float  # sum_t -log p_t[target_t]
    step_losses: list[float]  # L_t = -y_t . log(p_t), y_t the target's one-hot vector
    dWxh: list[list[float]]
    dWhh: list[list[float]]
    dWhy: list[list[float]]
    dbh: list[float]
    dby: list[float]
    model: CharModel
    loss_node: Value
    step_nodes: list[list[Value]]  # per time step: its hidden state h_t and its loss term L_t (for clustering)

    def tables(self) -> str:
        """The example as text: h_t, p_t, the loss and the weight gradients, four decimals, indented."""
        steps, vocab, hid = [f"t={t}" for t in range(1, 5)], list(HELLO_VOCAB), ["h[0]", "h[1]", "h[2]"]
        return "\n".join([
            f"  inputs {HELLO_INPUTS!r} -> targets {HELLO_TARGETS!r}",
            "  hidden states h_t:\n" + number_table(self.hidden, steps, hid),
            "  softmax probabilities p_t:\n" + number_table(self.probabilities, steps, vocab),
            "  cross-entropy L_t = -y_t . log(y-hat_t) (y_t the target's one-hot): "
            + ", ".join(f"L{t} = {v:.4f}" for t, v in enumerate(self.step_losses, start=1)),
            f"  summed cross-entropy loss: {self.loss:.4f}",
            "  dWxh:\n" + number_table(self.dWxh, hid, vocab),
            "  dWhh:\n" + number_table(self.dWhh, hid, hid),
            "  dWhy:\n" + number_table(self.dWhy, vocab, hid),
        ])


def number_table(rows: list[list[float]], row_names: list[str], col_names: list[str], decimals: int = 4) -> str:
    """A plain-text matrix with headers, numbers to ``decimals`` (0 to 17: a float holds no more digits).

    ValueError when the names do not match the rows and columns (``zip`` would drop the extra silently) or
    for a number that is not finite; TypeError for an entry that is not a real number.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 17:
        raise ValueError(f"number_table: decimals must be a whole number in 0..17, got {short_repr(decimals)}")
    if len(row_names) != len(rows):
        raise ValueError(f"number_table: {len(row_names)} row names for {len(rows)} rows")
    for r, row in enumerate(rows):
        if len(row) != len(col_names):
            raise ValueError(f"number_table: row {r} has {len(row)} numbers for {len(col_names)} column names")
        for c, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                raise TypeError(f"number_table: row {r}, column {c} must be a real number, got {type(v).__name__}")
            if not math.isfinite(v):
                raise ValueError(f"number_table: row {r}, column {c} is {v!r}, not a finite number")
    width = max(decimals + 4, *(len(c) for c in col_names))
    head = " " * 8 + "".join(f"{c:>{width}}" for c in col_names)
    body = [f"{name:<8}" + "".join(f"{v:>{width}.{decimals}f}" for v in row) for name, row in zip(row_names, rows)]
    return "\n".join([head, *body])


def hello_step(step: object, who: str) -> int:
    """``step`` as a time step T of "hell" -> "ello" (1..4): any integer type (numpy's too), else a ValueError
    after ``who``. `bptt_general_rows` and `vanishing_factors` each had a copy that refused numpy.int64(3) and
    whose message failed for an int past str()'s 4,300 digits ("Exceeds the limit")."""
    if isinstance(step, bool) or not isinstance(step, numbers.Integral) or not 1 <= int(step) <= len(HELLO_INPUTS):
        raise ValueError(f"{who}: step T must be a whole number in 1..{len(HELLO_INPUTS)}, got {short_repr(step)}")
    return int(step)


def hello_model() -> CharModel:
    """The tutorial's RNN: hidden size 3, the fixed matrices above, zero biases."""
    model = CharModel(len(HELLO_VOCAB), 3, cell="rnn", seed=0)
    assert isinstance(model.cell, RNNCell)
    model.cell.set_weights(HELLO_WXH, HELLO_WHH, [0.0, 0.0, 0.0])
    model.head.set_weights(HELLO_WHY, [0.0] * len(HELLO_VOCAB))
    return model


def hello_rnn_example() -> HelloRNNResult:
    """Run "hell" -> "ello" forward and backward (BPTT) and collect every number."""
    vocab = Vocabulary(HELLO_VOCAB)
    model = hello_model()
    inputs, targets = vocab.encode(HELLO_INPUTS), vocab.encode(HELLO_TARGETS)
    all_logits, states = model.unroll(inputs)
    for t, (h, y) in enumerate(zip(states, all_logits), start=1):
        for k, v in enumerate(h):
            v.label = f"h{t}[{k}]"
        for j, v in enumerate(y):
            v.label = f"y{t}[{j}]"
    losses = [softmax_cross_entropy(z, target) for z, target in zip(all_logits, targets)]
    for t, term in enumerate(losses, start=1):
        term.label = f"L{t}"
    loss = sum_of(losses)
    loss.label = "L"
    loss.backward()
    cell, head = model.cell, model.head
    assert isinstance(cell, RNNCell)
    return HelloRNNResult(
        hidden=[[v.data for v in h] for h in states],
        logits=[[v.data for v in y] for y in all_logits],
        probabilities=[[p.data for p in softmax([v.data for v in y])] for y in all_logits],
        loss=loss.data,
        step_losses=[term.data for term in losses],
        dWxh=[[w.grad for w in row] for row in cell.Wxh],
        dWhh=[[w.grad for w in row] for row in cell.Whh],
        dWhy=[[w.grad for w in row] for row in head.W],
        dbh=[b.grad for b in cell.bh],
        dby=[b.grad for b in head.b],
        model=model,
        loss_node=loss,
        step_nodes=[[*h, term] for h, term in zip(states, losses)],
    )


def train_hello(
    hidden: int, steps: int, lr: float, seed: int = 0, progress: Progress | None = None, replay: bool = True
) -> tuple[TrainingRun, str]:
    """Train a fresh RNN on "hello" (chunks of 4 characters); return the run and its greedy 4 characters after "h"."""
    run = train_char_model("hello", cell="rnn", hidden=hidden, steps=steps, seq_len=4, lr=lr, seed=seed,
                           progress=progress, replay=replay)
    vocab, model = run.vocab, run.model
    assert vocab is not None and isinstance(model, CharModel)
    return run, vocab.decode(model.sample(vocab.index("h"), 4, temperature=0))
