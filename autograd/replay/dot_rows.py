"""A layer's dot nodes numbered as rows of a matrix while a graph is recorded, not link by link.

A neuron's weighted sum is one ``dot`` node whose parents are its weights and
then its inputs: ``dot((b, *w), (1, *x))``. Its weights are parameters listed
one after another (so numbered consecutively before the walk), and every
neuron of a layer reads the same input tuple. Looking up 66 parents one by
one in the walk's Value-to-number dict, and reading their levels back, made
the walk cost 9-13.5 us of CPU per such node (2 cores; each lookup touches
memory the previous did not); this way, 5.4-8.4 us (bench_record's dot graphs).
Here a dot node costs one lookup for its first weight, one comparison of its
weights with the parameters from there on (pointer equality, in C), one
comparison of its inputs with the previous dot node's (the same tuple for a
whole layer: looked up once per layer), and two copies of machine integers
into the parents table: no Python int per link.

A dot node that does not fit (weights that are not a run of parameters,
except possibly the last one: ``Linear``'s bias follows its row) is left to
the walk's general path, which gives the same numbers.
"""

from __future__ import annotations

from array import array
from operator import itemgetter

from ..value import Value
from .given_index import GivenIndex


class InputsPending(KeyError):
    """A dot node's weights are a run of parameters but some input is not numbered yet: the walk visits the
    inputs only (the weights are numbered by position, not looked up)."""


class DotRows:
    """Numbers the parents of dot nodes whose weights are a run of parameters, sharing inputs per layer."""

    __slots__ = ("parameters", "numbers", "first_param", "count", "number", "levels", "flat", "last_inputs",
                 "last_numbers", "last_level", "lazy", "last_run")

    def __init__(self, parameters: list[Value], first_param: int, number: dict[Value, int], levels: list[int],
                 flat: array, lazy: GivenIndex | None = None) -> None:
        """``parameters`` are numbered from ``first_param`` on, one after another. ``number``, ``levels`` and
        ``flat`` (the parents table) are the walk's own, read and written as it goes; with ``lazy``, parameters
        are in ``number`` only once looked up, and a row's first weight is found next to the previous row's."""
        self.parameters = parameters
        self.lazy = lazy
        self.last_run = 0  # the previous row's first weight's position: the next row is usually beside it
        self.first_param = first_param
        self.count = len(parameters)
        self.numbers = _numbers(first_param, first_param + self.count, flat.typecode)
        self.number = number
        self.levels = levels
        self.flat = flat
        self.last_inputs: tuple[Value, ...] = ()
        self.last_numbers = array(flat.typecode)
        self.last_level = 0

    def add(self, a: tuple[Value, ...]) -> int:
        """Append the parents' numbers of a dot node with parents ``a`` to the table and return its level; 0 (and
        nothing appended) if it does not fit.

        Raises KeyError, appending nothing, when a parent is not numbered yet (the walk then visits the parents)."""
        h = len(a) >> 1
        number = self.number
        n0 = number.get(a[0])
        k0 = self._locate(a[0], h) if n0 is None else n0 - self.first_param
        if not 0 <= k0 < self.count:
            return 0
        # Compared as lists (pointer equality first, as the dict's lookups are): the parameters are a list already.
        weights = list(a[:h])
        parameters = self.parameters
        if weights == parameters[k0: k0 + h]:
            run = h
        elif h > 1 and weights[:-1] == parameters[k0: k0 + h - 1]:
            run = h - 1
        else:
            return 0
        tail = -1 if run == h else self._number_of(a[h - 1])
        self.last_run = k0
        inputs = a[h:]
        if inputs != self.last_inputs:
            try:
                found = itemgetter(*inputs)(number) if h > 1 else (number[inputs[0]],)
            except KeyError:
                raise InputsPending() from None
            read = itemgetter(*found)(self.levels) if h > 1 else (self.levels[found[0]],)
            self.last_numbers = array(self.flat.typecode, found)
            self.last_level = max(read)
            self.last_inputs = inputs
        level = self.last_level
        flat = self.flat
        flat += self.numbers[k0: k0 + run]
        if tail >= 0:
            flat.append(tail)
            level = max(level, self.levels[tail])
        flat += self.last_numbers
        return level + 1

    def _locate(self, v: Value, h: int) -> int:
        """The position of a row's first weight ``v`` missing from ``number``: beside the previous row's (a layer's
        rows are met one after another, in either direction), else by `GivenIndex`; KeyError if not a parameter."""
        last, parameters = self.last_run, self.parameters
        for guess in (last + h, last - h):
            if 0 <= guess < self.count and parameters[guess] is v:
                return guess
        if self.lazy is not None and v._a is None:
            n = self.lazy.find(v)
            if n is not None:
                return n - self.first_param
        raise KeyError(v)

    def _number_of(self, v: Value) -> int:
        """``v``'s number (a row's last weight, Linear's bias), looked up lazily if it is a parameter; KeyError if
        it has none yet."""
        n = self.number.get(v)
        if n is None and self.lazy is not None and v._a is None:
            n = self.lazy.find(v)
        if n is None:
            raise KeyError(v)
        return n


def _numbers(first: int, end: int, typecode: str) -> array:
    """``array(typecode, range(first, end))``, made by numpy where it is installed (C-level, not an int object
    apiece)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is an optional extra
        return array(typecode, range(first, end))
    out = array(typecode)
    out.frombytes(np.arange(first, end, dtype=np.dtype(f"i{out.itemsize}")).tobytes())
    return out
