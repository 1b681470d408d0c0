"""Switching graph recording off and on: `no_grad()`, as in PyTorch."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: How many threads have recording switched off right now (index 0; a list so that the engine's hot path
#: reads it with one subscript). While it is 0, which is all of the time in most programs, every op knows
#: recording is on without reading the thread-local flag (a thread-local read costs about 40 ns, a tenth of
#: making a node). It counts the live `_Off` tokens: a thread with recording off holds one in its
#: thread-local state, so a thread that ends inside a `no_grad` block gives its token back as it goes.
THREADS_WITHOUT_GRAD = [0]
_COUNT_LOCK = threading.RLock()  # re-entrant: a token freed by a collection inside the lock must not deadlock


class _Off:
    """Held by a thread while its recording is off; counted in `THREADS_WITHOUT_GRAD` while it lives."""

    def __init__(self) -> None:
        with _COUNT_LOCK:
            THREADS_WITHOUT_GRAD[0] += 1

    def __del__(self) -> None:
        with _COUNT_LOCK:
            THREADS_WITHOUT_GRAD[0] -= 1


class _GradMode(threading.local):
    """The flag every op reads: when off, ops make plain leaves.

    Thread-local, as in PyTorch: a `no_grad` block in one thread (an evaluator)
    never switches recording off in another (a trainer), and every new thread
    starts with recording on (the class attribute is each thread's default).
    Setting ``enabled`` keeps `THREADS_WITHOUT_GRAD` up to date.
    """

    _enabled: bool = True
    _off: _Off | None = None

    @property
    def enabled(self) -> bool:
        """Whether ops in this thread record the graph."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        value = bool(value)
        if not value and self._off is None:
            self._off = _Off()
        elif value:
            self._off = None  # the token is dropped (and uncounted) here, outside any lock
        self._enabled = value


GRAD_MODE = _GradMode()


def recording() -> bool:
    """Whether ops in this thread record the graph: the engine's check, without a thread-local read mostly."""
    return not THREADS_WITHOUT_GRAD[0] or GRAD_MODE._enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Run a block without recording a graph (evaluation, parameter updates).

    Values computed inside are leaves: they have data but no parents, so they
    cost no memory for the graph and `backward()` through them stops there.
    Nesting is allowed; the previous mode is restored on exit, even on error.
    """
    previous = GRAD_MODE.enabled
    GRAD_MODE.enabled = False
    try:
        yield
    finally:
        GRAD_MODE.enabled = previous


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record the graph inside this block even within a `no_grad` block (PyTorch's ``enable_grad``).

    ``grad(..., create_graph=True)`` runs its backward pass under it, as PyTorch's
    engine does: asking for a graph of the gradient records one whatever the mode.
    """
    previous = GRAD_MODE.enabled
    GRAD_MODE.enabled = True
    try:
        yield
    finally:
        GRAD_MODE.enabled = previous


def is_grad_enabled() -> bool:
    """Return whether ops currently record the graph."""
    return GRAD_MODE.enabled
