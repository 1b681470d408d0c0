"""Switching graph recording off and on: `no_grad()`, as in PyTorch."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _GradMode(threading.local):
    """The flag every op reads: when off, ops make plain leaves.

    Thread-local, as in PyTorch: a `no_grad` block in one thread (an evaluator)
    never switches recording off in another (a trainer), and every new thread
    starts with recording on (the class attribute is each thread's default).
    """

    enabled: bool = True


GRAD_MODE = _GradMode()


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
