"""The identities (``id``) of a list's items as a numpy array, copied from the list's own pointer table.

`given_index` sorts a model's parameters by identity once per record, so the graph walk can find a parameter
without a dict entry apiece. ``np.fromiter(map(id, parameters))`` made a Python int per parameter and, through
the list iterator's reference counting, wrote to every parameter's memory: with a model's weights out of the
CPU caches that was about 1 us per 33-weight neuron, a tenth of what recording one may cost (issue 12 goal 1).
In CPython a Value's ``id`` is its address, and a list stores exactly those addresses, one after another: so the
table is copied as it is (a memcpy), touching no Value.

This reads CPython's list layout (the pointer to the item table right after the variable-size object header),
so it is used only where a self-check at import shows that the copy gives what ``map(id, ...)`` gives (CPython,
64-bit pointers); anywhere else the plain form runs. The list must not change while it is copied: callers pass
the tape's own copy of the parameters, which nothing else holds.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

import numpy as np

#: Where a list's item-table pointer sits in the list object (after refcount, type and size: 3 machine words).
_ITEM_TABLE_OFFSET = 3 * ctypes.sizeof(ctypes.c_void_p)


def _copied(values: list[Any]) -> Any:
    """The item table of ``values`` copied into a uint64 array (no check that the layout is as assumed)."""
    if not values:
        return np.zeros(0, dtype=np.uint64)
    table = ctypes.c_void_p.from_address(id(values) + _ITEM_TABLE_OFFSET).value
    items = (ctypes.c_uint64 * len(values)).from_address(table)  # type: ignore[arg-type]
    return np.frombuffer(memoryview(items), dtype=np.uint64).copy()


def _plain(values: list[Any]) -> Any:
    """The portable form: one ``id`` call per item."""
    return np.fromiter(map(id, values), dtype=np.uint64, count=len(values))


def _layout_is_cpythons() -> bool:
    """True when copying the item table gives the same identities as ``map(id, ...)`` (checked on a few lists)."""
    if sys.implementation.name != "cpython" or ctypes.sizeof(ctypes.c_void_p) != 8:
        return False
    try:
        for sample in ([object() for _ in range(5)], [1.5, "x", None], list(range(1000, 1300))):
            if not np.array_equal(_copied(sample), _plain(sample)):
                return False
    except (ValueError, OSError, TypeError):  # pragma: no cover - an unexpected layout
        return False
    return True


_FAST = _layout_is_cpythons()


def identities(values: list[Any]) -> Any:
    """``id(v)`` for every item of the list ``values``, in order, as a numpy uint64 array."""
    if _FAST and type(values) is list:
        return _copied(values)
    return _plain(values)


__all__ = ["identities"]
