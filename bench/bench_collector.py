"""What a full collection costs per live object, where its schedule lands, and what spacing costs in memory.

    python bench/bench_collector.py walk [--nodes 1000000]
    python bench/bench_collector.py schedule [--nodes 1000000] [--spacing 1]
    python bench/bench_collector.py peak [--nodes 1000000] [--spacing 1|off] [--rounds 1]

The figures behind docs/semantics.md's collector section (issue 12, goal 5), each in this process:

``walk``: CPU time of ``gc.collect()`` per tracked object over a built wide graph (`bench_eager_scaling`'s
``wide``), three collections, for the engine's `Value` and for slotted stand-ins that differ in one thing
each: ``shared-data`` (every node's ``data`` is one shared float), ``data-ab`` (only ``data`` and the two
parent slots set), ``tuple-parents`` (the parents held in a tuple), and for a chain of the same size.
``schedule``: one build + backward of the wide graph, listing each full collection (the heap in allocated
blocks when it started, CPU ns per block walked) and what they cost per node; ``--spacing F`` scales the
heap `autograd.collector` spaces them by (F times further apart; 1 is the engine's policy).
``peak``: with a wide graph alive, a loop keeps the last 20,000 of many small reference cycles (an instance
and a list each) and drops the older ones; prints the peak of allocated blocks against the live heap
(``--spacing off`` removes the hook: plain CPython).
"""

from __future__ import annotations

import argparse
import collections
import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_eager_scaling as scaling  # noqa: E402

import autograd.collector as collector  # noqa: E402

_SHARED = 0.5
WALK_KINDS = ("value", "chain", "shared-data", "data-ab", "tuple-parents")


class _Node:
    """A slotted stand-in for a `Value` (the same six slots), filled differently by each variant."""

    __slots__ = ("data", "grad", "op", "a", "b", "label")


def _maker(kind: str) -> Callable[..., _Node]:
    """A node constructor for one ``walk`` variant."""

    def make(data: float, op: str = "", a: _Node | None = None, b: _Node | None = None) -> _Node:
        node = _Node()
        node.data = _SHARED if kind == "shared-data" else data
        node.a = a
        if kind == "data-ab":
            node.b = b
            return node
        node.grad = 0.0
        node.op = op
        node.label = ""
        if kind == "tuple-parents":
            node.a = (a, b) if a is not None else None  # type: ignore[assignment]
            node.b = None
        else:
            node.b = b
        return node

    return make


def build_variant(n: int, kind: str, width: int = 64) -> _Node:
    """`bench_eager_scaling.build_bare`'s wide graph made of `_Node` stand-ins of one variant."""
    root: _Node = scaling.build_bare(n, width, _maker(kind))[0]
    return root


def _collect_seconds() -> float:
    """CPU seconds of one full collection."""
    start = time.process_time()
    gc.collect()
    return time.process_time() - start


def walk_one(n: int, kind: str) -> None:
    """Print gc.collect() CPU ns per tracked object over one variant's graph, three collections."""
    gc.collect()
    empty = min(_collect_seconds() for _ in range(3))
    graph: object
    if kind == "value":
        graph = scaling.build_wide(n)[0]
    elif kind == "chain":
        graph = scaling.build_chain(n)[0]
    else:
        graph = build_variant(n, kind)
    tracked = len(gc.get_objects())
    figures = [(_collect_seconds() - empty) / tracked * 1e9 for _ in range(3)]
    print(f"  {kind:13} {tracked:>10,} tracked objects: " + " ".join(f"{f:5.0f}" for f in figures)
          + " ns per object per gc.collect()", flush=True)
    del graph


def walk(n: int) -> None:
    """Run `walk_one` for every variant, each in a fresh child process (a freed graph leaves its heap behind)."""
    for kind in WALK_KINDS:
        out = subprocess.run([sys.executable, __file__, "walk", "--nodes", str(n), "--kind", kind],
                             capture_output=True, text=True, check=True)
        print(out.stdout.split("\n", 1)[1], end="", flush=True)


def space(spacing: str) -> None:
    """Scale the heap the collector spaces full collections by (``off``: remove the hook)."""
    if spacing == "off":
        collector.uninstall()
        return
    factor = float(spacing)
    if factor != 1.0:
        walked = collector.walked_blocks
        collector.walked_blocks = lambda: int(factor * walked())  # type: ignore[assignment]


def schedule(n: int) -> None:
    """Print each full collection of one wide build + backward, and their cost per node."""
    events: list[tuple[int, float]] = []
    started = [0.0, 0.0]

    def clock(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started[:] = [time.process_time(), sys.getallocatedblocks()]
            else:
                events.append((int(started[1]), time.process_time() - started[0]))

    gc.collect()
    gc.callbacks.insert(0, clock)
    start = time.process_time()
    root, nodes = scaling.build_wide(n)
    root.backward()  # type: ignore[attr-defined]
    total = time.process_time() - start
    gc.callbacks.remove(clock)
    full = sum(seconds for _, seconds in events)
    print(f"  {nodes:,} nodes: {total / nodes * 1e9:.0f} ns/node, of which full collections"
          f" {full / nodes * 1e9:.0f}")
    for blocks, seconds in events:
        print(f"    full collection at {blocks:>11,} blocks: {seconds / blocks * 1e9:4.0f} ns per block")


def peak(n: int, rounds: int) -> None:
    """Print the peak of allocated blocks while long-lived cycles are dropped beside a live wide graph."""

    class Cycle:
        """A reference cycle with a small list: refcounting alone never frees it."""

        def __init__(self) -> None:
            self.me = self
            self.payload = [0.0] * 4

    root, _ = scaling.build_wide(n)
    gc.collect()
    live = sys.getallocatedblocks()
    window: collections.deque[Cycle] = collections.deque()
    kept = 20_000
    top = 0
    for i in range(rounds * max(live, 300_000)):  # each round makes about 5x the heap's blocks
        window.append(Cycle())
        if len(window) > kept:
            window.popleft()
        if i % 64 == 0:
            top = max(top, sys.getallocatedblocks())
    held = 3 * kept  # the window's own cycles, alive
    print(f"  live heap {live:,} blocks; peak {top:,}: {(top - held) / live:.2f}x the live heap")
    del root


def main() -> None:
    """Parse the command line and run one measurement."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["walk", "schedule", "peak"])
    parser.add_argument("--nodes", type=int, default=1_000_000, help="op nodes of the graph (default 1,000,000)")
    parser.add_argument("--spacing", default="1", help="scale of the spacing of full collections, or 'off'")
    parser.add_argument("--rounds", type=int, default=1, help="peak: how long the loop of cycles runs")
    parser.add_argument("--kind", choices=WALK_KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.nodes < 1:
        parser.error(f"--nodes must be positive, got {args.nodes}")
    if args.spacing != "off":
        try:
            if float(args.spacing) <= 0:
                raise ValueError
        except ValueError:
            parser.error(f"--spacing must be a positive number or 'off', got {args.spacing!r}")
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    print(f"{args.what}: Python {sys.version.split()[0]}, {args.nodes:,} nodes, spacing {args.spacing}", flush=True)
    space(args.spacing)
    if args.what == "walk":
        if args.kind:
            walk_one(args.nodes, args.kind)
        else:
            walk(args.nodes)
    elif args.what == "schedule":
        schedule(args.nodes)
    else:
        peak(args.nodes, args.rounds)


if __name__ == "__main__":
    main()
