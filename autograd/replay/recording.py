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

import threading
import warnings
from collections.abc import Iterator
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
    """Log every Value comparison made inside the block into the yielded list."""
    if OBSERVERS.comparison is not None:
        raise ReplayError("record() cannot be nested")
    guards: list[Guard] = []

    def observe(left: Value, op: str, right: Value | float, result: bool) -> None:
        guards.append(Guard(left, op, right, result))

    OBSERVERS.comparison = observe
    _RECORDING.active = True
    try:
        yield guards
    finally:
        OBSERVERS.comparison = None
        _RECORDING.active = False


_RECORDING = threading.local()  # this thread is recording a tape: float(v) there is worth a warning
_eager_float = Value.__float__


def _warning_float(self: Value) -> float:
    """``float(v)`` (also ``math.tanh(v)``, which calls it): while recording, warn that the number is baked in."""
    if getattr(_RECORDING, "active", False):
        warnings.warn(
            "a Value was converted to a Python float while recording a tape (float(v), math.tanh(v), ...):"
            " the tape treats that number as a constant, so replays will not follow it: use Value ops instead",
            TracerWarning,
            stacklevel=2,  # the line of the recorded function that converted it
        )
    return _eager_float(self)


Value.__float__ = _warning_float  # type: ignore[method-assign]
