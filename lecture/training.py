"""Seeded, deterministic training loops for the slides' MLP and for character models."""

from __future__ import annotations

import math
import numbers
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import cast

from autograd import Value, no_grad, sum_of, topological_order
from autograd.replay import Tape, record
from nn import (
    MLP,
    SGD,
    Adagrad,
    Adam,
    CharModel,
    Optimizer,
    ProjectedInput,
    Vocabulary,
    clip_grad_value,
    half_sum_squared_error,
)
from nn.checks import whole_number
from nn.numbers_in_messages import short_repr

from .cli_args import MAX_EPOCHS
from .slides_mlp import SLIDES_X, SLIDES_Y, slides_network

Progress = Callable[[int, float], None]
TAPE_CACHE_SIZE = 32
"""How many tapes (one per chunk length) `train_char_model` keeps by default, least recently used dropped first."""
REPLAY_MAX_LINKS = 3_000_000
"""Largest chunk graph (counted in parent links) `train_char_model` records; a larger one trains eagerly.

A recorded tape runs at once by the level interpreter, whose index tables take about 25 bytes a link (75 MB
here), and compiles itself only below `autograd.replay.tape.AUTO_COMPILE_MAX_LINKS` (compiled code peaks at
a few KB a link). The demo's LSTM at hidden 48 (about 1,100,000 links): `demo.py lstm --hidden 48 --epochs 40`
took 9.9 s replayed against 19.0 s eagerly (2 cores, load 1-3)."""
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": SGD,
    # The lecture follows min-char-rnn: g / sqrt(G + 1e-8), not PyTorch's g / (sqrt(G) + 1e-10).
    "adagrad": partial(Adagrad, form=Adagrad.MIN_CHAR_RNN),
    "adam": Adam,
}


@dataclass
class TrainingRun:
    """What a training loop returns: the model, the loss each step computed (before its update) and, where the
    loop measures it, the loss at the final weights (after the last update)."""

    model: object
    losses: list[float] = field(default_factory=list)
    final_loss: float | None = None
    vocab: Vocabulary | None = None
    replayed: bool = False  # True when the steps were replayed from a recorded tape


