"""`ProjectedInput`: a cell's input already multiplied by the input weights (W_x x_t), given directly.

A one-hot input x_t = e_j contributes W_x e_j, column j of the input weights,
to each pre-activation: the cells look it up (`RNNCell.project`,
`LSTMCell.project`) rather than multiply by zeros, as an embedding lookup
does. Handing a cell that column as a `ProjectedInput` instead of the index
lets other Values stand in for it: a replayed training loop records one graph
whose "column" leaves it refills from whichever character comes next, so one
tape serves every chunk of a given length (`lecture.training`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from autograd import Value

from .checks import describe
from .numbers_in_messages import checked_float


@dataclass(frozen=True)
class ProjectedInput:
    """The numbers W_x x_t one time step adds: one per hidden unit (per gate and unit for an LSTM)."""

    values: tuple[Value | float, ...]

    def __init__(self, values: Sequence[Value | float]) -> None:
        """Hold ``values`` (Values, so gradients reach them, or plain numbers) as a tuple."""
        if isinstance(values, (str, bytes, Value)) or not isinstance(values, Iterable):
            raise TypeError(f"ProjectedInput takes a sequence of Values or numbers, got {describe(values)}")
        values = tuple(values)
        numbers: list[Value | float] | None = None
        for k, v in enumerate(values):
            if v.__class__ is Value:  # the common case (a cell's own column): one test per entry
                continue
            if not isinstance(v, (Value, int, float)) or isinstance(v, bool):
                raise TypeError(f"ProjectedInput value {k} must be a Value or a number, got {type(v).__name__}")
            if not isinstance(v, Value):
                # A plain number is checked now, as a Value's data would be: a NaN used to be taken and refused
                # only later, by the cell's add ("operand of add must be finite"), a 401-digit int kept as it was.
                numbers = list(values) if numbers is None else numbers
                numbers[k] = checked_float(v, f"ProjectedInput value {k}")
        object.__setattr__(self, "values", values if numbers is None else tuple(numbers))

    def checked(self, size: int, cell: str) -> tuple[Value | float, ...]:
        """The values, after checking there are ``size`` of them (what ``cell`` expects)."""
        if len(self.values) != size:
            raise ValueError(f"{cell} expects a ProjectedInput of {size} values, got {len(self.values)}")
        return self.values
