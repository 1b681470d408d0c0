"""The one check the pictures make of the numbers they draw: each is a finite real number."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from .arguments import shown


def finite_numbers(values: Iterable[object], what: str) -> list[float]:
    """``values`` as floats, or an error naming the first entry (``what.format(i)``: "loss {}" gives "loss 3")
    that is no finite real number.

    A NaN or an infinity would be drawn as a gap in a curve or as the strongest colour of a heat map, and a
    string would fail inside a comparison deep in the drawing code: TypeError for a non-number (a bool
    included), ValueError for NaN and infinities.
    """
    out: list[float] = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{what.format(i)} must be a real number, got {type(v).__name__} {shown(v)}")
        try:
            x = float(v)
        except OverflowError:  # an int past float range (float() said only "int too large to convert to float")
            raise ValueError(f"{what.format(i)} is {shown(v)}, not a finite number") from None
        if not math.isfinite(x):
            raise ValueError(f"{what.format(i)} is {shown(x)}, not a finite number")
        out.append(x)
    return out


#: The largest magnitude a chart draws. matplotlib's axis margins, tick positions and log decades overflow a float
#: from about 1e307 ("arange: cannot compute length", "Singular matrix", "cannot convert float infinity to
#: integer"), far inside float range; this bound leaves room for all of them.
CHART_LIMIT = 1e300


def chart_numbers(values: Iterable[object], what: str) -> list[float]:
    """`finite_numbers`, and a ValueError naming the first entry larger in size than `CHART_LIMIT`."""
    out = finite_numbers(values, what)
    for i, x in enumerate(out):
        if abs(x) > CHART_LIMIT:
            raise ValueError(f"{what.format(i)} is {shown(x)}: too large to chart (at most {CHART_LIMIT:g} in size; "
                             "matplotlib's axes overflow a float near 1e307)")
    return out
