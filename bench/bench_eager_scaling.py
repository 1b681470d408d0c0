"""Eager cost per node as the graph grows: build + backward at 1,000 to 10,000,000 nodes.

    python bench/bench_eager_scaling.py [--max 10000000] [--policy on|off|gc-off]

Two shapes: a chain (``y = y * 0.999 + x``, one long path) and a wide MLP-like
graph (layers of 64 neurons, each a sum of 64 products of fresh weight leaves
with the previous layer, then tanh). Each size runs in a fresh child process,
so one size's heap never slows the next; the figure is the median over rounds
of (build + backward CPU time of this process) / op nodes: CPU time, not wall
time, so other processes on a busy machine do not count (they still share the
caches). ``--policy`` picks the collector setup:
``on`` (the engine's default: `autograd.collector` installed), ``off`` (the
hook removed: plain CPython thresholds), ``gc-off`` (the cyclic collector
disabled, the floor).
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


def one_size(shape: str, n: int, policy: str, rounds: int) -> float:
    """Median ns per op node of build + backward, in this process."""
    import autograd.collector as collector

    if policy == "off":
        collector.uninstall()
    build = build_chain if shape == "chain" else build_wide
    times = []
    for _ in range(rounds):
        gc.collect()
        if policy == "gc-off":
            gc.disable()
        start = time.process_time()
        root, nodes = build(n)
        root.backward()  # type: ignore[attr-defined]
        times.append((time.process_time() - start) / nodes)
        gc.enable()
        del root
    return statistics.median(times) * 1e9


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
    sizes = [s for s in SIZES if s <= args.max]
    print(f"policy {args.policy}: build + backward, ns per op node (median over rounds, one process per size)")
    for shape in ("chain", "wide"):
        figures = []
        for n in sizes:
            rounds = 201 if n <= 1_000 else 7 if n <= 100_000 else 3 if n <= 1_000_000 else 1
            out = subprocess.run([sys.executable, __file__, "--policy", args.policy, "--child", shape, str(n),
                                  str(rounds)], capture_output=True, text=True, check=True)
            figures.append(json.loads(out.stdout))
            print(f"  {shape:5} {n:>11,} nodes: {figures[-1]:7.0f} ns/node", flush=True)
        print(f"  {shape:5} largest / smallest: {max(figures) / min(figures):.2f}x")


if __name__ == "__main__":
    main()
