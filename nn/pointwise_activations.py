"""torch.nn.functional's other pointwise activations: leaky_relu, elu, silu, softplus, gelu, hardtanh.

Each applies one op of the table (`autograd.activation_ops`, torch's kernel formulas) to a Value, a
number, or every entry of a (nested) list, keeping its shape; the options are checked first and named
when bad. ``inplace`` is accepted for torch's code and changes nothing (a Value is never overwritten).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import apply
from autograd.activation_ops import ELU, GELU, GELU_TANH, HARDTANH, LEAKY_RELU, SILU, SOFTPLUS
from autograd.functional import Operand

from .activation_functions import _elementwise, check_inplace
from .numbers_in_messages import checked_float, short_repr

Input = Operand | Sequence[Any]


def leaky_relu(x: Input, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    """x where x > 0, else ``negative_slope`` * x; its gradient is ``negative_slope`` at 0, as torch's."""
    check_inplace(inplace, "leaky_relu")
    slope = checked_float(negative_slope, "leaky_relu's negative_slope")
    return _elementwise(lambda v: apply(LEAKY_RELU, v, slope), x, "leaky_relu")


def elu(x: Input, alpha: float = 1.0, inplace: bool = False) -> Any:
    """x where x > 0, else ``alpha`` * (e^x - 1) (expm1, as torch's); gradient ``alpha`` at 0, as torch's."""
    check_inplace(inplace, "elu")
    a = checked_float(alpha, "elu's alpha")
    return _elementwise(lambda v: apply(ELU, v, a), x, "elu")


def silu(x: Input, inplace: bool = False) -> Any:
    """x * sigmoid(x), computed as torch's x / (1 + e^-x) (also called swish)."""
    check_inplace(inplace, "silu")
    return _elementwise(lambda v: apply(SILU, v), x, "silu")


def softplus(x: Input, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """log(1 + e^(beta x)) / beta, and x itself where beta * x > ``threshold`` (torch's linear region).

    ``beta`` must be non-zero (torch divides by it and gives inf); both must be finite numbers.
    """
    b = checked_float(beta, "softplus's beta")
    t = checked_float(threshold, "softplus's threshold")
    if b == 0.0:
        raise ValueError("softplus's beta must not be 0 (log(1 + e^0) / 0 is infinite)")
    return _elementwise(lambda v: apply(SOFTPLUS, v, b, t), x, "softplus")


def check_approximate(approximate: Any) -> str:
    """``approximate`` when it is ``'none'`` or ``'tanh'``; torch's TypeError for a non-string (``None``, ``1``,
    ``True``), its words (a ValueError here, a RuntimeError in torch) for another string."""
    if not isinstance(approximate, str):
        raise TypeError(f"gelu(): argument 'approximate' must be str, not {type(approximate).__name__}")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate argument must be either none or tanh, got {short_repr(approximate)}")
    return approximate


def gelu(x: Input, approximate: str = "none") -> Any:
    """x * Phi(x) with Phi the standard normal CDF: ``approximate='none'`` uses erf, ``'tanh'`` torch's
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    if check_approximate(approximate) == "none":
        op = GELU
    else:
        op = GELU_TANH
    return _elementwise(lambda v: apply(op, v), x, "gelu")


def hardtanh(x: Input, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Any:
    """x clamped to [min_val, max_val]; gradient 1 strictly inside, 0 at and beyond the bounds, as torch's."""
    check_inplace(inplace, "hardtanh")
    low = checked_float(min_val, "hardtanh's min_val")
    high = checked_float(max_val, "hardtanh's max_val")
    if low > high:
        raise ValueError("min_val cannot be greater than max_val")  # torch's words
    return _elementwise(lambda v: apply(HARDTANH, v, low, high), x, "hardtanh")


__all__ = ["elu", "gelu", "hardtanh", "leaky_relu", "silu", "softplus"]
