"""Parameters found by identity without a dict entry apiece, while a graph with many of them is recorded.

A model's parameters are numbered before the graph walk (inputs first, then
parameters, by position), and the walk's Value-to-number dict used to get an
entry per parameter at once: for a layered model (33 weights per neuron) that
dict took 3.4-5 us of CPU per dot node to build, about half the walk (2
cores). Yet a layer's dot nodes never look their weights up one by one
(`dot_rows` compares a row with a slice of the parameter list), so most
parameters need no entry at all. Here their identities are sorted once in
numpy (C-level, about 0.5 us per dot node), which also shows whether a Value
is given twice; the rare parameter the walk meets on its general path is found
by binary search and then entered in the dict. Past a budget of such lookups
every parameter is entered at once, as before, so a graph that reads its
parameters one by one (binary ops) costs at most a few searches more.

Fewer parameters (from `SET_PARAMETERS` up to `LAZY_PARAMETERS`) are not
sorted (a dozen numpy calls on cold caches cost more than they save there):
a set of them shows they are distinct, and they are all entered in the dict at
the first lookup by identity; a layered model's rows need none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..value import Value

try:  # numpy is an optional extra: without it every parameter gets its dict entry at once
    import numpy as np

    from .identities import identities
except ImportError:  # pragma: no cover
    np = None  # type: ignore[assignment]

#: At least this many parameters: numbered lazily (fewer: a dict entry apiece at once costs little). At 1,056
#: parameters (a layer of 32 neurons) the index alone took 13 us and the dict 45 (2 cores, Python 3.11), yet a
#: whole record took 30-60 us longer lazily: its dozen numpy calls, and one per search, run on cold caches there.
LAZY_PARAMETERS = 2048
#: Lookups by binary search (a numpy call each, about a microsecond, as long as 10-20 dict entries take to make)
#: allowed per this many parameters, before every parameter is entered at once: at most about half again the dict's
#: cost when a graph reads its parameters one by one. A layered model needs about one per layer.
LOOKUPS_PER = 32
#: At least this many parameters (and fewer than `LAZY_PARAMETERS`): checked distinct by a set of them and entered
#: in the dict only when the walk first looks one up by identity. A layer's rows find their weights by position
#: (`dot_rows`), so a layered model's record often looks none up: at 1,056 parameters (cold, after a collection;
#: 2 cores, Python 3.11) the set took 11 us where the dict's entries took 39.
SET_PARAMETERS = 256


class GivenIndex:
    """Finds the node number of a parameter (``first + its position``), entering it in ``number`` when found."""

    __slots__ = ("parameters", "first", "number", "ids", "order", "lookups", "budget", "members")

    def __init__(self, parameters: list[Value], first: int, number: dict[Value, int], ids: Any, order: Any,
                 members: set[Value] | None = None) -> None:
        """``ids``: the parameters' ids sorted; ``order``: each sorted id's position in ``parameters``. Or, with
        ``ids`` None, ``members``: the parameters as a set (entered in ``number`` at the first one looked up)."""
        self.members = members
        self.parameters = parameters
        self.first = first
        self.number = number
        self.ids: Any = ids  # the parameters' ids, sorted; None once every parameter is in ``number``
        self.order = order  # per sorted id, the parameter's position
        self.lookups = 0
        self.budget = max(64, len(parameters) // LOOKUPS_PER)

    def find(self, v: Value) -> int | None:
        """The node number of ``v`` if it is a parameter (now also in ``number``), else None."""
        members = self.members
        if members is not None:
            if v not in members:
                return None
            self.enter_all()
            return self.number[v]
        ids = self.ids
        if ids is None:
            return self.number.get(v)
        self.lookups += 1
        if self.lookups > self.budget:
            self.enter_all()
            return self.number.get(v)
        key = ids.dtype.type(id(v))  # a numpy scalar: a Python int would make numpy convert the whole array
        i = int(ids.searchsorted(key))
        if i < len(ids) and ids[i] == key:
            n = self.number[v] = self.first + int(self.order[i])
            return n
        return None

    def enter_all(self) -> None:
        """Number every parameter in ``number`` (the walk then needs no more searches)."""
        if self.ids is not None or self.members is not None:
            self.number.update(zip(self.parameters, range(self.first, self.first + len(self.parameters))))
            self.ids = self.order = self.members = None


def index_given(inputs: Sequence[Value], parameters: list[Value], number: dict[Value, int],
                leaf_parameters: bool = False) -> GivenIndex | None:
    """Number ``inputs`` in ``number`` (0, 1, ...) and index ``parameters`` (numbered after them) for lazy lookup,
    when there are many parameters (from `SET_PARAMETERS` on, by a set of them; from `LAZY_PARAMETERS` on with
    numpy installed, by their sorted identities) and every given Value is a leaf given once; else None and
    ``number`` untouched. ``leaf_parameters``: the parameters are known to be leaves (not checked again)."""
    by_set = len(parameters) < LAZY_PARAMETERS or np is None
    if len(parameters) < SET_PARAMETERS or number:
        return None
    if [v._a for v in inputs].count(None) != len(inputs) or not (
            leaf_parameters or [v._a for v in parameters].count(None) == len(parameters)):
        return None
    if by_set:
        members = set(parameters)
        if len(members) != len(parameters) or not members.isdisjoint(inputs):
            return None
        number.update(zip(inputs, range(len(inputs))))
        if len(number) != len(inputs):
            number.clear()
            return None
        return GivenIndex(parameters, len(inputs), number, None, None, members)
    ids = identities(parameters)  # the list's own pointer table: no Python int per parameter
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    if len(ids) > 1 and bool((ids[1:] == ids[:-1]).any()):
        return None
    input_ids = np.fromiter(map(id, inputs), dtype=np.uint64, count=len(inputs))
    if len(input_ids):  # an input also given as a parameter (binary search: isin would hash every parameter)
        at = ids.searchsorted(input_ids).clip(0, len(ids) - 1)
        if bool((ids[at] == input_ids).any()):
            return None
    number.update(zip(inputs, range(len(inputs))))
    if len(number) != len(inputs):
        number.clear()
        return None
    return GivenIndex(parameters, len(inputs), number, ids, order)
