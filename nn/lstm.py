"""`LSTMCell`: input, forget, cell and output gates over [x_t, h_{t-1}].

    i = sigmoid(W_i [x, h] + b_i)     f = sigmoid(W_f [x, h] + b_f)
    g = tanh(W_g [x, h] + b_g)        o = sigmoid(W_o [x, h] + b_o)
    c_t = f * c_{t-1} + i * g         h_t = o * tanh(c_t)
"""

from __future__ import annotations

import numbers
import random
from collections.abc import Mapping, Sequence

from autograd import Value, dot

from .checks import affordable, describe, input_vector, one_hot_index, state_vector, whole_number
from .init import make_rng
from .linear import value_matrix
from .module import Module
from .numbers_in_messages import short_repr
from .projected_input import ProjectedInput
from .rnn import CELL_INPUT_FORMS, Input
from .weights import matrix_assignments, set_checked, vector_assignments

GATES = ("i", "f", "g", "o")
State = tuple[list[Value], list[Value]]


class LSTMCell(Module):
    """One LSTM step. State is ``(h, c)``.

    Weight layout for `set_weights`: for each gate G in i, f, g, o, ``W_G`` has
    ``hidden_size`` rows of ``input_size + hidden_size`` numbers (the input
    part first, then the recurrent part) and ``b_G`` has ``hidden_size`` (bias
    separate and last, as in `Linear` and PyTorch). The
    forget bias starts at 1, a common choice that lets memory flow early in
    training.
    """

    def __init__(self, input_size: int, hidden_size: int, seed: int | random.Random | None = None) -> None:
        """Make the four gates' weights (seeded) and biases."""
        input_size = whole_number(input_size, "LSTMCell's input_size")
        hidden_size = whole_number(hidden_size, "LSTMCell's hidden_size")
        affordable(4 * (input_size + hidden_size + 1) * hidden_size, "LSTMCell")
        rng = make_rng(seed, type(self).__name__)
        self.input_size = input_size
        self.hidden_size = hidden_size
        width = input_size + hidden_size
        for gate in GATES:
            setattr(self, f"W_{gate}", value_matrix(rng, hidden_size, width, f"W_{gate}", width))
            start = 1.0 if gate == "f" else 0.0
            setattr(self, f"b_{gate}", [Value(start, label=f"b_{gate}[{k}]") for k in range(hidden_size)])

    def initial_state(self) -> State:
        """h0 = c0 = 0."""
        zeros = [Value(0.0, label="h0") for _ in range(self.hidden_size)]
        return zeros, [Value(0.0, label="c0") for _ in range(self.hidden_size)]

    def output(self, state: State) -> list[Value]:
        """The hidden vector h of a state."""
        return state[0]

    def project(self, x: int | numbers.Integral) -> ProjectedInput:
        """W_G x for the one-hot input with index ``x``: column x of each gate's input part, gates i f g o in turn."""
        x = one_hot_index(x, self.input_size)
        return ProjectedInput([row[x] for gate in GATES for row in getattr(self, f"W_{gate}")])

    def _gate(self, gate: str, k: int, x: ProjectedInput | Sequence[Value | float], h: list[Value]) -> Value:
        W = getattr(self, f"W_{gate}")[k]
        b = getattr(self, f"b_{gate}")[k]
        if isinstance(x, ProjectedInput):
            # One-hot input: its column of the input part (no multiplications by zero), added as given.
            return dot([*W[self.input_size :], b], [*h, 1.0]) + x.values[GATES.index(gate) * self.hidden_size + k]
        return dot([*W, b], [*x, *h, 1.0])

    def extra_repr(self) -> str:
        """torch's wording: the input and hidden sizes, ``(3, 8)``."""
        return f"{self.input_size}, {self.hidden_size}"

    def _state_pair(self, state: object) -> State:
        """``state`` as the pair (h, c), each of ``hidden_size`` entries; an error naming what is wrong."""
        if isinstance(state, (str, bytes)) or not isinstance(state, (list, tuple)) or len(state) != 2:
            raise TypeError(f"LSTMCell's state must be a pair (h, c) of sequences of {self.hidden_size} numbers "
                            f"or Values, got {describe(state)}")
        h = state_vector(state[0], self.hidden_size, "LSTMCell", "h")
        c = state_vector(state[1], self.hidden_size, "LSTMCell", "c")
        return (h if h.__class__ is list else list(h)), (c if c.__class__ is list else list(c))

    def forward(self, x: Input, state: State | None = None) -> State:
        """(h_t, c_t) from input x_t (numbers, a one-hot index or a `ProjectedInput`) and (h_{t-1}, c_{t-1})
        (None: zeros, as torch's ``hx=None``)."""
        h, c = self.initial_state() if state is None else self._state_pair(state)
        if isinstance(x, numbers.Integral):  # an int, or numpy's: a one-hot index (a bool is refused by project)
            x = self.project(x)
        if isinstance(x, ProjectedInput):
            x.checked(4 * self.hidden_size, "LSTMCell")
        else:
            x = input_vector(x, self.input_size, "LSTMCell", CELL_INPUT_FORMS)
        new_h, new_c = [], []
        for k in range(self.hidden_size):
            i = self._gate("i", k, x, h).sigmoid()
            f = self._gate("f", k, x, h).sigmoid()
            g = self._gate("g", k, x, h).tanh()
            o = self._gate("o", k, x, h).sigmoid()
            c_k = f * c[k] + i * g
            new_c.append(c_k)
            new_h.append(o * c_k.tanh())
        return new_h, new_c

    def set_weights(self, weights: dict[str, Sequence]) -> None:
        """Set gates from ``{"W_i": [[...]], "b_i": [...], ...}``; any subset of the eight names."""
        known = {f"{kind}_{g}" for g in GATES for kind in ("W", "b")}
        if not isinstance(weights, Mapping):
            raise TypeError(f"LSTMCell.set_weights takes a dict of gate weights ({', '.join(sorted(known))}), "
                            f"got {describe(weights)}")
        unknown = sorted(set(weights) - known)
        if unknown:
            raise ValueError(f"unknown LSTM weight {short_repr(unknown[0])}: expected names among {sorted(known)}")
        assignments = []
        for name, values in weights.items():
            pair = matrix_assignments if name.startswith("W") else vector_assignments
            assignments += pair(getattr(self, name), values, name)
        set_checked(assignments)
