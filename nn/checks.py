"""Checks of what a user hands a layer, with messages that say what was expected and what came.

Sizes are positive whole numbers (not 2.5, not True: `NotAWholeNumberError`); an input vector is a
sequence of numbers (not a bare number, a string or a dict); a one-hot input is
a class index (an int, not a bool, in range). Each check costs one type test on
the common path (a list or tuple of the right length, a plain int).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping, Sequence, Sized
from typing import Any

from .numbers_in_messages import short_repr


class NotAWholeNumberError(ValueError, TypeError):
    """A number where a whole number was needed (2.5 or True as a size or a class index).

    Both a ValueError (the value is wrong, as `softmax_cross_entropy` and
    earlier versions said) and a TypeError (an int is needed, as torch says
    for ``nn.Linear(2.5, 1)``), as numpy's AxisError is both a ValueError and
    an IndexError: either ``except`` catches it.
    """


class BatchInputError(TypeError, ValueError):
    """A batch (rows of inputs) handed to a layer that takes one sample at a time.

    A PyTorch user passes ``model(batch)``; here a module takes one input vector. Both a TypeError (the
    entries are rows, not numbers, as `dot` used to say) and a ValueError (as the wrong length said when the
    number of rows differed from the number of inputs), so either ``except`` catches it.
    """


def describe(x: Any) -> str:
    """``x`` for an error message: its type and a short repr, e.g. ``float 1.0``."""
    return f"{type(x).__name__} {short_repr(x)}"


def whole_number(value: Any, what: str, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum``: ValueError for 2.5, True or 0, TypeError for a non-number."""
    kind = "positive whole number" if minimum == 1 else f"whole number >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, (bool, numbers.Real)):
            raise NotAWholeNumberError(f"{what} must be a {kind}, got {describe(value)}")
        raise TypeError(f"{what} must be a {kind}, got {describe(value)}")
    if value < minimum:
        raise ValueError(f"{what} must be a {kind}, got {short_repr(value)}")
    return int(value)


#: What one parameter costs in memory, measured (tracemalloc, MLP(200, [500]) and Linear(200, 500): 170-172
#: bytes): the Value, its float and its label string, and its place in a list.
BYTES_PER_PARAMETER = 170


