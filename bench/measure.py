"""Timing for the benchmark: contenders run interleaved in one process, medians, collector cost billed fairly.

Billing the cyclic collector: a contender that makes cyclic garbage (micrograd's
closures hold each node in a cycle) is only done freeing it once the collector
has run; left uncollected, that bill would land on whichever contender runs
next. So every timed run of a contender marked ``makes_garbage`` ends with
``gc.collect()``, timed as part of its run. The heap as it is before a row's
rounds (modules, models, PyTorch, JAX) is frozen (``gc.freeze()``) for the
rounds and unfrozen after, so neither those collections nor the automatic ones
during a run walk objects nobody's run made: each contender pays for
collecting what its own run made, and nothing else. Nor does the frozen heap
change how often automatic full collections come: it is frozen through
`autograd.collector.freeze`, which leaves it out of the heap the engine's
collector policy spaces them by (before, PyTorch's and JAX's frozen heap
spaced them ~10x further apart than in a process without them, and
micrograd's W1 step, whose graph is cyclic, skipped the ~2 full
collections it pays in a plain process). Contenders that make no
Python garbage cycles (replay, batch replay, PyTorch, JAX) are timed without
the trailing collect.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd import collector


@dataclass
class Contender:
    """One column of one row: a callable to time, or why there is none."""

    run: Callable[[], Any] | None = None
    note: str = ""  # shown under the table: why the cell is empty, or what the cell means
    makes_garbage: bool = True
    max_rounds: int | None = None  # for a contender so slow that a few rounds are all one can afford
    unit: float = 1.0  # divide the time by this (per node instead of per run)
    compile_seconds: float | None = None  # JAX: the first call's tracing + compiling, reported apart


def interleaved(contenders: dict[str, Contender], rounds: int) -> dict[str, float]:
    """Median seconds per run (over ``unit``) for each runnable contender, alternating them every round."""
    runnable = {name: c for name, c in contenders.items() if c.run is not None}
    times: dict[str, list[float]] = {name: [] for name in runnable}
    gc.collect()
    collector.freeze()
    try:
        for k in range(rounds):
            for name, c in runnable.items():
                if c.max_rounds is not None and k >= c.max_rounds:
                    continue
                assert c.run is not None
                start = time.perf_counter()
                c.run()
                if c.makes_garbage:
                    gc.collect()
                times[name].append((time.perf_counter() - start) / c.unit)
    finally:
        collector.unfreeze()
    return {name: statistics.median(ts) for name, ts in times.items()}


if __name__ == "__main__":  # run by mistake (`python bench/measure.py --help` printed nothing and exited 0)
    raise SystemExit("measure.py is a module the benchmark scripts import, not a benchmark: run "
                     "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
