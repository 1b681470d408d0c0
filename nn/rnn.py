"""`RNNCell`: h_t = tanh(Wxh x_t + Whh h_{t-1} + bh), the slides' vanilla recurrence."""

from __future__ import annotations

import numbers
import random
from collections.abc import Sequence

from autograd import Value, dot

from .checks import affordable, input_vector, one_hot_index, state_vector, whole_number
from .init import make_rng
from .linear import value_matrix
from .module import Module
from .projected_input import ProjectedInput
from .weights import matrix_assignments, set_checked, vector_assignments

#: A cell's input at one time step: a list of numbers, the index of a one-hot input, or its column of the
#: input weights given directly (`ProjectedInput`).
Input = int | ProjectedInput | Sequence[Value | float]

#: The other forms of `Input`, for error messages.
CELL_INPUT_FORMS = ", a one-hot index (an int) or a ProjectedInput"


class RNNCell(Module):
    """One step of a vanilla RNN with the slides' names Wxh, Whh, bh.

    Weights are stored as in the slides and min-char-rnn: ``Wxh`` has
    ``hidden_size`` rows of ``input_size``; ``Whh`` is square. An input is a
    list of numbers, or an int: the index of a one-hot input, which picks
    column x of Wxh without multiplying by zeros (`project`; that column may
    also be given directly as a `ProjectedInput`). Bias last and separate
    (``set_weights(Wxh, Whh, bh)``), as in `Linear` and PyTorch.
    """

    def __init__(self, input_size: int, hidden_size: int, seed: int | random.Random | None = None) -> None:
        """Make Wxh, Whh (seeded U(+-1/sqrt(hidden))) and bh = 0."""
        input_size = whole_number(input_size, "RNNCell's input_size")
        hidden_size = whole_number(hidden_size, "RNNCell's hidden_size")
        affordable((input_size + hidden_size + 1) * hidden_size, "RNNCell")
        rng = make_rng(seed, type(self).__name__)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.Wxh = value_matrix(rng, hidden_size, input_size, "Wxh", hidden_size)
        self.Whh = value_matrix(rng, hidden_size, hidden_size, "Whh", hidden_size)
        self.bh = [Value(0.0, label=f"bh[{k}]") for k in range(hidden_size)]

    def initial_state(self) -> list[Value]:
        """h0 = 0."""
        return [Value(0.0, label="h0") for _ in range(self.hidden_size)]

    def output(self, state: list[Value]) -> list[Value]:
        """The hidden vector h of a state (for an RNN the state is h itself)."""
        return state

    def project(self, x: int | numbers.Integral) -> ProjectedInput:
        """Wxh x for the one-hot input with index ``x``: column x of Wxh (the parameters themselves)."""
        x = one_hot_index(x, self.input_size)
        return ProjectedInput([row[x] for row in self.Wxh])

    def extra_repr(self) -> str:
        """torch's wording: the input and hidden sizes, ``(3, 8)``."""
        return f"{self.input_size}, {self.hidden_size}"

    def forward(self, x: Input, state: list[Value] | None = None) -> list[Value]:
        """h_t from input x_t and state h_{t-1} (None: zeros, as torch's ``hx=None``)."""
        h = self.initial_state() if state is None else state_vector(state, self.hidden_size, "RNNCell")
        if isinstance(x, numbers.Integral):  # an int, or numpy's: a one-hot index (a bool is refused by project)
            x = self.project(x)
        if isinstance(x, ProjectedInput):
            column = x.checked(self.hidden_size, "RNNCell")
            return [
                (dot([*self.Whh[k], self.bh[k]], [*h, 1.0]) + column[k]).tanh()
                for k in range(self.hidden_size)
            ]
        x = input_vector(x, self.input_size, "RNNCell", CELL_INPUT_FORMS)
        inputs = [*x, *h, 1.0]
        return [dot([*self.Wxh[k], *self.Whh[k], self.bh[k]], inputs).tanh() for k in range(self.hidden_size)]

    def set_weights(
        self, Wxh: Sequence[Sequence[float]], Whh: Sequence[Sequence[float]], bh: Sequence[float] | None = None
    ) -> None:
        """Set the weights from plain nested lists in the layout described above; nothing changes on error."""
        assignments = matrix_assignments(self.Wxh, Wxh, "Wxh") + matrix_assignments(self.Whh, Whh, "Whh")
        if bh is not None:
            assignments += vector_assignments(self.bh, bh, "bh")
        set_checked(assignments)

