"""Comparisons made while a graph is being recorded for replay (`autograd.replay.record`).

A recorded graph bakes in every branch the model's Python code took. When
that code compares Values (``if s > 0``, ``max(logits)``), the comparison and
its result are logged here, and the replayer re-checks them on every run, so
inputs that would take another branch raise instead of returning wrong
gradients. Comparisons on ``.data`` floats cannot be seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guard:
    """One comparison: ``left <op> right`` evaluated to ``result`` when recorded."""

    left: Any  # a Value or a float
    op: str  # one of < <= > >=
    right: Any
    result: bool


class _Recorder:
    """Holds the guard log of the recording in progress, or None."""

    __slots__ = ("guards",)

    def __init__(self) -> None:
        self.guards: list[Guard] | None = None


RECORDER = _Recorder()
