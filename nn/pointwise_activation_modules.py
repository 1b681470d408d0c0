"""torch's modules for the activations of `nn.pointwise_activations`: ``LeakyReLU``, ``ELU``, ``SiLU``,
``Softplus``, ``GELU``, ``Hardtanh``, with torch's arguments, checks and reprs.

Each holds its options (checked when built, printed as torch prints them) and calls its function on a
Value or on every Value of a list; none has parameters.
"""

from __future__ import annotations

from typing import Any

from .module import Module
from .numbers_in_messages import checked_float
from .pointwise_activations import check_approximate, check_inplace, elu, gelu, hardtanh, leaky_relu, silu, softplus


def _inplace_repr(inplace: bool) -> str:
    return ", inplace=True" if inplace else ""


class LeakyReLU(Module):
    """x for x > 0, else ``negative_slope`` * x (torch's ``nn.LeakyReLU``)."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        """``negative_slope`` a finite number (torch's default 0.01); ``inplace`` kept and printed only."""
        checked_float(negative_slope, "LeakyReLU's negative_slope")
        check_inplace(inplace, "LeakyReLU")
        self.negative_slope = negative_slope
        self.inplace = inplace

    def extra_repr(self) -> str:
        """torch's: ``negative_slope=0.01`` (and ``inplace=True`` when set)."""
        return f"negative_slope={self.negative_slope}{_inplace_repr(self.inplace)}"

    def forward(self, x: Any) -> Any:
        """LeakyReLU of ``x``, keeping its shape."""
        return leaky_relu(x, self.negative_slope)


class ELU(Module):
    """x for x > 0, else ``alpha`` * (e^x - 1) (torch's ``nn.ELU``)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        """``alpha`` a finite number; ``inplace`` kept and printed only."""
        checked_float(alpha, "ELU's alpha")
        check_inplace(inplace, "ELU")
        self.alpha = alpha
        self.inplace = inplace

    def extra_repr(self) -> str:
        """torch's: ``alpha=1.0`` (and ``inplace=True`` when set)."""
        return f"alpha={self.alpha}{_inplace_repr(self.inplace)}"

    def forward(self, x: Any) -> Any:
        """ELU of ``x``, keeping its shape."""
        return elu(x, self.alpha)


class SiLU(Module):
    """x * sigmoid(x) (torch's ``nn.SiLU``)."""

    def __init__(self, inplace: bool = False) -> None:
        """``inplace`` kept and printed only."""
        check_inplace(inplace, "SiLU")
        self.inplace = inplace

    def extra_repr(self) -> str:
        """torch's: ``inplace=True`` when set, nothing otherwise."""
        return "inplace=True" if self.inplace else ""

    def forward(self, x: Any) -> Any:
        """SiLU of ``x``, keeping its shape."""
        return silu(x)


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, linear where beta x > threshold (torch's ``nn.Softplus``)."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        """``beta`` finite and non-zero, ``threshold`` finite."""
        if checked_float(beta, "Softplus's beta") == 0.0:
            raise ValueError("Softplus's beta must not be 0 (log(1 + e^0) / 0 is infinite)")
        checked_float(threshold, "Softplus's threshold")
        self.beta = beta
        self.threshold = threshold

    def extra_repr(self) -> str:
        """torch's: ``beta=1.0, threshold=20.0``."""
        return f"beta={self.beta}, threshold={self.threshold}"

    def forward(self, x: Any) -> Any:
        """Softplus of ``x``, keeping its shape."""
        return softplus(x, self.beta, self.threshold)


class GELU(Module):
    """x * Phi(x), exact (erf) or torch's tanh approximation (torch's ``nn.GELU``)."""

    def __init__(self, approximate: str = "none") -> None:
        """``approximate`` is ``'none'`` or ``'tanh'`` (checked here; torch checks on the first call)."""
        self.approximate = check_approximate(approximate)

    def extra_repr(self) -> str:
        """torch's: ``approximate='none'``."""
        return f"approximate={self.approximate!r}"

    def forward(self, x: Any) -> Any:
        """GELU of ``x``, keeping its shape."""
        return gelu(x, self.approximate)


class Hardtanh(Module):
    """x clamped to [min_val, max_val] (torch's ``nn.Hardtanh``)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        """``max_val`` must be greater than ``min_val`` (torch asserts it); ``inplace`` kept and printed only."""
        low = checked_float(min_val, "Hardtanh's min_val")
        high = checked_float(max_val, "Hardtanh's max_val")
        check_inplace(inplace, "Hardtanh")
        if not high > low:
            raise ValueError(f"max_val ({max_val}) must be greater than min_val ({min_val})")  # torch's words
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace

    def extra_repr(self) -> str:
        """torch's: ``min_val=-1.0, max_val=1.0`` (and ``inplace=True`` when set)."""
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace_repr(self.inplace)}"

    def forward(self, x: Any) -> Any:
        """Hardtanh of ``x``, keeping its shape."""
        return hardtanh(x, self.min_val, self.max_val)
