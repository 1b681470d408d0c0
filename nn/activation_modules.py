"""torch's activation modules, ``ReLU()``, ``Tanh()``, ``Sigmoid()``, ``Identity()``, for `Sequential` models.

Each applies its function to a Value, or to every Value of a list (a layer's
outputs), and has no parameters: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))``
reads as it does in torch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd import Value
from autograd.functional import Operand

from .module import Module


def _elementwise(fn: Callable[[Value], Value], x: Any, who: str) -> Any:
    """``fn`` of a Value (or number), or of each entry of a list or tuple; TypeError naming ``who`` otherwise."""
    if isinstance(x, Value):
        return fn(x)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return fn(Value(x))
    if isinstance(x, (list, tuple)):
        return [_elementwise(fn, v, who) for v in x]
    raise TypeError(f"{who} expects a Value, a number or a list of them, got {type(x).__name__}")


class ReLU(Module):
    """max(0, x) on a Value or on every Value of a list (torch's ``nn.ReLU``)."""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """ReLU of ``x``, keeping its shape (a Value, or a list)."""
        return _elementwise(Value.relu, x, "ReLU")


class Tanh(Module):
    """tanh on a Value or on every Value of a list (torch's ``nn.Tanh``)."""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """tanh of ``x``, keeping its shape (a Value, or a list)."""
        return _elementwise(Value.tanh, x, "Tanh")


class Sigmoid(Module):
    """The logistic sigmoid on a Value or on every Value of a list (torch's ``nn.Sigmoid``)."""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """sigmoid of ``x``, keeping its shape (a Value, or a list)."""
        return _elementwise(Value.sigmoid, x, "Sigmoid")


class Identity(Module):
    """Returns its input unchanged (torch's ``nn.Identity``)."""

    def forward(self, x: Any) -> Any:
        """``x`` itself."""
        return x
