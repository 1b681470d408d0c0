"""torch's activation modules, ``ReLU()``, ``Tanh()``, ``Sigmoid()``, ``Softmax(dim)``, ``LogSoftmax(dim)``,
``Identity()``, for `Sequential` models.

Each calls its function in `nn.activation_functions` (as torch's modules call
F.relu) on a Value, or on every Value of a list (a layer's outputs), and has no
parameters: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` reads as it does in torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.functional import Operand

from .activation_functions import log_softmax, relu, sigmoid, softmax, tanh
from .module import Module


class ReLU(Module):
    """max(0, x) on a Value or on every Value of a list (torch's ``nn.ReLU``)."""

    def __init__(self, inplace: bool = False) -> None:
        """``inplace`` as torch's, kept and printed: a Value is never overwritten here, so it changes nothing."""
        if not isinstance(inplace, bool):
            raise TypeError(f"ReLU's inplace must be True or False, got {type(inplace).__name__}")
        self.inplace = inplace

    def extra_repr(self) -> str:
        """torch's: ``inplace=True`` when set, nothing otherwise."""
        return "inplace=True" if self.inplace else ""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """ReLU of ``x``, keeping its shape (a Value, or a list)."""
        return relu(x)


class Tanh(Module):
    """tanh on a Value or on every Value of a list (torch's ``nn.Tanh``)."""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """tanh of ``x``, keeping its shape (a Value, or a list)."""
        return tanh(x)


class Sigmoid(Module):
    """The logistic sigmoid on a Value or on every Value of a list (torch's ``nn.Sigmoid``)."""

    def forward(self, x: Operand | Sequence[Operand]) -> Any:
        """sigmoid of ``x``, keeping its shape (a Value, or a list)."""
        return sigmoid(x)


class Identity(Module):
    """Returns its input unchanged (torch's ``nn.Identity``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Any arguments are accepted and ignored, as torch's (so it can stand in for a layer's constructor)."""

    def forward(self, x: Any) -> Any:
        """``x`` itself."""
        return x


class _AlongDim(Module):
    """A module applying a function along ``dim`` (torch's ``dim`` argument and repr)."""

    def __init__(self, dim: int | None = None) -> None:
        """``dim`` as torch's (None: each row of a batch, the whole of a list)."""
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, int)):
            raise TypeError(f"{type(self).__name__}'s dim must be an int or None, got {type(dim).__name__}")
        self.dim = dim

    def extra_repr(self) -> str:
        """torch's: ``dim=-1``."""
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """softmax along ``dim`` of a list of logits or of N lists (torch's ``nn.Softmax``; see `nn.functional.softmax`)."""

    def forward(self, x: Any) -> Any:
        """softmax of ``x`` along this module's ``dim``."""
        return softmax(x, self.dim)


class LogSoftmax(_AlongDim):
    """log softmax along ``dim`` (torch's ``nn.LogSoftmax``; see `nn.functional.log_softmax`)."""

    def forward(self, x: Any) -> Any:
        """log softmax of ``x`` along this module's ``dim``."""
        return log_softmax(x, self.dim)
