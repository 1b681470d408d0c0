"""Comparisons made while a graph is being recorded for replay (`autograd.replay.record`).

A recorded graph bakes in every branch the model's Python code took. When
that code compares Values (``if s > 0``, ``max(logits)``), the comparison and
its result are logged here, and the replayer re-checks them on every run, so
inputs that would take another branch raise instead of returning wrong
gradients. Comparisons on ``.data`` floats cannot be seen.

The core engine knows nothing of this: `start_recording` (what `record` calls; `recording_guards` and
`leaves_made` are the same as context managers) installs a comparison observer and a leaf observer in
`autograd.value.OBSERVERS` until `stop_recording`.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..value import OBSERVERS, Value
from .errors import ReplayError, TracerWarning


@dataclass(frozen=True)
class Guard:
    """One comparison: ``left <op> right`` evaluated to ``result`` when recorded."""

    left: Any  # a Value or a float
    op: str  # one of < <= > >=
    right: Any
    result: bool


@contextmanager
def recording_guards() -> Iterator[list[Guard]]:
    """Log every Value comparison made inside the block into the yielded list.

    For the length of the block this thread also warns (`TracerWarning`) where the recorded code
    takes a number out of a Value: ``float(v)``, ``v.item()``, or reading ``v.data`` outside the engine.
    """
    if OBSERVERS.comparison is not None:
        raise ReplayError("record() cannot be nested")
    guards: list[Guard] = []
    OBSERVERS.comparison = _comparison_logger(guards)
    _RECORDING.active = True
    _watch_data_reads(True)
    try:
        yield guards
    finally:
        _watch_data_reads(False)
        OBSERVERS.comparison = None
        _RECORDING.active = False


@contextmanager
def leaves_made() -> Iterator[set[Value]]:
    """Collect every leaf this thread makes inside the block (a recorded function's zero state, one-hots)."""
    if OBSERVERS.leaf_made is not None:
        raise ReplayError("record() cannot be nested")
    made: set[Value] = set()
    OBSERVERS.leaf_made = _leaf_logger(made)
    try:
        yield made
    finally:
        OBSERVERS.leaf_made = None


def start_recording() -> tuple[list[Guard], set[Value]]:
    """What ``with recording_guards() as guards, leaves_made() as made:`` sets up, as one plain call (`record`
    pairs it with `stop_recording` in a ``finally``): the two generator-based context managers cost more than the
    rest of setting up a recording (15-25 us of a 100-node record on cold caches, 2 cores; issue 12 goal 1)."""
    if OBSERVERS.comparison is not None or OBSERVERS.leaf_made is not None:
        raise ReplayError("record() cannot be nested")
    guards: list[Guard] = []
    made: set[Value] = set()
    OBSERVERS.comparison = _comparison_logger(guards)
    OBSERVERS.leaf_made = _leaf_logger(made)
    _RECORDING.active = True
    _watch_data_reads(True)
    return guards, made


def stop_recording() -> None:
    """Undo `start_recording`."""
    _watch_data_reads(False)
    OBSERVERS.leaf_made = None
    OBSERVERS.comparison = None
    _RECORDING.active = False


def _comparison_logger(guards: list[Guard]) -> Callable[[Value, str, Value | float, bool], None]:
    """The comparison observer that appends each comparison to ``guards``."""

    def observe(left: Value, op: str, right: Value | float, result: bool) -> None:
        guards.append(Guard(left, op, right, result))

    return observe


def _leaf_logger(made: set[Value]) -> Callable[[Value, tuple[Value, ...]], None]:
    """The leaf observer that adds each leaf made to ``made``."""

    def observe(leaf: Value, sources: tuple[Value, ...]) -> None:
        # A leaf computed under no_grad or by detach from an input or a parameter holds a number that replays
        # will not follow (as float(v) does): warned about where the recorded function made it.
        if any(not (s.is_constant or s in made) for s in sources):
            warnings.warn(_BAKED, TracerWarning, stacklevel=_first_frame_outside_engine())
        made.add(leaf)

    return observe


_RECORDING = threading.local()  # this thread is recording a tape: float(v) there is worth a warning
_MESSAGE = (
    "a Value was converted to a Python {kind} while recording a tape ({how}): the tape treats that number as"
    " a constant, so replays will not follow it: use Value ops (or Value comparisons, which are re-checked)"
)


_BAKED = (
    "a Value computed under no_grad or by detach() while recording a tape depends on an input or a parameter:"
    " the tape treats its number as a constant, so replays will not follow it (compute it with Value ops, or"
    " pass it in constants= if it is meant to stay fixed)"
)


def _first_frame_outside_engine() -> int:
    """The ``stacklevel`` (as seen by the caller's ``warnings.warn``) of the nearest frame outside the engine."""
    frame = sys._getframe(2)
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_ENGINE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


def _warn(how: str, stacklevel: int, kind: str = "float") -> None:
    warnings.warn(_MESSAGE.format(how=how, kind=kind), TracerWarning, stacklevel=stacklevel + 1)


_eager_float = Value.__float__
_eager_item = Value.item


def _warning_float(self: Value) -> float:
    """``float(v)`` (also ``math.tanh(v)``, which calls it): while recording, warn that the number is baked in."""
    if getattr(_RECORDING, "active", False):
        _warn("float(v), math.tanh(v), ...", 2)  # the line of the recorded function that converted it
    return _eager_float(self)


def _warning_item(self: Value) -> float:
    """``v.item()``: while recording, warn as `_warning_float` does."""
    if getattr(_RECORDING, "active", False):
        _warn("v.item()", 2)
    return _eager_item(self)


Value.__float__ = _warning_float  # type: ignore[method-assign]
Value.item = _warning_item  # type: ignore[method-assign]

# Reading .data (sorting by it, branching on it) cannot be seen from the engine's own reads, which go through
# the slot's engine name (`Value._data`). ``Value.data`` is a property whose getter is C-level (an attrgetter of
# that name); while some thread records, its getter is `_read_data`, which warns when the reading line is outside
# the engine. Outside recording the property holds the C-level getter: eager code pays nothing.
#
# The getter is swapped inside the one property object (`property.__init__` again, same setter and doc), not by
# setting a new property on the class: setting a class attribute gives ``Value`` a new type version, and every
# attribute read or write on a Value that the interpreter had specialised (the engine's ``out._data = ...``, the
# graph walk's ``node._a``) then misses and runs generically until it specialises again, about 50 times per
# site. A record sets it twice (start and end), so a 100-node record ran most of its engine ops and of its walk
# unspecialised: cachegrind counted 2.0 million instructions per record of a 103-node graph, 1.4 without the
# swap (issue 12 goal 1). A property is never specialised by Python 3.11's interpreter, so no site depends on
# which getter it holds; Python 3.12 may specialise a site to call `_read_data` while it is installed, and that site
# then keeps calling it after a recording: a correct read (it warns only while this thread records), only slower.
_DATA_PROPERTY = Value.__dict__["data"]
assert isinstance(_DATA_PROPERTY, property)  # set in autograd.value: reads C-level, writes checked
_PLAIN_READ = _DATA_PROPERTY.fget
_CHECKED_WRITE = _DATA_PROPERTY.fset
_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_watchers = 0
_watch_lock = threading.Lock()


def _read_data(self: Value) -> float:
    """``v.data`` while some thread records: warns if this thread records and the reading line is not the engine's."""
    if getattr(_RECORDING, "active", False):
        caller = sys._getframe(1).f_code.co_filename
        if not caller.startswith(_ENGINE_DIR):
            _warn("reading v.data, sorting or branching by it", 2, kind="float (v.data)")
    return self._data


def _watch_data_reads(on: bool) -> None:
    """Count the recordings under way (any thread); ``Value.data`` reads through `_read_data` while there is one."""
    global _watchers
    with _watch_lock:
        _watchers += 1 if on else -1
        wanted = _read_data if _watchers else _PLAIN_READ
        if _DATA_PROPERTY.fget is not wanted:
            property.__init__(_DATA_PROPERTY, wanted, _CHECKED_WRITE, None, _DATA_PROPERTY.__doc__)
