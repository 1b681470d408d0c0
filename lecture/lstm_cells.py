"""What an LSTM trained on a text learns: its samples, and the units that best track quotes and line position.

As in char-rnn's pictures, every hidden unit h and cell unit tanh(c) is read
at each character; `viz.heatmap.rank_units` then finds the unit whose values
best correlate with a per-character signal (inside a quotation, position in
the line), so such cells are found in the trained model, not picked by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograd import no_grad
from nn import CharModel
from viz.heatmap import inside_quotes, position_in_line, rank_units

from .training import Progress, TrainingRun, train_char_model

SIGNALS = {"inside quotes": inside_quotes, "position in line": position_in_line}


@dataclass
class TrackingUnit:
    """The unit that best tracks one signal, and its value at every character."""

    signal: str
    name: str
    correlation: float
    values: list[float]


@dataclass
class LSTMStudy:
    """A trained LSTM, samples from it, and its best unit per signal (None: the text never changes that signal)."""

    run: TrainingRun
    samples: dict[float, str]  # temperature -> text generated from the text's first character
    units: dict[str, TrackingUnit | None] = field(default_factory=dict)

    def mean_loss(self, first: int = 0, last: int = 0) -> float:
        """Mean cross-entropy per character over the ``first`` or the ``last`` training steps."""
        losses = self.run.losses[:first] if first else self.run.losses[-last:]
        return sum(losses) / len(losses)

    @property
    def uniform_loss(self) -> float:
        """Cross-entropy per character of guessing uniformly over the text's characters: log(vocabulary size)."""
        assert self.run.vocab is not None
        return math.log(len(self.run.vocab))


def unit_activations(model: CharModel, indices: Sequence[int]) -> tuple[list[list[float]], list[str]]:
    """Per character, every hidden unit h and cell unit tanh(c) as floats; and the units' names."""
    rows = []
    with no_grad():
        state = model.initial_state()
        size = len(state[0])  # (h, c): h has one value per hidden unit
        for x in indices:
            _, state = model.step(x, state)
            h, c = state
            rows.append([v.data for v in h] + [math.tanh(v.data) for v in c])
    return rows, [f"hidden unit {k}" for k in range(size)] + [f"cell unit {k}" for k in range(size)]


def lstm_study(
    text: str,
    hidden: int,
    steps: int,
    lr: float,
    seed: int = 0,
    progress: Progress | None = None,
    temperatures: Sequence[float] = (0.5, 1.0),
    sample_length: int = 160,
) -> LSTMStudy:
    """Train an LSTM on ``text`` (Adam, chunks of 24), sample from it, and rank its units against each signal."""
    run = train_char_model(text, cell="lstm", hidden=hidden, steps=steps, seq_len=24, lr=lr, optimizer="adam",
                           seed=seed, progress=progress)
    vocab, model = run.vocab, run.model
    assert vocab is not None and isinstance(model, CharModel)
    samples = {t: text[0] + vocab.decode(model.sample(vocab.index(text[0]), sample_length, temperature=t, seed=seed))
               for t in temperatures}
    study = LSTMStudy(run, samples)
    rows, names = unit_activations(model, vocab.encode(text))
    for signal_name, make_signal in SIGNALS.items():
        signal = make_signal(text)
        if len(set(signal)) < 2:
            study.units[signal_name] = None
            continue
        unit, r = rank_units(rows, signal)[0]
        study.units[signal_name] = TrackingUnit(signal_name, names[unit], r, [row[unit] for row in rows])
    return study
