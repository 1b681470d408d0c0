"""torch's ``reduction=`` argument of every loss: 'mean', 'sum' or 'none', checked in torch's words."""

from __future__ import annotations

from typing import Any

from autograd import Value, sum_of

#: The reductions torch's losses take, in its order.
REDUCTIONS = ("none", "mean", "sum")


def checked_reduction(reduction: Any) -> str:
    """``reduction`` if it is one of torch's three, else torch's ValueError ("x is not a valid value for reduction")."""
    if not isinstance(reduction, str):
        raise ValueError(f"{reduction!r} is not a valid value for reduction (use 'none', 'mean' or 'sum')")
    if reduction not in REDUCTIONS:
        # torch's words, then the choices (torch names none of them).
        raise ValueError(f"{reduction} is not a valid value for reduction (use 'none', 'mean' or 'sum')")
    return reduction


def torch_sum(values: list[Value]) -> Value:
    """One node holding the sum of ``values`` with torch's sign of zero: torch sums from a +0.0 accumulator, so
    terms that are all -0.0 sum to +0.0, and a single term is not returned as itself (the trailing 0.0; x + 0.0
    is x, bit for bit, for every other x)."""
    try:
        return sum_of([*values, 0.0])
    except OverflowError:  # the engine's words listed the trailing 0.0 among "the inputs", which no caller gave
        shown = ", ".join(repr(v.data if isinstance(v, Value) else v) for v in values[:4])
        more = ", ..." if len(values) > 4 else ""
        raise OverflowError(f"the sum of {len(values)} losses is not finite: it overflows a float (losses "
                            f"{shown}{more})") from None


def reduced(losses: list[Value], reduction: str, denominator: Value | float | None = None) -> Value:
    """The sum of ``losses``, or for 'mean' that sum divided by ``denominator`` (default: how many there are).

    A weighted loss passes the sum of its weights as ``denominator``, as torch's
    ``nll_loss`` does. The sum of no losses is 0, as torch's; their mean, or a
    mean over a zero denominator, is a ValueError: torch returns nan there,
    and a silent nan is what this project refuses.
    """
    if not losses:
        if reduction == "sum":
            return Value(0.0)
        raise ValueError("a loss over no elements has no mean (torch gives nan): pass some, or use "
                         "reduction='sum' (0) or 'none' (no losses)")
    # Losses that are all -0.0 (a perfectly classified row's cross-entropy, a probability of 1 in binary
    # cross-entropy) reduce to torch's +0.0.
    total = torch_sum(losses)
    if reduction == "sum":
        return total
    divisor = len(losses) if denominator is None else denominator
    divisor_number = divisor.data if isinstance(divisor, Value) else divisor
    if divisor_number == 0:
        raise ValueError("the mean's weights add up to 0 (every target ignored, or zero weights): "
                         "it is undefined (torch gives nan)")
    return total / divisor
