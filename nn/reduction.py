"""torch's ``reduction=`` argument of every loss: 'mean', 'sum' or 'none', checked in torch's words."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from autograd import Value, sum_of
from autograd.torch_sum import from_positive_zero, left_to_right
from autograd.torch_sum import torch_sum as _torch_sum

from .numbers_in_messages import short_repr

T = TypeVar("T")

#: The reductions torch's losses take, in its order.
REDUCTIONS = ("none", "mean", "sum")


def checked_reduction(reduction: Any) -> str:
    """``reduction`` if it is one of torch's three, else torch's ValueError ("x is not a valid value for reduction").

    torch's deprecated 'elementwise_mean' is 'mean', with torch's UserWarning.
    """
    # torch's old name for 'mean', still taken, with this warning
    if isinstance(reduction, str) and reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                      UserWarning, stacklevel=3)
        return "mean"
    if not isinstance(reduction, str):
        raise ValueError(f"{short_repr(reduction)} is not a valid value for reduction (use 'none', 'mean' or 'sum')")
    if reduction not in REDUCTIONS:
        # torch's words, then the choices (torch names none of them).
        raise ValueError(f"{reduction} is not a valid value for reduction (use 'none', 'mean' or 'sum')")
    return reduction


def reduced(losses: list[Value], reduction: str, denominator: Value | float | None = None,
            total: Value | None = None) -> Value:
    """The sum of ``losses``, or for 'mean' that sum divided by ``denominator`` (default: how many there are).

    A weighted loss passes the sum of its weights as ``denominator``, as torch's
    ``nll_loss`` does; ``total``, if given, is the sum already added (`nll_sum`'s
    order), else the losses are added in ``Tensor.sum``'s order (`torch_sum`).
    The sum of no losses is 0, as torch's; their mean, or a mean over a zero
    denominator, is a ValueError: torch returns nan there, and a silent nan is
    what this project refuses.
    """
    if not losses:
        if reduction == "sum":
            return Value(0.0)
        raise ValueError("a loss over no elements has no mean (torch gives nan): pass some, or use "
                         "reduction='sum' (0) or 'none' (no losses)")
    total = torch_sum(losses) if total is None else total
    if reduction == "sum":
        return total
    divisor = len(losses) if denominator is None else denominator
    divisor_number = divisor.data if isinstance(divisor, Value) else divisor
    if divisor_number == 0:
        raise ValueError("the mean's weights add up to 0 (every target ignored, or zero weights): "
                         "it is undefined (torch gives nan)")
    return total / divisor


def plain_total(xs: Sequence[Any]) -> Any:
    """x0 + x1 + ... left to right: `sum_of` for Values, a loop for numbers (builtin ``sum`` compensates from
    Python 3.12 on, which torch does not)."""
    if any(isinstance(x, Value) for x in xs):
        return sum_of(list(xs))
    return left_to_right(xs)


def nll_sum(items: Sequence[tuple[int, T]], batch: int, total: Callable[[Sequence[T]], T] = plain_total) -> T:
    """The sum of ``items`` (sample index, term) in torch's ``nll_loss`` order, for its bits.

    torch's CPU kernel adds a batch's terms in a cascade of 8 partial sums: each term goes into the first, and
    after the term of sample b the first partial moves up into the next whenever b is a multiple of 16 (the
    next into the one above at multiples of 256, and so on); an ignored sample moves nothing. The partials
    are added last, first to last. So sample 0's term is added after all of samples 1 to 15: left-to-right
    addition was up to 18 ulps from torch's weighted loss. Measured against torch 2.13 over 600 batches of 1
    to 300 samples, with weights and ignore_index: equal to the bit. ``items`` must be non-empty.
    """
    levels = 8
    power = max(4, (batch - 1).bit_length() // levels)  # torch: max(4, CeilLog2(batch) / levels)
    mask = (1 << power) - 1
    partials: list[list[T]] = [[] for _ in range(levels)]
    for b, term in items:
        partials[0].append(term)
        for j in range(levels - 1):
            if b & (mask << (j * power)):
                break
            if partials[j]:
                part = partials[j]
                partials[j + 1].append(part[0] if len(part) == 1 else total(part))
                partials[j] = []
    sums = [part[0] if len(part) == 1 else total(part) for part in partials if part]
    return from_positive_zero(sums[0] if len(sums) == 1 else total(sums))


def torch_sum(terms: Sequence[Any], total: Callable[[Sequence[Any]], Any] = plain_total) -> Any:
    """The sum of ``terms`` in the order torch's CPU ``Tensor.sum`` adds a contiguous float64 tensor, for its bits:
    `autograd.torch_sum.torch_sum` (the engine's mean-loss ops add in the same order), with Values added by
    `sum_of` nodes. ``terms`` must be non-empty."""
    return _torch_sum(terms, total)
