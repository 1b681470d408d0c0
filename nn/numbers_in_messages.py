"""Two helpers every argument check in `nn` uses: a number checked finite, and a repr short enough for a message."""

from __future__ import annotations

import math
import numbers
from typing import Any


def zero_dimensional_as_item(x: Any) -> Any:
    """A 0-d numpy array (``np.array(2.0)``, what ``arr.sum()`` of an object array or ``np.float64(2.0)[()]`` gives)
    as the one number it holds, as torch takes a 0-d tensor for a number; anything else as it is.

    A 0-d array is iterable by type, yet iterating it raises "iteration over a 0-d array".
    """
    if getattr(x, "ndim", None) == 0 and hasattr(x, "item") and not isinstance(x, numbers.Number):
        return x.item()
    return x


def checked_float(x: Any, what: str, *, finite: bool = True) -> float:
    """``x`` as a finite float, or TypeError/ValueError naming ``what``.

    Unlike ``float(x)`` this never prints a huge integer in full (a
    401-digit number in a hostile file becomes "an integer of 401 digits")
    and turns its OverflowError into a ValueError that names the entry; a
    number type whose ``__float__`` raises or returns no float is a TypeError
    naming ``what``. ``finite=False`` lets inf and NaN through (for arguments
    where torch takes inf, such as a norm's order; the caller names NaN).
    """
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__} {short_repr(x)}")
    try:
        value = float(x)
    except OverflowError:
        raise ValueError(f"{what}: {short_repr(x)} is too large for a float") from None
    except Exception as err:  # a Real whose own __float__ fails: name the argument, keep its error as the cause
        raise TypeError(f"{what}: float() of {type(x).__name__} {short_repr(x)} failed "
                        f"({type(err).__name__}: {err})") from err
    if finite and not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {short_repr(value)}")
    return value


def short_str(x: Any, limit: int = 60) -> str:
    """``str(x)`` for messages that quote torch's words (``mode low is unknown!``), safe as `short_repr` is: a
    huge int by its digits (str() refuses past 4,300), a failing ``__str__`` by the type, a long text cut."""
    if isinstance(x, int) and not isinstance(x, bool):
        return short_repr(x)
    try:
        text = str.__str__(x) if isinstance(x, str) else str(x)
    except Exception:  # a hostile __str__ must not replace the real error
        return f"a {type(x).__name__}"
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def short_repr(x: Any, limit: int = 60) -> str:
    """A repr for error messages that never runs to thousands of characters."""
    if isinstance(x, int) and not isinstance(x, bool):
        digits = len(str(abs(x))) if abs(x) < 10**4000 else None
        if digits is not None and digits <= 20:
            return repr(x)
        return f"an integer of {digits} digits" if digits is not None else "an integer of over 4,000 digits"
    try:
        text = repr(x)
    except Exception:  # a hostile __repr__ must not replace the real error
        return f"a {type(x).__name__}"
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"
