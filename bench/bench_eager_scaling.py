"""Eager cost per node as the graph grows: build + backward at 1,000 to 10,000,000 nodes.

    python bench/bench_eager_scaling.py [--max 10000000] [--policy on|off|gc-off]

Three shapes: a chain (``y = y * 0.999 + x``, one long path); a wide MLP-like
graph (layers of 64 neurons, each a sum of 64 products of fresh weight leaves
with the previous layer, then tanh; at least one layer, so its smallest size
is 8,319 nodes); and ``bare``, the same wide graph made of plain slotted
objects (`_Bare`, the same slots as a `Value`) with float arithmetic and the
engine's backward algorithm written out, no engine at all: the baseline of
what the interpreter, the memory system and the cyclic collector cost for
that many objects. Each size runs in a fresh child process, so one size's
heap never slows the next; the figure is the median over rounds of (build +
backward CPU time of this process) / op nodes: CPU time, not wall time, so
other processes on a busy machine do not count (they still share the caches).
"full GC" is the part spent in the cyclic collector's full collections
(timed by a `gc.callbacks` hook). ``--policy`` picks the collector setup:
``on`` (the engine's default: `autograd.collector` installed), ``off`` (the
hook removed: plain CPython thresholds), ``gc-off`` (the cyclic collector
disabled, the floor).

What is left of the growth (one run per policy on a busy 2-core AMD EPYC VM,
2026-11-29 10:45-10:58, load 4.5-10, 1k / 100k / 1M / 10M nodes, ns per node;
figures swing ~20% run to run, and which sizes pay a full collection moves):

    Python 3.11  on      chain   493  729  631  622 (1.48x)
                         wide    802 1154 1590 1050 (1.98x; 1.12x leaving out full GC)
                          of which full GC   0  440  853  309
                         bare    761 1076 1491  950 (1.96x; full GC at 1M 847)
                 off     chain   521  687  922  936 (1.80x)
                         wide    947 1147 3541 4881 (5.16x; full GC at 10M 4116)
                         bare    568 1019 3131 4398 (7.75x)
                 gc-off  chain   441  465  495  501 (1.14x)
                         wide    721  594  600  603 (1.21x)
                         bare    551  505  521  525 (1.09x)
    Python 3.12.1 on     wide    881 1237 1729 1159 (1.96x; 1.03x leaving out full GC)
                         bare    754 1068 1586 1039 (2.10x)
    Python 3.13.0 on     wide    793  848 1497 1681 (2.12x; 1.13x leaving out full GC)
                         bare    676  772 1365 1619 (2.40x)

Before, backward counted each node's consumers in a dict keyed by node: at millions of nodes a hash
table read at a random place on every step, and the wide graph's cost grew 1.9x with the collector
off. It now keeps its bookkeeping in the nodes' own ``.grad`` slots (`autograd.backward`), and with
the collector off the wide graph is flat within 1.21-1.25x (the bare baseline: 1.09-1.35x). What
still grows with the default policy is the cyclic collector's full collections: each walks every
live tracked object (1.5 per op node of the wide graph: the nodes and the weight leaves).
`autograd.collector` spaces full collections so each object is walked 0.4 to 1.4 times while a graph
is built, not five times, but how much of that lands in a build depends on where the size falls in
that schedule (most at 1M nodes here, on 3.13 at 10M). The bare baseline, with no engine, pays the
same, on 3.11, 3.12 and 3.13 alike.

Branch gc26 measured why (`bench/bench_collector.py`), and kept no change to the engine or the schedule:

* A ``gc.collect()`` over a built wide graph of 1,000,000 nodes costs 440-600 ns of CPU per tracked
  object (3.11, 3.12, 3.13), against 80-330 at 20,000 nodes and 70-90 for a 1,000,000-node chain. The
  collector finds the nodes alive breadth first from the graph's roots, which for a wide graph jumps over
  a heap bigger than the caches (for a chain it sweeps memory in order), and reads each node's ``data``
  float: with one float shared by all nodes (which a Value cannot do) it is 270-330 ns. Fewer slots set
  (only ``data`` and the parents): unchanged; parents in a tuple: the same per node, with an extra object.
  So the node layout is not what costs, and a float per node is the API.
* Spacing full collections 2x or 4x further (over ten sizes from 300,000 to 8,000,000 nodes, full GC per
  node 290-860 as shipped, 120-780 at 2x, 60-550 at 4x) only moves which sizes are unlucky, while cyclic
  garbage that reached the oldest generation peaks higher: with a 1M-node graph alive and a loop dropping
  two-object cycles, 1.3x the live heap without the hook, 3.4x with it, 5.9x at 2x spacing.

So the wide row's 1.5x target is not met on CPython 3.11-3.13: avoiding the walk would take hiding the
graph from the collector (``gc.freeze()``, which also hides it from ``gc.get_objects()`` and an explicit
``gc.collect()``) or pausing the collector during user code.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [1_000, 100_000, 1_000_000, 10_000_000]


def build_chain(n: int) -> tuple[object, int]:
    """``n // 2`` steps of ``y = y * 0.999 + x``: n op nodes in one path."""
    from autograd import Value

    x = Value(0.5)
    y = x
    for _ in range(n // 2):
        y = y * 0.999 + x
    return y, 2 * (n // 2)


def build_wide(n: int, width: int = 64) -> tuple[object, int]:
    """Layers of ``width`` neurons (sum of w*h products, tanh) until about n op nodes; returns the summed output."""
    import random

    from autograd import Value

    rng = random.Random(0)
    h = [Value(rng.uniform(-1, 1)) for _ in range(width)]
    per_layer = width * (2 * width + 1)
    layers = max(1, n // per_layer)
    for _ in range(layers):
        h = [sum((Value(rng.uniform(-0.2, 0.2)) * hj for hj in h), Value(0.0)).tanh() for _ in range(width)]
    out = sum(h[1:], h[0])
    return out, layers * per_layer + width - 1


class _Bare:
    """A bare graph node, no engine: the same slots (so the same size) and references as a `Value`."""

    __slots__ = ("data", "grad", "op", "a", "b", "label")

    def __init__(self, data: float, op: str = "", a: _Bare | None = None, b: _Bare | None = None) -> None:
        self.data = data
        self.grad = 0.0
        self.op = op
        self.a = a
        self.b = b
        self.label = ""


def build_bare(n: int, width: int = 64, make: Callable[..., Any] | None = None) -> tuple[Any, int]:
    """The wide graph of `build_wide` made of `_Bare` nodes with plain float arithmetic (no engine); ``make``
    (data, op, a, b) builds each node instead (bench_collector's stand-ins, the same graph node for node)."""
    import math
    import random

    node = _Bare if make is None else make
    rng = random.Random(0)
    h = [node(rng.uniform(-1, 1)) for _ in range(width)]
    per_layer = width * (2 * width + 1)
    layers = max(1, n // per_layer)
    for _ in range(layers):
        out = []
        for _ in range(width):
            s = node(0.0)
            for hj in h:
                w = node(rng.uniform(-0.2, 0.2))
                product = node(w.data * hj.data, "*", w, hj)
                s = node(s.data + product.data, "+", s, product)
            out.append(node(math.tanh(s.data), "tanh", s))
        h = out
    root = h[0]
    for t in h[1:]:
        root = node(root.data + t.data, "+", root, t)
    return root, layers * per_layer + width - 1


class _Zero(float):
    """0.0 as a fresh object, so that ``is`` tells one mark from another."""

    __slots__ = ()


def backward_bare(root: _Bare) -> None:
    """The engine's backward pass stripped to its core, on `_Bare` nodes: post-order, then accumulate.

    Local derivatives are written out for the three ops; no op table, no checks.
    """
    visiting, done = _Zero(), _Zero()  # both equal 0.0: the first += needs no zeroing pass
    order = []
    stack = [root]
    while stack:
        node = stack[-1]
        if node.grad is done:
            stack.pop()
        elif node.grad is visiting:
            stack.pop()
            node.grad = done
            order.append(node)
        else:
            node.grad = visiting
            for p in (node.a, node.b):
                if p is not None and p.a is not None and p.grad is not done:
                    stack.append(p)
    root.grad = 1.0
    for node in reversed(order):
        g, op, a, b = node.grad, node.op, node.a, node.b
        if op == "tanh":
            a.grad += g * (1.0 - node.data * node.data)
        elif op == "*":
            a.grad += g * b.data
            b.grad += g * a.data
        else:
            a.grad += g
            b.grad += g


def one_size(shape: str, n: int, policy: str, rounds: int) -> tuple[float, float]:
    """Median ns per op node of build + backward in this process, and of that the median in full collections."""
    import autograd.collector as collector

    if policy == "off":
        collector.uninstall()
    build = {"chain": build_chain, "wide": build_wide, "bare": build_bare}[shape]
    full = [0.0, 0.0]  # start of the running full collection, CPU seconds in full collections

    def clock_full_collections(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                full[0] = time.process_time()
            else:
                full[1] += time.process_time() - full[0]

    gc.callbacks.insert(0, clock_full_collections)
    times, in_full = [], []
    for _ in range(rounds):
        gc.collect()
        if policy == "gc-off":
            gc.disable()
        full[1] = 0.0
        start = time.process_time()
        root, nodes = build(n)
        if shape == "bare":
            backward_bare(root)  # type: ignore[arg-type]
        else:
            root.backward()  # type: ignore[attr-defined]
        times.append((time.process_time() - start) / nodes)
        in_full.append(full[1] / nodes)
        gc.enable()
        del root
    return statistics.median(times) * 1e9, statistics.median(in_full) * 1e9


def main() -> None:
    """Run every size of both shapes in child processes and print ns/node and the spread."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size (default 10,000,000)")
    parser.add_argument("--policy", choices=["on", "off", "gc-off"], default="on")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        shape, n, rounds = args.child
        print(json.dumps(one_size(shape, int(n), args.policy, int(rounds))))
        return
    if args.max < SIZES[0]:
        parser.error(f"--max must be at least {SIZES[0]:,} (the smallest size), got {args.max}")
    sizes = [s for s in SIZES if s <= args.max]
    print(f"policy {args.policy}: build + backward, ns per op node (median over rounds, one process per size);"
          " 'full GC': of which in the cyclic collector's full collections")
    for shape in ("chain", "wide", "bare"):
        figures, without_full = [], []
        for n in sizes:
            rounds = 201 if n <= 1_000 else 7 if n <= 100_000 else 3 if n <= 1_000_000 else 1
            out = subprocess.run([sys.executable, __file__, "--policy", args.policy, "--child", shape, str(n),
                                  str(rounds)], capture_output=True, text=True, check=True)
            total, in_full = json.loads(out.stdout)
            figures.append(total)
            without_full.append(total - in_full)
            print(f"  {shape:5} {n:>11,} nodes: {total:7.0f} ns/node (full GC {in_full:4.0f})", flush=True)
        print(f"  {shape:5} largest / smallest: {max(figures) / min(figures):.2f}x"
              f" ({max(without_full) / min(without_full):.2f}x leaving out full collections)")

if __name__ == "__main__":
    main()
