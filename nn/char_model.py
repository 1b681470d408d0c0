"""`CharModel`: a character-level RNN or LSTM with its output projection.

It covers the slides' sequence shapes: many-to-many training (a loss at every
step, backpropagation through time over the whole sequence), many-to-one
(`final_logits`), and one-to-many generation (`sample`, with a temperature and
a seed).
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any

from autograd import Value, no_grad, sum_of
from autograd.functional import Operand

from .checks import describe, fits_in_memory, one_hot_index, whole_number
from .init import make_rng
from .linear import Linear
from .losses import softmax_cross_entropy
from .lstm import LSTMCell
from .module import Module
from .numbers_in_messages import short_repr
from .projected_input import ProjectedInput
from .rnn import Input, RNNCell

CELLS: dict[str, type[RNNCell] | type[LSTMCell]] = {"rnn": RNNCell, "lstm": LSTMCell}


class CharModel(Module):
    """x_t (one-hot index) -> cell -> y_t = Why h_t + by (logits over the vocabulary)."""

    def __init__(
        self, vocab_size: int, hidden_size: int, cell: str = "rnn", seed: int | random.Random | None = None
    ) -> None:
        """A ``cell`` ("rnn" or "lstm") of ``hidden_size`` units over ``vocab_size`` characters."""
        if cell not in CELLS:
            raise ValueError(f"unknown cell {short_repr(cell)}: choose one of {', '.join(CELLS)}")
        # Checked here: the cell's own check named "RNNCell's input_size" for CharModel(0, 8)
        whole_number(vocab_size, "CharModel's vocab_size")
        whole_number(hidden_size, "CharModel's hidden_size")
        rng = make_rng(seed, "CharModel")
        self.kind = cell
        self.cell: RNNCell | LSTMCell = CELLS[cell](vocab_size, hidden_size, rng)
        self.head = Linear(hidden_size, vocab_size, rng, weight="Why", bias="by")

    @property
    def vocab_size(self) -> int:
        """Number of characters in and out."""
        return self.cell.input_size

    def initial_state(self) -> Any:
        """The cell's zero state."""
        return self.cell.initial_state()

    def step(self, x: Input, state: Any) -> tuple[list[Value], Any]:
        """One time step: (logits y_t, new state)."""
        state = self.cell(x, state)
        return self.head(self.cell.output(state)), state

    def unroll(self, inputs: Sequence[Input], state: Any = None) -> tuple[list[list[Value]], list[Any]]:
        """Logits and states at every step of ``inputs`` (many-to-many).

        An input is a one-hot index, a list of numbers, or a `ProjectedInput` (what `project` gives).
        """
        inputs = self._checked_inputs(inputs)
        state = self.initial_state() if state is None else state
        all_logits, states = [], []
        for x in inputs:
            logits, state = self.step(x, state)
            all_logits.append(logits)
            states.append(state)
        return all_logits, states

    def forward(self, inputs: Sequence[Input], state: Any = None) -> tuple[list[list[Value]], list[Any]]:
        """Calling the model unrolls it: logits and states at every step (see `unroll`)."""
        return self.unroll(inputs, state)

    def sequence_loss(
        self, inputs: Sequence[Input], targets: Sequence[int | Sequence[Operand]], state: Any = None
    ) -> tuple[Value, Any]:
        """Summed softmax cross-entropy over the sequence, and the last state.

        ``loss.backward()`` is backpropagation through time over every step.
        A target is a class index or a probability per class (see
        `softmax_cross_entropy`).
        """
        inputs = self._checked_inputs(inputs)
        targets = _time_steps(targets, "targets", "class indices or lists of class probabilities")
        if len(inputs) != len(targets) or not inputs:
            raise ValueError(f"need equally long, non-empty inputs and targets, got {len(inputs)} and {len(targets)}")
        size = self.vocab_size
        for i, t in enumerate(targets):
            if t.__class__ is not list and t.__class__ is not tuple:
                one_hot_index(t, size, f"target {i}")  # lists of probabilities: checked by softmax_cross_entropy
        all_logits, states = self.unroll(inputs, state)
        loss = sum_of([softmax_cross_entropy(z, t) for z, t in zip(all_logits, targets)])
        return loss, states[-1]

    def _checked_inputs(self, inputs: Any) -> Sequence[Input]:
        """``inputs`` as a sequence of time steps, each a class index in range, a list or a `ProjectedInput`.

        Checked up front so a bad step is named by its position before any work is done.
        """
        inputs = _time_steps(inputs, "inputs", "class indices, lists of numbers or ProjectedInputs")
        size = self.vocab_size
        for i, x in enumerate(inputs):
            if x.__class__ is int and 0 <= x < size:
                continue
            if isinstance(x, ProjectedInput):
                continue
            if isinstance(x, (bool, numbers.Number, str, bytes)) or not isinstance(x, Iterable):
                if not isinstance(x, (bool, numbers.Number, str, bytes)):
                    raise TypeError(f"input {i} is {describe(x)}: expected a class index (an int in 0..{size - 1}), "
                                    f"a list of {size} numbers, or a ProjectedInput")
                one_hot_index(x, size, f"input {i}")
            elif isinstance(x, Sized) and len(x) != size:
                raise ValueError(f"input {i} is a list of {len(x)} numbers, expected {size} (one per character)")
        return inputs

    def project(self, x: int) -> ProjectedInput:
        """What the one-hot input ``x`` adds to the cell: its column of the input weights (see `ProjectedInput`)."""
        return self.cell.project(x)

    def final_logits(self, inputs: Sequence[Input]) -> list[Value]:
        """Logits after reading the whole sequence (many-to-one)."""
        all_logits, _ = self.unroll(inputs)
        return all_logits[-1]

    def sample(
        self,
        start: int,
        length: int,
        temperature: float = 1.0,
        seed: int | random.Random | None = None,
        state: Any = None,
    ) -> list[int]:
        """Generate ``length`` indices after ``start`` (one-to-many), each fed back in.

        ``temperature`` < 1 sharpens the distribution, > 1 flattens it;
        ``temperature=0`` picks the most likely character every time.
        """
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise ValueError(f"length must be a non-negative integer, got {short_repr(length)}")
        # 8 bytes an index in the returned list: a length past memory would run for days before failing
        fits_in_memory(length, 8, "CharModel.sample would make", "indices")
        temperature = _checked_temperature(temperature, "")
        start = one_hot_index(start, self.vocab_size, "sample's start")
        rng = make_rng(seed, "CharModel.sample")
        out: list[int] = []
        x = start
        with no_grad():
            state = self.initial_state() if state is None else state
            for _ in range(length):
                logits, state = self.step(x, state)
                x = sample_index([z.data for z in logits], temperature, rng)
                out.append(x)
        return out


