"""Loading numbers into parameters all-or-nothing: every new value is checked before any is set.

Each layer's setter lists what goes where as ``(name, parameter, number)`` triples
(`matrix_assignments` and `vector_assignments` check shapes); `set_checked` then
checks every number by `Value`'s rules (a real, finite number) and only then sets
them all, so a bad entry leaves the model unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from autograd import Value

from .checks import as_sequence, describe

Assignment = tuple[str, Value, Any]  # (name for errors, parameter, new number)


def table_rows(rows: Any, name: str, wanted: str) -> list[list[Any]]:
    """``rows`` (a list of rows of numbers, a 2-D numpy array ...) as a list of lists; TypeError naming ``name``
    and the ``wanted`` shape for what is no such table (None, a string, a dict, a flat list of numbers), which
    used to fail inside ``list()`` ("'NoneType' object is not iterable") or read "abc" as three rows."""
    table = as_sequence(rows)
    if table is None:
        raise TypeError(f"{name}: expected {wanted} (a list of rows of numbers), got {describe(rows)}")
    values = []
    for i, row in enumerate(table):
        entries = as_sequence(row)
        if entries is None:
            raise TypeError(f"{name}: expected {wanted} (a list of rows of numbers), got {describe(row)} as row {i}")
        values.append(list(entries))
    return values


def matrix_assignments(matrix: Sequence[Sequence[Value]], rows: Sequence[Sequence[Any]], name: str) -> list[Assignment]:
    """Pair a plain nested list with a Value matrix of the same shape; ValueError naming both shapes otherwise."""
    want_text = f"a {len(matrix)}x{len(matrix[0]) if matrix else 0} matrix"
    values = table_rows(rows, name, want_text)
    want = (len(matrix), len(matrix[0]) if matrix else 0)
    got = (len(values), len(values[0]) if values else 0)
    if got != want or any(len(r) != want[1] for r in values):
        raise ValueError(f"{name}: expected a {want[0]}x{want[1]} matrix, got {got[0]} rows of lengths "
                         f"{sorted({len(r) for r in values})}")
    return [(f"{name}[{r},{c}]", p, x) for r, (ps, xs) in enumerate(zip(matrix, values)) for c, (p, x) in
            enumerate(zip(ps, xs))]


def vector_assignments(vector: Sequence[Value], values: Sequence[Any], name: str) -> list[Assignment]:
    """Pair a plain list with a Value vector of the same length; ValueError naming both lengths otherwise."""
    entries = as_sequence(values)
    if entries is None:
        raise TypeError(f"{name}: expected {len(vector)} numbers (a list), got {describe(values)}")
    values = list(entries)
    if len(values) != len(vector):
        raise ValueError(f"{name}: expected {len(vector)} numbers, got {len(values)}")
    return [(f"{name}[{k}]", p, x) for k, (p, x) in enumerate(zip(vector, values))]


def set_checked(assignments: Iterable[Assignment]) -> None:
    """Check every new number, then set every parameter's ``.data``; on any error nothing changes.

    Raises TypeError (not a number) or ValueError (NaN, infinite), prefixed by the entry's name.
    """
    checked = []
    for name, parameter, number in assignments:
        try:
            checked.append((parameter, Value(number).data))
        except (TypeError, ValueError, OverflowError) as err:  # OverflowError: an int past the float range
            raise type(err)(f"{name}: {str(err).removeprefix('Value data: ')}") from None
    for parameter, number in checked:
        parameter.data = number
