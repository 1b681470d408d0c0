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

A row is not written into the parents table link by link: it is kept as a
descriptor (its node, its first weight's number, a last weight off the run,
which input row it reads), four 4-byte numbers, and each layer's input row
once. A 33-input neuron's 66 parent numbers (264 bytes a dot node, most of a
tape's memory) become 16 bytes; `graph.Graph` rebuilds the full table only
for code generation, and `levels.LevelProgram` plans a layer straight from the
descriptors.
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
    """Numbers the parents of dot nodes whose weights are a run of parameters, sharing inputs per layer.

    The rows found are kept as descriptors, node by node in the walk's order (so ``nodes`` ascends): ``nodes`` the
    dot node's number, ``firsts`` its first weight's number, ``tails`` the number of a last weight that is off the
    run (-1: none), ``which`` the position in ``input_rows`` of its inputs' numbers (one array per layer)."""

    __slots__ = ("parameters", "first_param", "count", "number", "levels", "last_inputs", "last_level", "lazy",
                 "last_run", "last_width", "put_off", "follows", "nodes", "firsts", "tails", "which", "input_rows",
                 "links")

    def __init__(self, parameters: list[Value], first_param: int, number: dict[Value, int], levels: list[int],
                 typecode: str, lazy: GivenIndex | None = None) -> None:
        """``parameters`` are numbered from ``first_param`` on, one after another. ``number`` and ``levels`` are
        the walk's own, read as it goes (``len(levels)`` is the number the walk gives the next node); with
        ``lazy``, parameters are in ``number`` only once looked up, and a row's first weight is found next to the
        previous row's. ``typecode``: the parents table's (the descriptors and input rows use it too)."""
        self.parameters = parameters
        self.lazy = lazy
        # The previous row's first weight's position: the next row is usually beside it. The walk meets a model's
        # last row first, so the first guess is the parameters' end (a dict lookup, when not there).
        self.last_run = len(parameters)
        self.last_width = 0  # the previous row's weights
        self.follows: dict[int, int] = {}  # a row's first weight's position -> the next row's, where not beside
        self.put_off: list[int] = []  # the first weights' positions of rows put off until their inputs are numbered
        self.first_param = first_param
        self.count = len(parameters)
        self.number = number
        self.levels = levels
        self.last_inputs: tuple[Value, ...] = ()
        self.last_level = 0
        self.nodes = array(typecode)
        self.firsts = array(typecode)
        self.tails = array(typecode)
        self.which = array(typecode)
        self.input_rows: list[array] = []
        self.links = 0  # the parent links the descriptors stand for

    def add(self, a: tuple[Value, ...]) -> int:
        """Note a dot node with parents ``a`` as a row (the walk gives it the number ``len(levels)`` next) and
        return its level; 0 (and nothing noted) if it does not fit.

        Raises KeyError, noting nothing, when a parent is not numbered yet (the walk then visits the parents)."""
        h = len(a) >> 1
        number = self.number
        parameters = self.parameters
        # A layer's rows are met one after another (the walk meets the last first), so the first weight is
        # usually beside the previous row's, h weights away (h - 1 where each row's last weight, a bias, is kept
        # apart: `Linear`, the cells): pointer comparisons before any dict lookup. The row itself again where it was
        # put off until its inputs were numbered (`InputsPending`).
        w0 = a[0]
        last, count = self.last_run, self.count
        k0 = last - h  # the next row down (the walk meets a layer's rows last first): tried before making the tuple
        if not (0 <= k0 < count and parameters[k0] is w0):
            for k0 in (last, last + h, last - h + 1, last + h - 1):
                if 0 <= k0 < count and parameters[k0] is w0:
                    break
            else:
                k0 = -1
        if k0 < 0:
            # Rows that are not beside each other (an LSTM's gate rows, 43 weights apart, only 17 of which a gate's
            # hidden part reads) follow one another in the same order at every time step: where the row after this
            # one began last time is one int-keyed lookup away, and is checked by pointer before it is believed.
            follows = self.follows
            k0 = follows.get(last, -1)
            if not (0 <= k0 < count and parameters[k0] is w0):
                k0 = self._guess(w0, h)
                if k0 < 0:
                    n0 = number.get(w0)
                    k0 = self._locate(w0, h) if n0 is None else n0 - self.first_param
                    if not 0 <= k0 < count:
                        return 0
                follows[last] = k0
        # Compared as lists (pointer equality first, as the dict's lookups are): the parameters are a list already.
        weights = list(a[:h])
        if weights == parameters[k0: k0 + h]:
            tail = -1
        elif h > 1 and weights[:-1] == parameters[k0: k0 + h - 1]:
            tail = self._number_of(a[h - 1])
        else:
            return 0
        self.last_run = k0
        self.last_width = h
        inputs = a[h:]
        if inputs != self.last_inputs:
            try:
                found = itemgetter(*inputs)(number) if h > 1 else (number[inputs[0]],)
            except KeyError:
                # Met again once its inputs are numbered, after rows elsewhere (a layer before this one): its
                # place is kept, so that it is found without a lookup by identity.
                self.put_off.append(k0)
                raise InputsPending() from None
            read = itemgetter(*found)(self.levels) if h > 1 else (self.levels[found[0]],)
            self.input_rows.append(array(self.nodes.typecode, found))
            self.last_level = max(read)
            self.last_inputs = inputs
        level = self.last_level
        if tail >= 0:
            level = max(level, self.levels[tail])
        self.nodes.append(len(self.levels))
        self.firsts.append(self.first_param + k0)
        self.tails.append(tail)
        self.which.append(len(self.input_rows) - 1)
        self.links += h + h
        return level + 1

    def _guess(self, w0: Value, h: int) -> int:
        """The position of a row's first weight ``w0`` not beside the previous row's, found by pointer comparisons
        where a layered model's walk puts it, else -1: a row put off until its inputs were numbered
        (`InputsPending`), or the last row of the layer before (the walk reaches it from this layer's first rows),
        whose run ends where this layer's rows begin, a whole number of the previous row's widths below it."""
        parameters = self.parameters
        for k0 in reversed(self.put_off):
            if parameters[k0] is w0:
                return k0
        step = self.last_width
        if step > 0:
            k = self.last_run
            for _ in range(min(k // step + 1, 512)):  # a few dozen comparisons, not a lookup by identity
                if k - h >= 0 and parameters[k - h] is w0:
                    return k - h
                if k - h + 1 >= 0 and parameters[k - h + 1] is w0:  # a bias kept off its row (`Linear`)
                    return k - h + 1
                k -= step
        return -1

    def _locate(self, v: Value, h: int) -> int:
        """The position of a row's first weight ``v`` missing from ``number`` and not beside the previous row's (`add`
        looks there first), by `GivenIndex`; KeyError if not a parameter."""
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

