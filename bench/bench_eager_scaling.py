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

What is left of the growth (measured on a busy 2-core AMD EPYC VM, Python 3.11,
load 2-2.5, 1k / 100k / 1M / 10M nodes, ns per node; figures swing ~20% run to run):

    policy on   chain  1046 1227 1224 1290 (1.23x)   1780 2180 1493 1759 (1.46x)
                wide   1408 1714 2331 1825 (1.66x)   1526 1648 2240 1885 (1.47x)
                 of which full GC   0  384  965  323      0  352  873  376
                wide leaving out full GC: 1.13x, 1.18x
                bare    1009 1264 2075 1353 (2.06x)    884 1354 2055 1384 (2.32x)
                 of which full GC   0  370  921  337      0  383  980  357
    gc-off      chain  1318 1195 1147 1228 (1.15x)    968 1088 1161 1255 (1.30x)
                wide   1325 1102 1361 1280 (1.23x)   1382 1126 1239 1237 (1.23x)
                bare    767  757 1026  860 (1.36x)    726  881  772  978 (1.35x)

Before, backward counted each node's consumers in a dict keyed by node: at
millions of nodes a hash table read at a random place on every step, and the
wide graph's cost grew 1.9x with the collector off. It now keeps its
bookkeeping in the nodes' own ``.grad`` slots (`autograd.backward`), and with
the collector off the wide graph is flat within 1.25x, less than the bare
baseline's own 1.35x. What still grows with the default policy is the cyclic
collector's full collections: each walks every live tracked object (1.5 per
op node of the wide graph: the nodes and the weight leaves), and once the
graph outgrows the CPU caches that costs more per object (a `gc.collect()`
over a built wide graph: 141-283 ns per object at 18,000 objects, 413-648 at
150,000 to 4.5 million). `autograd.collector` spaces full collections
so each object is walked about once while a graph is built, not five times,
but how much of that single walk lands in a build depends on where the sizes
fall in that schedule (most at 1M nodes here). The bare baseline, with no
engine, pays the same (921-980 ns/node at 1M), so it is the interpreter's
collector on this hardware, not the engine; avoiding it would take hiding the
graph from the collector (``gc.freeze()``), which would also hide it from
``gc.get_objects()`` and from an explicit ``gc.collect()``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def build_bare(n: int, width: int = 64) -> tuple[object, int]:
    """The wide graph of `build_wide` made of `_Bare` nodes with plain float arithmetic (no engine)."""
    import math
    import random

    rng = random.Random(0)
    h = [_Bare(rng.uniform(-1, 1)) for _ in range(width)]
    per_layer = width * (2 * width + 1)
    layers = max(1, n // per_layer)
    for _ in range(layers):
        out = []
        for _ in range(width):
            s = _Bare(0.0)
            for hj in h:
                w = _Bare(rng.uniform(-0.2, 0.2))
                product = _Bare(w.data * hj.data, "*", w, hj)
                s = _Bare(s.data + product.data, "+", s, product)
            out.append(_Bare(math.tanh(s.data), "tanh", s))
        h = out
    root = h[0]
    for t in h[1:]:
        root = _Bare(root.data + t.data, "+", root, t)
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