def _time_steps(steps: Any, what: str, kinds: str) -> Sequence[Any]:
    """``steps`` as a sequence (a list, tuple or other sized sequence); TypeError saying what came otherwise."""
    if steps.__class__ is list or steps.__class__ is tuple:
        return steps
    if isinstance(steps, str):
        raise TypeError(f"{what} is the text {short_repr(steps)}: encode it with Vocabulary.encode first")
    if isinstance(steps, (bytes, Mapping, set, frozenset)) or not isinstance(steps, Iterable) or \
            getattr(steps, "ndim", 1) == 0:  # a 0-d array: iterable by type, "iteration over a 0-d array" at once
        raise TypeError(f"{what} must be a sequence of time steps ({kinds}), got {describe(steps)}")
    return steps if isinstance(steps, Sequence) else list(steps)


def _checked_temperature(temperature: object, who: str) -> float:
    """``temperature`` as a finite float >= 0 (any real number: numpy's too), else a ValueError after ``who``.

    `CharModel.sample` and `sample_index` each had a copy of this check: the one refused numpy's float32, the
    other let an int past float range through to a bare "int too large to convert to float".
    """
    wrong = ValueError(f"{who}temperature must be a finite number >= 0, got {short_repr(temperature)}")
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise wrong
    try:
        value = float(temperature)
    except OverflowError:  # an int past float range: a positive one is no finite float either
        raise wrong from None
    if not 0.0 <= value < math.inf:  # NaN fails too
        raise wrong
    return value


def sample_index(logits: Sequence[float], temperature: float, rng: random.Random) -> int:
    """Draw an index with probability softmax(logits / temperature); argmax at temperature 0.

    ValueError for no logits, a logit that is not finite, or a temperature that is negative or not finite
    (a negative one would silently favour the least likely index); TypeError if ``rng`` is no `random.Random`.
    """
    temperature = _checked_temperature(temperature, "sample_index: ")
    # A numpy array failed as "truth value of an array is ambiguous", an iterator as max()'s "empty sequence",
    # None as "needs at least one logit", 5 as "'int' object is not iterable"; a dict gave its keys.
    if (isinstance(logits, (str, bytes, Mapping, set, frozenset)) or not isinstance(logits, Iterable)
            or getattr(logits, "ndim", 1) != 1):
        raise TypeError(f"sample_index: logits must be a sequence of numbers, got {describe(logits)}")
    given = list(logits)
    if not given:
        raise ValueError("sample_index: needs at least one logit")
    logits = []
    for k, z in enumerate(given):  # True is no logit; 10**400 failed in float() as "int too large to convert"
        try:
            number = float(z) if isinstance(z, numbers.Real) and not isinstance(z, bool) else math.nan
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(f"sample_index: logit {k} is {short_repr(z)}, not a finite number")
        logits.append(number)
    if not isinstance(rng, random.Random):
        raise TypeError(f"sample_index: rng must be a random.Random, got {describe(rng)}")
    if temperature == 0:
        return max(range(len(logits)), key=logits.__getitem__)
    scaled = [z / temperature for z in logits]
    m = max(scaled)
    if not math.isfinite(m):  # a temperature so small that a logit over it overflows: shift by the largest first
        top = max(logits)
        scaled = [(z - top) / temperature for z in logits]
        m = 0.0
    weights = [math.exp(z - m) for z in scaled]
    return rng.choices(range(len(logits)), weights=weights)[0]
