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
from viz.heatmap import inside_quotes, position_in_line, rank_units, text_heatmap_html, text_heatmap_page

from .training import Progress, TrainingRun, train_char_model

SIGNALS = {"inside quotes": inside_quotes, "position in line": position_in_line}
#: What each signal is, for the page: the number it gives each character.
SIGNAL_MEANING = {
    "inside quotes": "1 for characters inside a quotation (the opening quote included), 0 outside",
    "position in line": "the character's column: 0 after a newline, counting up along the line",
}
#: A unit "tracks" a signal only when the Pearson correlation of its values with the signal is at least this
#: large in size; below it the page says that no unit was found (and shows the best one as such).
TRACKS_THRESHOLD = 0.5


@dataclass
class TrackingUnit:
    """The unit that best tracks one signal, and its value at every character."""

    signal: str
    name: str
    correlation: float
    values: list[float]

    @property
    def tracks(self) -> bool:
        """True when |correlation| reaches `TRACKS_THRESHOLD`."""
        return abs(self.correlation) >= TRACKS_THRESHOLD

    def heading(self) -> str:
        """What was measured, and a claim of tracking only above the threshold."""
        r = f"correlation {self.correlation:+.2f} with '{self.signal}'"
        if self.tracks:
            return f"{self.name} tracks '{self.signal}': {r} (|r| >= {TRACKS_THRESHOLD})"
        return (f"No unit tracks '{self.signal}': the best, {self.name}, has {r}, below the |r| >= {TRACKS_THRESHOLD}"
                " this page asks for")

    def note(self) -> str:
        """How the number was measured and how to read the colours."""
        return (f"Measured: Pearson correlation, over every character of the text, between this unit's value"
                f" (h, or tanh(c) for a cell unit) and the signal '{self.signal}' = {SIGNAL_MEANING[self.signal]}."
                " Background: the unit's value, blue -1, white 0, red +1.")


@dataclass
class LSTMStudy:
    """A trained LSTM, samples from it, and its best unit per signal (None: the text never changes that signal)."""

    run: TrainingRun
    samples: dict[float, str]  # temperature -> text generated from the text's first character
    units: dict[str, TrackingUnit | None] = field(default_factory=dict)
    studied: str = ""  # the text the units were read over: its first `STUDIED_CHARS` characters

    def mean_loss(self, first: int = 0, last: int = 0) -> float:
        """Mean cross-entropy per character over the ``first`` or the ``last`` training steps."""
        losses = self.run.losses[:first] if first else self.run.losses[-last:]
        return sum(losses) / len(losses)

    @property
    def uniform_loss(self) -> float:
        """Cross-entropy per character of guessing uniformly over the text's characters: log(vocabulary size)."""
        assert self.run.vocab is not None
        return math.log(len(self.run.vocab))


#: The units are read over at most this many characters from the text's start: reading costs about 2 ms a
#: character at hidden 24 (a 20,000-character text took 40 s; one near the 5 MB limit would take hours).
STUDIED_CHARS = 5_000


def unit_activations(model: CharModel, indices: Sequence[int]) -> tuple[list[list[float]], list[str]]:
    """Per character, every hidden unit h and cell unit tanh(c) as floats; and the units' names."""
    rows = []
    with no_grad():
        state = model.initial_state()
        size = len(state[0])  # (h, c): h has one value per hidden unit
        for x in indices:
            state = model.cell(x, state)  # the cell alone: the logits are not needed here
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
    replay: bool = True,
) -> LSTMStudy:
    """Train an LSTM on ``text`` (Adam, chunks of 24), sample from it, and rank its units against each signal.

    ``replay`` (the default) trains by replaying one recorded chunk graph; ``replay=False`` rebuilds it every step.
    """
    run = train_char_model(text, cell="lstm", hidden=hidden, steps=steps, seq_len=24, lr=lr, optimizer="adam",
                           seed=seed, progress=progress, replay=replay)
    vocab, model = run.vocab, run.model
    assert vocab is not None and isinstance(model, CharModel)
    samples = {t: text[0] + vocab.decode(model.sample(vocab.index(text[0]), sample_length, temperature=t, seed=seed))
               for t in temperatures}
    studied = text[:STUDIED_CHARS]
    study = LSTMStudy(run, samples, studied=studied)
    rows, names = unit_activations(model, vocab.encode(studied))
    for signal_name, make_signal in SIGNALS.items():
        signal = make_signal(studied)
        if len(set(signal)) < 2:
            study.units[signal_name] = None
            continue
        unit, r = rank_units(rows, signal)[0]
        study.units[signal_name] = TrackingUnit(signal_name, names[unit], r, [row[unit] for row in rows])
    return study


def cells_page(study: LSTMStudy, text: str) -> str:
    """The cells page: per signal, its best unit's heat map under a heading that states what was measured."""
    studied = study.studied or text[:STUDIED_CHARS]
    where = "every character of the text" if len(studied) == len(text) else (
        f"each of the text's first {len(studied):,} characters (of {len(text):,})")
    intro = (f"For each signal, every hidden unit h and cell unit tanh(c) was read at {where} and"
             " correlated with the signal; the unit with the largest |correlation| is shown. A unit is said to"
             f" track the signal only when |correlation| >= {TRACKS_THRESHOLD}.")
    blocks = [text_heatmap_html(studied, u.values, u.heading(), u.note()) for u in study.units.values()
              if u is not None]
    return text_heatmap_page("What the LSTM's units track", blocks, intro)
