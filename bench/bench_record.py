"""How fast `record` compiles and how fast a tape replays (issue 12 goals 1 and 2).

Prints three tables (medians; one process):

1. record time per node for binary-op graphs and for dot graphs, at sizes 100 .. 400,000 (a recorded tape
   runs at once, level by level: `autograd.replay.levels`), and the time to compile it to code, which a tape
   does by itself once its runs would have paid for it;
2. a tape's resident memory per node (tracemalloc, after the recorded graph is freed), interpreted and compiled;
3. one training step of W3 (char RNN h32 v27 T25, forward + BPTT) and W5 (LSTM h16 v27 T25):
   eager engine, replay, PyTorch eager tensors (one thread), JAX jit where installed.

Times are CPU time of this process (`time.process_time`, as `bench_eager_scaling.py` measures), so other
processes on a shared machine do not count (they still share the caches); PyTorch runs with one thread, so its
CPU time is its wall time.

Run: ``python bench/bench_record.py`` (``--quick`` stops the size sweep at 40,000 nodes).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value, dot  # noqa: E402
from autograd.replay import record  # noqa: E402
from nn import CharModel  # noqa: E402

clock = time.process_time  # CPU time: see the module docstring


def median_time(fn: Callable[[], Any], repeats: int) -> float:
    """Median wall time of ``fn`` over ``repeats`` calls (collector run before each, not during)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def binary_graph(n_ops: int, seed: int = 0) -> tuple[Callable[..., Value], list[Value]]:
    """A loss of about ``n_ops`` binary ops (mul/add/sub/tanh mixed) over 16 parameters and 2 inputs."""
    rng = random.Random(seed)
    params = [Value(rng.uniform(-1, 1)) for _ in range(16)]

    def fn(x0: Value, x1: Value) -> Value:
        pool = [x0, x1, *params]
        acc = x0 * 0.0
        made = 0
        while made < n_ops:
            a, b = rng.choice(pool[-40:]), rng.choice(params)
            v = (a * b + x1).tanh() if made % 3 else a - b
            made += 3 if made % 3 else 1
            pool.append(v)
            acc = acc + v
            made += 1
        return acc

    return fn, params


def dot_graph(n_dots: int, width: int = 32) -> tuple[Callable[..., Value], list[Value]]:
    """Layers of ``width`` tanh neurons (one dot node each), stacked until about ``n_dots`` dot nodes."""
    rng = random.Random(1)
    layers = max(1, n_dots // width)
    weights = [[[Value(rng.uniform(-0.3, 0.3)) for _ in range(width + 1)] for _ in range(width)]
               for _ in range(layers)]
    params = [w for layer in weights for row in layer for w in row]

    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in weights:
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0)) * 0.5  # type: ignore[arg-type]

    return fn, params


def record_row(kind: str, size: int) -> tuple[int, float, float, float, float, float]:
    """(nodes, record us/node, level-interpreter tape bytes/node, compile us/node, compiled tape bytes/node,
    `Tape.compile_seconds`' estimate over the measured compile time)."""
    if kind == "binary":
        fn, params = binary_graph(size)
        example = [0.3, -0.2]
    else:
        fn, params = dot_graph(size)
        example = [0.1] * 32
    # A median over several recordings (seven where they are quick: a single one at small sizes is mostly noise).
    times = []
    for _ in range(7 if size <= 10_000 else 3):
        gc.collect()
        start = clock()
        tape = record(fn, example, params)
        times.append(clock() - start)
    seconds = statistics.median(times)
    nodes = tape.node_count
    estimate = tape.compile_seconds()
    tape.compile_seconds = lambda: float("inf")  # type: ignore[method-assign]  # compiled below, and timed
    tape.evaluate(example)
    gc.collect()
    start = clock()
    tape.compile()
    compiling = clock() - start
    del tape
    gc.collect()
    # Sizes under tracemalloc, which slows allocation several fold: nothing here is timed.
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tape = record(fn, example, params)
    gc.collect()
    size_bytes = tracemalloc.get_traced_memory()[0] - base
    tape.compile()
    gc.collect()
    compiled_bytes = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    counted = dot_nodes(tape) if kind == "dot" else nodes
    return (nodes, seconds / counted * 1e6, size_bytes / nodes, compiling / counted * 1e6, compiled_bytes / nodes,
            estimate / compiling)


def first_dot_record() -> float:
    """Microseconds per dot node of the process's first record of a dot graph (32 dot nodes): the one-time cost."""
    fn, params = dot_graph(32)
    gc.collect()
    start = clock()
    tape = record(fn, [0.1] * 32, params)
    return (clock() - start) / dot_nodes(tape) * 1e6


MISSING = "\u2014"  # a contender that is not installed


def dot_nodes(tape: Any) -> int:
    """Dot nodes in a tape (the unit goal 1 prices dot graphs in)."""
    return tape.op_counts().get("dot", 1)


