"""Gradient clipping: by value (min-char-rnn clips at 5) and by joint L2 norm, and torch.nn.utils' two clippers.

`clip_grad_norm_` and `clip_grad_value_` follow torch's formulas exactly (the
norm's 1e-6, the scale applied even when it is 1, ``error_if_nonfinite``);
`clip_grad_norm` and `clip_grad_value` are valuegrad's own variants.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Iterable
from typing import Any

from autograd import Value

from ..numbers_in_messages import checked_float, short_repr


def clip_grad_value(params: Iterable[Value], clip: float) -> None:
    """Clamp every gradient into [-clip, clip] (min-char-rnn clips at 5).

    A NaN gradient stays NaN (as PyTorch's ``clamp_``), for the optimizer to refuse by name.
    """
    if not clip > 0:
        raise ValueError(f"clip must be positive, got {short_repr(clip)}")
    low = -clip
    for p in params:
        # Comparisons rather than min/max: half the time over a model's thousands of parameters, and only
        # the gradients out of range are written.
        g = p.grad
        if g > clip:
            p.grad = clip
        elif g < low:
            p.grad = low


def clip_grad_norm(params: Iterable[Value], max_norm: float) -> float:
    """Scale all gradients so their joint L2 norm is at most ``max_norm``; return the norm before."""
    if not _real_number(max_norm) or not max_norm > 0:
        # A string or None failed inside the comparison ("'>' not supported"); True clipped to a norm of 1.
        raise ValueError(f"max_norm must be positive, got {short_repr(max_norm)}")
    _fits_a_float(max_norm, "max_norm")
    # A float, not np.float32 (its arithmetic would make every gradient a float32), by checked_float: a number
    # type whose __float__ fails is then named as max_norm
    max_norm = checked_float(max_norm, "max_norm", finite=False)
    params = _as_list(params)  # Values with numeric gradients, named by index otherwise
    # hypot: squaring a gradient above 1e154 overflowed, the norm became inf and every gradient was set to 0.
    norm = _total_norm([_grad_number(p) for p in params], 2.0)
    if norm > max_norm:
        scale = max_norm / norm
        for p in params:
            p.grad *= scale
    return norm


class NonFiniteNormError(RuntimeError, ValueError):
    """`clip_grad_norm_` with ``error_if_nonfinite=True`` met an inf or NaN norm.

    A RuntimeError (what torch raises there) and a ValueError (what valuegrad
    raises for a non-finite number elsewhere).
    """


def _as_list(parameters: Iterable[Value] | Value) -> list[Value]:
    """The Values of ``parameters`` that have a gradient (one Value is accepted, as torch accepts one tensor).

    A gradient set to None by hand is skipped, as torch skips a tensor whose ``.grad`` is None; a gradient
    that is no number (a string, a bool) is a TypeError naming the parameter's index, before anything changes.
    """
    items = [parameters] if isinstance(parameters, Value) else list(parameters)
    for i, p in enumerate(items):
        if not isinstance(p, Value):
            raise TypeError(f"parameters must be autograd Values, got {type(p).__name__} at index {i}")
        g: Any = p.grad
        if g is not None and not isinstance(g, Value) and (isinstance(g, bool) or not isinstance(g, (int, float))):
            raise TypeError(f"parameter {i} has gradient {short_repr(g)}: not a number")
    return [p for p in items if p.grad is not None]


def _grad_number(p: Value) -> float:
    """A parameter's gradient as a float (a gradient left as a Value by create_graph counts by its number)."""
    g: Any = p.grad
    return float(g.data if isinstance(g, Value) else g)


#: Below this ``norm_type`` p, torch's formula (sum |g|^p)^(1/p) loses about eps / p of its relative accuracy (each
#: |g|^p is rounded to a number near 1 and the rounding is raised to 1/p): 5 ** 1e-300 rounds to 1.0, so [0, 5]
#: had the norm 1.0. There the norm is measured in units of the largest |g| instead (see `_scaled_norm`).
TINY_NORM_TYPE = 1e-3


def _total_norm(grads: list[float], norm_type: float) -> float:
    """The ``norm_type``-norm of all gradients together, as torch's ``vector_norm``.

    Where torch's float64 sum of powers overflows but the norm itself is a float (gradients near 1e200 with
    p = 3; any p = 2 above 1e154; p = 1e300, whose powers of anything above 1 overflow) this gives the norm, not
    inf; a norm past the largest float is inf, as torch's (p = 1e-300 over [3, 4]: 2 ** 1e300 times 3). Where
    the powers underflow (p = 3 over gradients near 1e-300) it gives the norm, not torch's 0 or a subnormal.
    Below `TINY_NORM_TYPE` the norm is the largest |g| times the same sum of ratios: one gradient's norm is
    its size for any p (torch's 3.0 for [3.0]), where torch's powers round [3.0, 0.0]'s to 1.0.
    """
    if not grads:
        return 0.0
    if norm_type <= 0.0:
        return _non_positive_order_norm(grads, norm_type)
    if len(grads) == 1 or norm_type == math.inf:
        return max(abs(g) for g in grads)  # torch's norm of one number is its size, for any p
    if norm_type == 2.0:
        return math.hypot(*grads)  # exact to an ulp, and no overflow from squaring a gradient above 1e154
    if norm_type >= TINY_NORM_TYPE:
        try:
            if norm_type == 1.0:
                return math.fsum(abs(g) for g in grads)
            powers = math.fsum(abs(g) ** norm_type for g in grads)
            if not powers < sys.float_info.min:  # else they underflowed (0 for gradients of 1e-300), or all are 0
                return powers ** (1.0 / norm_type)
        except OverflowError:  # a power or the sum passed the largest float: measure in units of the largest |g|
            pass
    return _scaled_norm(grads, norm_type)


def _non_positive_order_norm(grads: list[float], norm_type: float) -> float:
    """torch's ``vector_norm`` of order p <= 0: p = 0 counts the non-zero gradients, -inf is the smallest size,
    a negative p is (sum |g| ** p) ** (1/p): 0 when a gradient is 0 (its power is inf), else measured in units
    of the smallest size, whose ratios' powers are at most 1 and cannot overflow."""
    sizes = [abs(g) for g in grads]
    if any(size != size for size in sizes):
        return math.nan
    if norm_type == 0.0:
        return float(len([size for size in sizes if size != 0.0]))
    smallest = min(sizes)
    if norm_type == -math.inf or smallest == 0.0 or smallest == math.inf:
        return smallest
    return smallest * math.fsum((size / smallest) ** norm_type for size in sizes) ** (1.0 / norm_type)


def _scaled_norm(grads: list[float], norm_type: float) -> float:
    """largest |g| * (sum_j (|g_j| / largest) ** p) ** (1/p): each ratio is at most 1, so no power overflows and
    the sum is at least 1; only the last power can pass the largest float, and then the norm is inf."""
    sizes = [abs(g) for g in grads]
    if any(size != size for size in sizes):
        return math.nan  # as torch's: a NaN gradient makes the norm NaN
    largest = max(sizes)
    if largest == 0.0 or largest == math.inf:
        return largest
    try:
        return largest * math.fsum((size / largest) ** norm_type for size in sizes) ** (1.0 / norm_type)
    except OverflowError:  # (a sum of at least 2) ** (1/p) for a tiny p: the norm is past the float range
        return math.inf


def clip_grad_norm_(
    parameters: Iterable[Value] | Value,
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> float:
    """`torch.nn.utils.clip_grad_norm_`: scale all gradients by ``min(1, max_norm / (norm + 1e-6))``.

    Returns the total norm before clipping (a float; torch returns a 0-d
    tensor). As torch, the scale is applied even when it is 1, the 1e-6 keeps
    a zero norm from dividing by zero, ``norm_type`` may be ``inf`` (or
    ``"inf"``), and with an inf or NaN norm the gradients are scaled anyway
    (becoming 0 or NaN) unless ``error_if_nonfinite=True``, which raises
    `NonFiniteNormError` (a RuntimeError, as torch) and leaves them alone.
    ``foreach`` is accepted and ignored (torch's choice of kernel).
    ``max_norm`` and ``norm_type`` are read by ``float()``, as torch reads
    them ("2" is 2, True 1; an inf ``max_norm`` leaves the gradients alone;
    ``norm_type`` 0 counts the non-zero gradients, -inf is the smallest).
    Unlike torch, a NaN for either and a negative ``max_norm`` are a
    ValueError (torch would make every gradient NaN, or flip its sign). See `clip_grad_norm` for valuegrad's own
    variant, which scales only gradients whose norm is above ``max_norm``.
    """
    max_norm = _checked_max_norm(max_norm)
    params = _as_list(parameters)
    norm = get_total_norm([_grad_number(p) for p in params], norm_type, error_if_nonfinite)
    _scale_grads(params, max_norm, norm)
    return norm


def _checked_max_norm(max_norm: Any) -> float:
    """``max_norm`` read as torch reads it (`_read_as_torch`), refused when negative (torch flips every gradient)."""
    value = _read_as_torch(max_norm, "max_norm")
    if value < 0.0:
        raise ValueError(f"max_norm must be >= 0, got {short_repr(max_norm)} (torch would flip every gradient)")
    return value


def _read_as_torch(x: Any, name: str) -> float:
    """``float(x)``, as torch reads ``max_norm`` and ``norm_type``: a numeric string ("2", "inf") is its number,
    True 1 and False 0; what float() cannot read is its ValueError ("abc") or TypeError (None), naming ``name``.
    A NaN is refused (torch's result is every gradient NaN, silently)."""
    if isinstance(x, str):
        try:
            value = float(x)
        except ValueError:
            raise ValueError(f"{name} must be a number (read by float(), as torch reads it), got str "
                             f"{short_repr(x)}") from None
    elif isinstance(x, bool):
        value = float(x)
    elif _real_number(x):
        _fits_a_float(x, name)
        # any real number type (np.float32's arithmetic would make the gradients float32); a failing __float__ named
        value = checked_float(x, name, finite=False)
    else:
        raise TypeError(f"{name} must be a real number, got {type(x).__name__} {short_repr(x)}")
    if value != value:
        raise ValueError(f"{name} must not be NaN, got {short_repr(x)} (torch would make every gradient NaN)")
    return value


def _real_number(x: Any) -> bool:
    """Whether ``x`` is a real number of any type (numpy's too; not a bool): an argument a float() can read."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _fits_a_float(x: Any, name: str) -> None:
    """ValueError naming ``name`` for an int past the largest float, which compares below inf but whose float()
    failed later with a bare "int too large to convert to float"."""
    if isinstance(x, numbers.Integral) and abs(int(x)) >= 2**1024:
        raise ValueError(f"{name} must be a number a float can hold, got {short_repr(x)}")


def _scale_grads(params: list[Value], max_norm: float, norm: float) -> None:
    """Multiply every gradient by torch's ``min(max_norm / (norm + 1e-6), 1)`` (NaN for a NaN norm).

    torch's ``max_norm / tensor`` is ``tensor.reciprocal() * max_norm`` (Tensor.__rtruediv__): two roundings,
    a last bit from one division in a quarter of cases; computed so here, for torch's scale to the bit."""
    scale = min((1.0 / (norm + 1e-6)) * max_norm, 1.0) if norm == norm else math.nan
    for p in params:
        p.grad = p.grad * scale


def get_total_norm(
    tensors: Iterable[float | Value] | float | Value,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> float:
    """`torch.nn.utils.get_total_norm`: the ``norm_type``-norm of all the numbers in ``tensors`` together.

    ``tensors`` are gradients (``[p.grad for p in model.parameters()]``): numbers, or Values (a gradient
    left as a Value by ``create_graph=True``) counted by their number; None entries are skipped. Returns a
    float (torch: a 0-d tensor), 0 for none. ``norm_type`` and ``error_if_nonfinite`` as `clip_grad_norm_`;
    ``foreach`` is accepted and ignored.
    """
    norm_p = _checked_norm_type(norm_type)
    if not isinstance(error_if_nonfinite, bool):
        raise TypeError(f"error_if_nonfinite must be True or False, got {type(error_if_nonfinite).__name__}")
    if not isinstance(tensors, (Value, int, float, Iterable)) or isinstance(tensors, (str, bytes)):
        raise TypeError(f"get_total_norm needs gradients (numbers, Values or a list of them), got "
                        f"{type(tensors).__name__} {short_repr(tensors)}")
    items = [tensors] if isinstance(tensors, (Value, int, float)) else list(tensors)
    numbers: list[float] = []
    for i, g in enumerate(items):
        if g is None:
            continue
        if isinstance(g, Value):
            g = g.data
        if isinstance(g, bool) or not isinstance(g, (int, float)):
            raise TypeError(f"get_total_norm needs numbers (gradients), got {type(g).__name__} "
                            f"{short_repr(g)} at index {i}")
        # An int past the largest float is a ValueError, a failing __float__ a TypeError, both naming the entry
        numbers.append(checked_float(g, f"get_total_norm: entry {i}", finite=False))
    norm = _total_norm(numbers, norm_p)
    if error_if_nonfinite and not math.isfinite(norm):
        raise NonFiniteNormError(
            f"The total norm of order {norm_p} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return norm


def clip_grads_with_norm_(
    parameters: Iterable[Value] | Value, max_norm: float, total_norm: float, foreach: bool | None = None
) -> None:
    """`torch.nn.utils.clip_grads_with_norm_`: scale the gradients by ``min(1, max_norm / (total_norm + 1e-6))``.

    The second half of `clip_grad_norm_`, for a ``total_norm`` measured by `get_total_norm` (over gradients
    gathered from several places, say). ``total_norm`` a number >= 0, inf or NaN (the gradients then become
    0 or NaN, as torch's); returns None.
    """
    max_norm = _checked_max_norm(max_norm)
    if isinstance(total_norm, Value):
        total_norm = total_norm.data
    if isinstance(total_norm, bool) or not isinstance(total_norm, (int, float)) or total_norm < 0.0:
        raise ValueError(f"total_norm must be a number >= 0 (from get_total_norm), got {short_repr(total_norm)}")
    # An int past the largest float is a norm of inf (its float() would raise): every gradient becomes 0, as torch.
    norm = float(total_norm) if isinstance(total_norm, float) or total_norm < 2**1023 else math.inf
    _scale_grads(_as_list(parameters), max_norm, norm)


def _checked_norm_type(norm_type: Any) -> float:
    """``norm_type`` read as torch reads it (`_read_as_torch`): any float but NaN (``"inf"`` too)."""
    return _read_as_torch(norm_type, "norm_type")


def clip_grad_value_(parameters: Iterable[Value] | Value, clip_value: float, foreach: bool | None = None) -> None:
    """`torch.nn.utils.clip_grad_value_`: clamp every gradient into ``[-clip_value, clip_value]``; returns None.

    As torch, 0 sets every gradient to 0 and a NaN gradient stays NaN;
    ``foreach`` is accepted and ignored. A negative, NaN or non-number
    ``clip_value`` is a ValueError (torch would give nonsense bounds).
    """
    if not _real_number(clip_value) or not clip_value >= 0.0:
        raise ValueError(f"clip_value must be a number >= 0, got {short_repr(clip_value)}")
    _fits_a_float(clip_value, "clip_value")
    params = _as_list(parameters)
    clip = checked_float(clip_value, "clip_value", finite=False)
    low = -clip
    for p in params:
        g = _grad_number(p)
        if g > clip:
            p.grad = clip
        elif g < low:
            p.grad = low
