"""Arguments shown in error messages: a cut repr that never fails in place of the error being reported.

An int past str()'s 4,300 digits (``Value(10**5000)``) made the message itself fail with "Exceeds the limit
(4300 digits) for integer string conversion"; an argument whose ``__repr__`` raises replaced the error with its
own; a 100,000-element list filled the message. Used by the engine's checks (`autograd.value`, `autograd.op`)
and viz's (`viz.arguments`, as ``shown``).
"""

from __future__ import annotations

from typing import Any


def too_large(x: Any) -> str:
    """How a number too large for a float is shown: an int by its digits, counted without str() (which refuses
    past 4,300 digits: ``Value(10**5000)`` failed with "Exceeds the limit (4300 digits) for integer string
    conversion"), anything else (a huge Fraction) by its short repr."""
    if isinstance(x, int):
        bits = abs(int(x)).bit_length()
        if bits <= 100:
            return repr(int(x))
        if bits < 14_000:  # under str()'s 4,300-digit limit
            return f"an int of {len(str(abs(int(x))))} digits"
        return f"an int of about {int(bits * 0.30103) + 1:,} digits"
    return short_repr(x)


def short_repr(x: Any) -> str:
    """``repr(x)``, cut to 60 characters (an array or a long string would fill the message); a repr that fails
    (a hostile ``__repr__``, an int past str()'s 4,300 digits) must not replace the error being reported."""
    if isinstance(x, int) and abs(x).bit_length() > 200:
        return too_large(x)
    try:
        text = repr(x)
    except Exception:
        return f"a {type(x).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


__all__ = ["short_repr", "too_large"]
