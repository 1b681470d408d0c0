"""Comparisons made while a graph is being recorded for replay (`autograd.replay.record`).

A recorded graph bakes in every branch the model's Python code took. When
that code compares Values (``if s > 0``, ``max(logits)``), the comparison and
its result are logged here, and the replayer re-checks them on every run, so
inputs that would take another branch raise instead of returning wrong
gradients. Comparisons on ``.data`` floats cannot be seen.

The core engine knows nothing of this: `recording_guards` installs a
comparison observer in `autograd.value.OBSERVERS` for the length of a recording.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

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

    def observe(left: Value, op: str, right: Value | float, result: bool) -> None:
        guards.append(Guard(left, op, right, result))

    OBSERVERS.comparison = observe
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

    def observe(leaf: Value, sources: tuple[Value, ...]) -> None:
        # A leaf computed under no_grad or by detach from an input or a parameter holds a number that replays
        # will not follow (as float(v) does): warned about where the recorded function made it.
        if any(not (s.is_constant or s in made) for s in sources):
            warnings.warn(_BAKED, TracerWarning, stacklevel=_first_frame_outside_engine())
        made.add(leaf)

    OBSERVERS.leaf_made = observe
    try:
        yield made
    finally:
        OBSERVERS.leaf_made = None


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

# Reading .data (sorting by it, branching on it) cannot be seen from the slot itself, which the engine's
# hot path reads directly. While some thread records, the slot is wrapped in a property that warns when
# the reading line is outside the engine (the engine reads every operand's data to compute: that is what
# the tape records). Outside recording the class holds the plain slot: eager code pays nothing.
_DATA_SLOT = Value.__dict__["data"]
_ENGINE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_watchers = 0
_watch_lock = threading.Lock()


def _read_data(self: Value) -> float:
    if getattr(_RECORDING, "active", False):
        caller = sys._getframe(1).f_code.co_filename
        if not caller.startswith(_ENGINE_DIR):
            _warn("reading v.data, sorting or branching by it", 2, kind="float (v.data)")
    return cast(float, _DATA_SLOT.__get__(self, Value))


def _write_data(self: Value, value: float) -> None:
    _DATA_SLOT.__set__(self, value)


_WATCHED_DATA = property(_read_data, _write_data, doc=_DATA_SLOT.__doc__)


def _watch_data_reads(on: bool) -> None:
    """Count the recordings under way (any thread); the property is installed while there is one."""
    global _watchers
    with _watch_lock:
        _watchers += 1 if on else -1
        wanted = _WATCHED_DATA if _watchers else _DATA_SLOT
        if Value.__dict__["data"] is not wanted:
            type.__setattr__(Value, "data", wanted)