def physical_memory() -> int | None:
    """The machine's physical memory in bytes, or None where the platform does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def affordable(count: int, who: str) -> None:
    """MemoryError, before anything is built, for ``count`` parameters that could not fit in this machine's memory.

    Without it ``MLP(2, [10**9])`` allocates until the operating system kills the process (torch's allocator
    refuses such a size at once, naming it).
    """
    fits_in_memory(count, BYTES_PER_PARAMETER, f"{who} would have", "parameters")


def fits_in_memory(count: int, bytes_each: int, who: str, things: str) -> None:
    """MemoryError naming ``who`` when ``count`` ``things`` of ``bytes_each`` bytes exceed the physical memory."""
    memory = physical_memory()
    if memory is not None and count * bytes_each > memory and count.bit_length() > 100:
        # str() refuses an int past 4,300 digits and the GiB figure overflows a float: name the count by its size
        raise MemoryError(f"{who} more {things} than this machine's {memory / 2**30:,.0f} GiB of memory can "
                          f"hold ({short_repr(count)})")
    if memory is not None and count * bytes_each > memory:
        raise MemoryError(
            f"{who} {count:,} {things}, about {count * bytes_each / 2**30:,.0f} GiB at {bytes_each} bytes each:"
            f" more than this machine's {memory / 2**30:,.0f} GiB of memory"
        )


def input_vector(x: Any, size: int, who: str, also: str = "") -> Sequence[Any]:
    """``x`` as a sized sequence of ``size`` inputs (numbers or Values); an error saying what came otherwise.

    A list or tuple passes as it is; another iterable (a numpy array, a
    generator) is accepted as a sequence; a bare number, a string, a dict or a
    set is a TypeError, a wrong length a ValueError, a batch (rows of inputs, as
    a PyTorch user passes one) a `BatchInputError`. The entries themselves are
    checked by `dot` (a real number or a Value). ``also`` lists other forms
    ``who`` accepts, for the message.
    """
    if x.__class__ is not list and x.__class__ is not tuple:
        sequence = as_sequence(x)
        if sequence is None:
            raise TypeError(
                f"{who} expects a sequence of {size} numbers (a list or tuple of floats or Values){also}, "
                f"got {describe(x)}"
            )
        x = sequence
        if len(x) and getattr(x[0], "ndim", 0) == 1:  # the rows of a 2-D numpy array
            raise batch_error(x, size, who)
    if len(x) and (x[0].__class__ is list or x[0].__class__ is tuple):
        raise batch_error(x, size, who)
    if len(x) != size:
        raise ValueError(f"{who} expects {size} inputs, got {len(x)}")
    return x


def batch_error(rows: Sequence[Any], size: int, who: str) -> BatchInputError:
    """The error for a batch of ``rows`` given where one sample of ``size`` inputs was expected."""
    count = f"{len(rows)} row" + ("" if len(rows) == 1 else "s")
    return BatchInputError(
        f"{who} takes one sample, a sequence of {size} numbers, and got a batch of {count}: call it once per row "
        f"(e.g. [model(row) for row in rows]); PyTorch's model(batch) has no counterpart here"
    )


def state_vector(h: Any, size: int, who: str, name: str = "h") -> Sequence[Any]:
    """A cell's state vector ``name`` (h, or an LSTM's c) as a sequence of ``size`` entries, or an error naming it.

    As `input_vector`: a list or tuple passes, another iterable becomes a tuple, and the entries are checked by
    the ops that use them. A state of the wrong length used to fail inside `dot` ("lengths differ") or with an
    IndexError, naming neither the state nor the hidden size.
    """
    if h.__class__ is not list and h.__class__ is not tuple:
        sequence = as_sequence(h)
        if sequence is None:
            raise TypeError(f"{who}'s state {name} must be a sequence of {size} numbers or Values (hidden_size), "
                            f"got {describe(h)}")
        h = sequence
    if len(h) != size:
        raise ValueError(f"{who}'s state {name} must have {size} entries (its hidden_size), got {len(h)}")
    return h


def as_sequence(x: Any) -> Sequence[Any] | None:
    """``x`` as a sized sequence, or None for what is no sequence of entries: a number, a string, a dict, a set,
    a 0-d numpy array (iterable by type, but iterating it raises "iteration over a 0-d array")."""
    if isinstance(x, (str, bytes, Mapping, set, frozenset)) or not isinstance(x, Iterable):
        return None
    if getattr(x, "ndim", None) == 0:
        return None
    if not isinstance(x, Sized) or not isinstance(x, Sequence):
        return tuple(x)
    return x


def one_hot_index(x: Any, size: int, what: str = "one-hot index") -> int:
    """``x`` as a class index in 0..size-1, or an error naming ``what``.

    ValueError for an index out of range; `NotAWholeNumberError` (a ValueError,
    as `softmax_cross_entropy` raises, and a TypeError) for a bool or a number
    that is not an int (1.0); TypeError for anything else (a string).
    """
    if isinstance(x, bool):
        raise NotAWholeNumberError(f"{what} must be a class index in 0..{size - 1}, got bool {short_repr(x)} (use "
                                   f"1, not True)")
    if not isinstance(x, numbers.Integral):
        error = NotAWholeNumberError if isinstance(x, numbers.Real) else TypeError
        hint = ": encode text with Vocabulary.encode first" if isinstance(x, str) else ""
        raise error(f"{what} is {describe(x)}, not a class index (an int in 0..{size - 1}){hint}")
    index = int(x)
    if not 0 <= index < size:
        shown = f"{what} {short_repr(index)} is" if what == "one-hot index" else f"{what} is {short_repr(index)},"
        raise ValueError(f"{shown} outside 0..{size - 1}")
    return index