def _check_positive(name: str, value: float) -> None:
    """A rate: a finite number > 0, else ValueError (TypeError for something that is not a number) naming it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):  # numpy's float32 is a rate too
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {short_repr(value)}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int past float range
        finite = False
    if not value > 0 or not finite:
        raise ValueError(f"{name} must be a positive number, got {short_repr(value)}")


def _check_count(name: str, value: int, most: int | None = None) -> None:
    """A count (steps, a length, a size): a whole number >= 1; 2.5 steps was run as 2 without a word.

    ``most`` bounds a number of training steps: each keeps its loss in the run, and 10**12 steps ran until the
    list of losses filled the memory (the tour's command line stops at the same `MAX_EPOCHS`).
    """
    whole_number(value, name)
    if most is not None and value > most:
        raise ValueError(f"{name} must be at most {most:,} (the tour's limit), got {short_repr(value)}")


def train_slides_mlp(
    epochs: int = 300, lr: float = 0.05, progress: Progress | None = None, replay: bool = True
) -> TrainingRun:
    """Fit the slides' 3-4-2 sigmoid MLP (layer widths 3-2-2) to all six data rows, full batch.

    Starts from the slides' weights; each epoch sums E over the rows, then takes
    one Adam step (plain SGD at the slides' alpha = 0.01 would need tens of
    thousands of epochs on these saturated sigmoids). With ``replay`` (the
    default) one row's graph is recorded once and replayed for every row and
    epoch (`autograd.replay`); ``replay=False`` rebuilds the graph eagerly.
    """
    _check_count("epochs", epochs, MAX_EPOCHS)
    _check_positive("lr", lr)
    model: MLP = slides_network()
    params = model.parameters()
    optimizer = Adam(params, lr=lr)
    run = TrainingRun(model)
    tape = None
    if replay:
        tape = record(lambda x1, x2, x3, y1, y2: half_sum_squared_error(model([x1, x2, x3]), [y1, y2]),
                      [*SLIDES_X[0], *SLIDES_Y[0]], params)
    rows = [[*x, *y] for x, y in zip(SLIDES_X, SLIDES_Y)]
    for epoch in range(int(epochs)):
        optimizer.zero_grad()
        if tape is not None:
            tape.check_parameters(model.parameters())  # a parameter replaced since recording is refused
            loss_value = tape.run_many(rows)
        else:
            loss = sum_of([half_sum_squared_error(model(x), y) for x, y in zip(SLIDES_X, SLIDES_Y)])
            loss.backward()
            loss_value = loss.data
        optimizer.step()
        run.losses.append(loss_value)
        if progress is not None:
            progress(epoch, loss_value)
    # The last step's loss is the one before its update; the training film's last frame shows the loss after
    # it, so the tour printed 0.001265 where the film said 0.001258 for the same training (new-user trial 24)
    run.final_loss = slides_mlp_loss(model)
    return run


def slides_mlp_loss(model: MLP) -> float:
    """E summed over the slides' six rows at the model's current weights (no graph is kept)."""
    with no_grad():
        return sum_of([half_sum_squared_error(model(x), y) for x, y in zip(SLIDES_X, SLIDES_Y)]).data


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
    replay: bool = True,
    tape_cache: int = TAPE_CACHE_SIZE,
) -> TrainingRun:
    """Train a character model on ``text`` by truncated BPTT over chunks of ``seq_len``.

    The hidden state is carried from chunk to chunk as data (detached), as in
    min-char-rnn; gradients are clipped to [-clip, clip]. The loss recorded
    is the mean cross-entropy per character of each chunk.

    With ``replay`` (the default) the graph of a chunk is recorded once per
    chunk length and replayed for every chunk of that length, its characters
    fed in as data (`ChunkTape`); ``replay=False`` rebuilds the graph eagerly
    every step (same losses, to rounding). At most ``tape_cache`` tapes
    (default `TAPE_CACHE_SIZE`) are kept, the least recently used dropped
    first; chunks here all have ``seq_len`` + 1 characters (the whole text if
    it is shorter), so one tape is recorded. A chunk graph of more than
    `REPLAY_MAX_LINKS` links is not recorded: the run then trains eagerly
    (``run.replayed`` says which way it went).
    """
    if not isinstance(text, str):
        raise TypeError(f"training text must be a str, got {type(text).__name__}")
    _check_count("steps", steps, MAX_EPOCHS)
    for name, count in (("seq_len", seq_len), ("hidden", hidden)):
        _check_count(name, count)
    _check_positive("lr", lr)
    if replay:
        _check_count("tape_cache", tape_cache)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
    if len(text) < 2:
        raise ValueError("training text needs at least two characters")
    vocab = Vocabulary.from_text(text)
    data = vocab.encode(text)
    model = CharModel(len(vocab), hidden, cell=cell, seed=seed)
    params = model.parameters()  # fixed for the run (the optimizer holds them too): not re-collected every step
    opt: Optimizer = OPTIMIZERS[optimizer](params, lr=lr)
    run = TrainingRun(model, vocab=vocab)
    position, state = 0, None
    tapes = TapeCache(int(tape_cache))
    run.replayed = replay
    for step in range(int(steps)):
        if position + seq_len + 1 > len(data):
            position, state = 0, None
        chunk = data[position : position + seq_len + 1]
        opt.zero_grad()
        if run.replayed:
            try:
                loss_value, state = _replayed_chunk(model, tapes, chunk, state)
            except GraphTooLarge:
                run.replayed = False  # this run trains eagerly from here on
        if not run.replayed:
            loss, state = model.sequence_loss(chunk[:-1], chunk[1:], state)
            loss.backward()
            loss_value = loss.data
            state = _detached(state)
        clip_grad_value(params, clip)
        opt.step()
        position += seq_len
        per_char = loss_value / (len(chunk) - 1)
        run.losses.append(per_char)
        if progress is not None:
            progress(step, per_char)
    return run


class TapeCache:
    """At most ``max_size`` tapes by chunk length, least recently used dropped first."""

    def __init__(self, max_size: int) -> None:
        """An empty cache holding at most ``max_size`` (>= 1) tapes."""
        if max_size < 1:
            raise ValueError(f"tape_cache must be at least 1, got {max_size}")
        self.max_size = max_size
        self._tapes: OrderedDict[int, ChunkTape] = OrderedDict()

    def get(self, key: int) -> ChunkTape | None:
        """The tape for ``key`` (now the most recently used), or None."""
        tape = self._tapes.get(key)
        if tape is not None:
            self._tapes.move_to_end(key)
        return tape

    def __setitem__(self, key: int, tape: ChunkTape) -> None:
        """Keep ``tape``; drop the least recently used one if the cache is over its size."""
        self._tapes[key] = tape
        self._tapes.move_to_end(key)
        while len(self._tapes) > self.max_size:
            self._tapes.popitem(last=False)

    def __len__(self) -> int:
        """How many tapes are kept."""
        return len(self._tapes)


class GraphTooLarge(Exception):
    """A chunk's graph has more links than `REPLAY_MAX_LINKS`: train it eagerly instead."""


class ChunkTape:
    """One recorded graph for every chunk of one length: the characters are refilled, not baked in.

    A chunk's characters enter its graph in two places: each input character
    adds its column of the cell's input weights (`CharModel.project`), and
    each target picks one logit for the loss. The graph is recorded with
    stand-ins for both: per time step a `ProjectedInput` of leaves (tape
    parameters, refilled from the column of the character at hand before
    every run, their gradients added to that column afterwards) and a
    one-hot target vector (tape inputs, with the same loss as the index:
    `softmax_cross_entropy`). So one tape serves every chunk of its length.
    """

    def __init__(self, model: CharModel, length: int) -> None:
        """Record ``model``'s loss over ``length`` characters (``length`` inputs, ``length`` targets)."""
        width = len(model.project(0).values)
        self.leaves = [[Value(0.0, label=f"x{t} column {j}") for j in range(width)] for t in range(length)]
        self.columns = [ProjectedInput(row) for row in self.leaves]
        self.vocab_size = model.vocab_size
        self.parameters = model.parameters()
        self._columns: dict[int, tuple[Value, ...]] = {}
        start = model.initial_state()
        self.state_size = len(_flat(start))
        targets = [[Value(0.0, label=f"target {t} is {j}") for j in range(self.vocab_size)] for t in range(length)]
        loss, final = model.sequence_loss(self.columns, targets, start)
        links = sum(len(v.parents) for v in topological_order(loss))
        if links > REPLAY_MAX_LINKS:
            raise GraphTooLarge(f"a chunk graph of {links:,} links is over REPLAY_MAX_LINKS = {REPLAY_MAX_LINKS:,}")
        leaves = [v for row in self.leaves for v in row]
        self.tape = Tape(loss, [*_flat(start), *(v for row in targets for v in row)], [*self.parameters, *leaves],
                         outputs=_flat(final))

    def run(self, model: CharModel, chunk: list[int], state: object) -> tuple[float, object]:
        """Loss over ``chunk`` from ``state`` (None: zeros); gradients added to ``.grad``; the final state."""
        columns = [self._column(model, x) for x in chunk[:-1]]
        for stand_in, column in zip(self.leaves, columns):
            for leaf, weight in zip(stand_in, column):
                leaf.data = weight.data
        inputs = [0.0] * self.state_size if state is None else [v.data for v in _flat(state)]
        for target in chunk[1:]:
            one_hot = [0.0] * self.vocab_size
            one_hot[target] = 1.0
            inputs += one_hot
        loss, grads = self.tape.evaluate(inputs)
        n = len(self.parameters)
        for p, g in zip(self.parameters, grads[:n]):
            p.grad += g
        rest = iter(grads[n:])
        for column in columns:
            for weight, g in zip(column, rest):
                weight.grad += g
        return loss, _unflat(model.initial_state(), self.tape.last_outputs)

    def _column(self, model: CharModel, x: int) -> tuple[Value, ...]:
        """Character ``x``'s column of the input weights (looked up once: the parameters are the recorded ones)."""
        column = self._columns.get(x)
        if column is None:
            # A cell's own columns are its parameter Values (ProjectedInput allows numbers for other uses).
            column = self._columns[x] = cast(tuple[Value, ...], model.project(x).values)
        return column


def _replayed_chunk(
    model: CharModel, tapes: TapeCache, chunk: list[int], state: object
) -> tuple[float, object]:
    """One chunk's loss by replay (recording its length's tape the first time); gradients go to ``.grad``."""
    tape = tapes.get(len(chunk))
    if tape is None:
        tape = tapes[len(chunk)] = ChunkTape(model, len(chunk) - 1)
    return tape.run(model, chunk, state)


def _flat(state: object) -> list[Value]:
    if isinstance(state, tuple):
        return [v for part in state for v in part]
    return list(state)  # type: ignore[call-overload]


def _unflat(template: object, values: list[float]) -> object:
    """``values`` as a state shaped like ``template`` (leaves holding the data)."""
    it = iter(values)
    if isinstance(template, tuple):
        return tuple([Value(next(it)) for _ in part] for part in template)
    return [Value(next(it)) for _ in template]  # type: ignore[attr-defined]


def _detached(state: object) -> object:
    """The same state as fresh leaves, so the next chunk's graph stops here."""
    if isinstance(state, tuple):
        return tuple(_detached(part) for part in state)
    return [v.detach() for v in state]  # type: ignore[attr-defined]
