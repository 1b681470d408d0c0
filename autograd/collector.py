"""Keep Python's cyclic collector from making graph building slower per node as the graph grows.

Why: every node of a graph is an object the cyclic collector tracks. CPython
(3.8-3.13) runs a full collection whenever the objects that survived into its
oldest generation have grown by 25% since the last one, so building a graph of
N nodes re-traverses the whole live graph about five times over, and a
traversal costs more per object once the graph outgrows the CPU caches: the
per-node cost of building climbed from about 1 us at a thousand nodes to over
4 us at ten million, most of it spent walking nodes that are alive.

What: one `gc.callbacks` hook, installed when the engine is imported, looks at
each *full* collection as it ends (young collections are never touched). It
sets the oldest generation's threshold to the heap's size in allocated blocks
(`sys.getallocatedblocks()`) divided by threshold0 * threshold1, when that is
above the program's own threshold2: the next full collection then comes only
after as many new allocations of tracked objects as the heap holds blocks. A
graph's nodes each bring a float too (two blocks per tracked object), so full
collections run at heap sizes N, 3.4N, 12N ... (measured in blocks while a wide
graph is built) instead of N, 1.25N, 1.56N ...: each live object is traversed
0.4 to 1.4 times while a graph is built, depending on where its size falls in
that schedule, instead of about five times. A heap frozen
through `freeze` (`gc.freeze()`, noted) is never walked, so its blocks are
left out (`walked_blocks`). Young
collections keep their thresholds and stay small and cache-friendly. Once a
full collection finds the heap small again (the graph was dropped), the
program's own thresholds are put back exactly.

Trade-off (stated in docs/semantics.md): while a large heap lives, cyclic
garbage that lived long enough to reach the oldest generation (the engine makes
none; a user's own reference cycles) waits longer to be reclaimed: until as
many tracked objects have been allocated as the heap holds blocks. The bound is
in objects, not bytes, so the memory it can hold depends on the garbage: with a
1,000,000-node graph alive (3.1 million blocks) and a program dropping cycles
of an instance and a list (about five blocks per cycle; `bench/bench_collector.py
peak`), the peak was 3.4 times
the live heap, against 1.3 times with the hook removed (2.7 times higher; 5.9
times the heap if the spacing were doubled, which is why it is not). Nothing is
leaked, and an explicit ``gc.collect()`` still collects everything at once.
Thresholds the
program sets itself are respected: if ``gc.set_threshold`` was called since
the hook last raised them, the program's values become the ones the hook
scales from and puts back. ``gc.disable()`` is untouched (a disabled collector runs no
automatic collections, so the hook is never called by them).
"""

from __future__ import annotations

import gc
import sys
from typing import Any

# The oldest generation's threshold never goes beyond this many middle-generation collections
# (with the default 700 and 10: a full collection at least every 7 billion allocations).
MAX_THRESHOLD2 = 1_000_000


class _Policy:
    """The hook's state: the program's own thresholds while raised ones are in force."""

    def __init__(self) -> None:
        self.saved: tuple[int, int, int] | None = None  # the program's thresholds while ours are in force
        self.ours: tuple[int, int, int] | None = None  # what we last set, to notice the program changing them
        self.frozen_blocks = 0  # blocks set aside by `freeze`: no collection walks them

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        """`gc.callbacks` entry: after each full collection, raise or restore the oldest generation's threshold."""
        if phase != "stop" or info.get("generation") != 2:
            return
        current = gc.get_threshold()
        if self.ours is not None and current != self.ours:
            # The program set its own thresholds meanwhile: they win, and become the baseline.
            self.saved = None
            self.ours = None
        base = self.saved if self.saved is not None else current
        if base[0] == 0:
            return  # a zero threshold disables automatic collection: leave it so
        # A full collection comes after threshold0 * threshold1 * threshold2 allocations of tracked objects:
        # scale threshold2 so that is about the size of the heap it walks. Young collections keep their thresholds.
        wanted = min(MAX_THRESHOLD2, walked_blocks() // max(1, base[0] * base[1]))
        if wanted > base[2]:
            raised = (base[0], base[1], wanted)
            if self.saved is None:
                self.saved = base
            if raised != current:
                gc.set_threshold(*raised)
            self.ours = raised
        elif self.saved is not None:
            gc.set_threshold(*self.saved)
            self.saved = None
            self.ours = None

    def restore(self) -> None:
        """Put the program's own thresholds back now (a program that wants them back; the tests)."""
        if self.saved is not None:
            if gc.get_threshold() == self.ours:
                gc.set_threshold(*self.saved)
            self.saved = None
            self.ours = None


def walked_blocks() -> int:
    """The heap a full collection walks, in allocated blocks: all of them, less those of a heap frozen
    through `freeze` (never walked, so it must not space full collections out)."""
    return max(0, sys.getallocatedblocks() - POLICY.frozen_blocks)


def freeze() -> None:
    """`gc.freeze()`, with the frozen heap left out of the spacing of full collections until `unfreeze`.

    Frozen objects (a program's imports frozen before it forks; the benchmark's PyTorch and JAX) are never
    walked by a collection, so counting their blocks would space full collections by a heap no collection
    pays for: with torch and JAX frozen, about 800,000 blocks, a full collection came only every 800,000
    allocations even while the walked heap was a few thousand objects (and cyclic garbage waited that long).
    Plain `gc.freeze()` still works; its heap is then counted as before (CPython can count frozen objects
    only by walking them all, which would cost every full collection the time of a walk of the frozen heap).
    """
    gc.freeze()
    POLICY.frozen_blocks = sys.getallocatedblocks()


def unfreeze() -> None:
    """`gc.unfreeze()`: the heap `freeze` set aside is walked, and counted, again."""
    gc.unfreeze()
    POLICY.frozen_blocks = 0


POLICY = _Policy()


def install() -> None:
    """Add the hook to `gc.callbacks` once (idempotent)."""
    if POLICY not in gc.callbacks:
        gc.callbacks.append(POLICY)


def uninstall() -> None:
    """Remove the hook and put the program's own thresholds back."""
    POLICY.restore()
    while POLICY in gc.callbacks:
        gc.callbacks.remove(POLICY)


__all__ = ["POLICY", "install", "uninstall", "freeze", "unfreeze", "walked_blocks", "MAX_THRESHOLD2"]