def torch_step(kind: str, vocab: int, hidden: int, xs: list[int], ts: list[int]) -> Callable[[], None] | None:
    """PyTorch eager tensors, one thread: the same cell, forward + backward of the summed loss."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(0)
    gates = 4 if kind == "lstm" else 1
    Wx = (torch.rand(gates * hidden, vocab, generator=g, dtype=torch.float64) - 0.5).requires_grad_()
    Wh = (torch.rand(gates * hidden, hidden, generator=g, dtype=torch.float64) - 0.5).requires_grad_()
    b = torch.zeros(gates * hidden, dtype=torch.float64, requires_grad=True)
    Wy = (torch.rand(vocab, hidden, generator=g, dtype=torch.float64) - 0.5).requires_grad_()
    by = torch.zeros(vocab, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor(ts)

    def step() -> None:
        h = torch.zeros(hidden, dtype=torch.float64)
        c = torch.zeros(hidden, dtype=torch.float64)
        logits = []
        for x in xs:
            z = Wh @ h + b + Wx[:, x]
            if kind == "lstm":
                i, f, gg, o = z.split(hidden)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(gg)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                h = torch.tanh(z)
            logits.append(Wy @ h + by)
        loss = torch.nn.functional.cross_entropy(torch.stack(logits), targets, reduction="sum")
        for p in (Wx, Wh, b, Wy, by):
            p.grad = None
        loss.backward()

    return step


def sequence_row(name: str, kind: str, hidden: int, repeats: int) -> tuple[str, ...]:
    """One of W3/W5: record time, eager step, replay step, torch step."""
    vocab, steps = 27, 25
    rng = random.Random(5)
    xs = [rng.randrange(vocab) for _ in range(steps)]
    ts = [rng.randrange(vocab) for _ in range(steps)]
    model = CharModel(vocab, hidden, cell=kind, seed=0)
    params = model.parameters()

    def eager_step() -> None:
        model.zero_grad()
        model.sequence_loss(xs, ts)[0].backward()

    start = clock()
    tape = record(lambda: model.sequence_loss(xs, ts)[0], example=[], parameters=params)
    recorded = clock() - start
    estimate = tape.compile_seconds()
    t_eager = median_time(eager_step, repeats)
    tape.compile_seconds = lambda: float("inf")  # type: ignore[method-assign]  # keep it interpreted for now
    t_levels = median_time(lambda: tape.run([]), repeats * 4)
    start = clock()
    tape.compile()
    compiling = clock() - start
    t_replay = median_time(lambda: tape.run([]), repeats * 4)
    scalar = record(lambda: model.sequence_loss(xs, ts)[0], example=[], parameters=params, vectorize=False)
    t_scalar = median_time(lambda: scalar.run([]), repeats * 4)
    step = torch_step(kind, vocab, hidden, xs, ts)
    if step is None:  # a dash, as bench_vs_micrograd.py shows a missing contender (was "nan ms")
        torch_cells = (MISSING, MISSING)
    else:
        t_torch = median_time(step, repeats * 4)
        torch_cells = (f"{t_torch * 1e3:.2f} ms", f"{t_torch / t_replay:.2f}x")
    return (name, f"{recorded * 1e3:.0f} ms", f"{t_eager * 1e3:.2f} ms", f"{t_levels * 1e3:.2f} ms",
            f"{compiling * 1e3:.0f} ms (estimate {estimate / compiling:.2f}x)",
            f"{t_scalar * 1e3:.2f} ms", f"{t_replay * 1e3:.2f} ms", *torch_cells)


def torch_missing_note() -> str | None:
    """The line said under the table when PyTorch is absent (its columns then show a dash)."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return f'- torch is not installed (pip install -e ".[torch]"): its two columns show {MISSING}'
    return None


def sequence_rows(repeats: int) -> list[tuple[str, ...]]:
    """W3 and W5."""
    return [sequence_row("W3 char RNN h32 v27 T25", "rnn", 32, repeats),
            sequence_row("W5 LSTM h16 v27 T25", "lstm", 16, repeats)]


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    """Print the three tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop the size sweep at 40,000 nodes")
    quick = parser.parse_args().quick
    sizes = [100, 1_000, 10_000, 40_000] if quick else [100, 1_000, 10_000, 100_000, 400_000]
    rows = []
    # Each kind records once before timing, as a program's first records do: the numpy forms of the ops, the level
    # planner's layer functions and CPython's specialised bytecode are made on first use, once per process. That
    # one-time cost is not hidden: the first dot record's time is printed under the table.
    record_row("binary", 100)
    cold = first_dot_record()
    record_row("dot", 32)
    for size in sizes:
        for kind in ("binary", "dot"):
            if kind == "dot" and size > 100_000:
                continue  # 200,000 dot nodes of 33 inputs: millions of edges, more memory than a small machine has
            count = size if kind == "binary" else max(32, size // 2)
            nodes, us, per, compile_us, compiled_per, ratio = record_row(kind, count)
            rows.append((kind, f"{nodes:,}", f"{us:.2f}", f"{per:.0f}", f"{compile_us:.1f}", f"{compiled_per:.0f}",
                         f"{ratio:.2f}"))
            print(f"  {kind} graph, {nodes:,} op nodes: recorded at {us:.2f} us/node (dot: per dot node)",
                  file=sys.stderr, flush=True)  # progress while the sweep runs; the table follows on stdout
    print(table(("graph", "op nodes", "record us/node (dot: per dot node)", "tape bytes/op node",
                 "compile us/node (when it pays)", "compiled tape bytes/op node", "compile estimate / measured"),
                rows))
    print(f"The process's first dot record (32 dot nodes, before any warm-up of its code): {cold:.1f} us per dot node.")
    print()
    print(table(("workload", "record", "eager step", "replay, level interpreter", "compile", "replay, floats only",
                 "replay, vectorized", "torch eager (1 thread)", "torch/vectorized"),
                sequence_rows(5)))
    note = torch_missing_note()
    if note:
        print(note)


if __name__ == "__main__":
    main()
