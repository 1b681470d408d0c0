"""valuegrad against micrograd, side by side in one process: a table of medians and ratios.

    pip install -e ".[bench]"      # PyPI micrograd 0.1.0
    python bench/bench_vs_micrograd.py [--repeats 5]

The same model code (plain binary ops, written once below) runs on both
engines' `Value`, interleaved run by run so that machine noise hits both
alike. PyPI micrograd 0.1.0 has no tanh/exp/log, so this script adds them to
its `Value` in micrograd's own closure style before measuring.

Workloads:
  W1  MLP(2, [16, 16, 1]), tanh hidden layers, 100 two-moons points,
      MSE + 1e-4 L2, one SGD step (forward + backward + update + free).
  W2  a chain 1,000,000 nodes deep: forward + backward, time per node.
  W3  vanilla RNN, hidden 32, vocabulary 27, 25 steps, softmax
      cross-entropy: forward + backward.
  W4  bytes per op node (tracemalloc), and whether a dropped graph is freed
      with the cyclic garbage collector switched off.
  W5  a Hessian-vector product on the slides' MLP (its 14 weights, E summed
      over rows 1..4): forward, gradient graph, one backward pass through it.
      micrograd has no gradients of gradients.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograd import Value as OurValue  # noqa: E402
from nn import two_moons  # noqa: E402

try:
    from micrograd.engine import Value as MicroValue
except ImportError:  # pragma: no cover - explained to the user below
    MicroValue = None


def _teach_micrograd_missing_ops() -> None:
    """tanh, exp and log for micrograd 0.1.0's Value, written the way its own ops are."""

    def tanh(self: Any) -> Any:
        t = math.tanh(self.data)
        out = MicroValue(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def exp(self: Any) -> Any:
        e = math.exp(self.data)
        out = MicroValue(e, (self,), "exp")

        def _backward() -> None:
            self.grad += e * out.grad

        out._backward = _backward
        return out

    def log(self: Any) -> Any:
        out = MicroValue(math.log(self.data), (self,), "log")

        def _backward() -> None:
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    MicroValue.tanh, MicroValue.exp, MicroValue.log = tanh, exp, log


# --- the model code, written once for any micrograd-style Value -----------


def make_mlp(Val: Callable[[float], Any], sizes: list[int], seed: int = 0) -> list:
    """Layers as lists of (weights, bias) of any micrograd-style Value, seeded."""
    rng = random.Random(seed)
    return [
        [([Val(rng.uniform(-1, 1)) for _ in range(nin)], Val(0.0)) for _ in range(nout)]
        for nin, nout in zip(sizes, sizes[1:])
    ]


def mlp_forward(layers: list, x: list) -> Any:
    """Forward pass with plain binary ops: sum of w*x products started at the bias, tanh hidden."""
    for depth, layer in enumerate(layers):
        outs = []
        for w, b in layer:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            outs.append(act.tanh() if depth < len(layers) - 1 else act)
        x = outs
    return x[0]


def mlp_parameters(layers: list) -> list:
    """Every weight and bias, in a fixed order."""
    return [p for layer in layers for w, b in layer for p in [*w, b]]


def w1_step(Val: Any, layers: list, xs: list, ys: list) -> float:
    """W1: MSE over the points + 1e-4 L2, backward, SGD update; the graph is dropped on return."""
    params = mlp_parameters(layers)
    data_loss = sum(((mlp_forward(layers, x) - y) ** 2 for x, y in zip(xs, ys)), Val(0.0)) * (1.0 / len(xs))
    loss = data_loss + 1e-4 * sum((p * p for p in params), Val(0.0))
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= 0.05 * p.grad
    return loss.data


def w1_step_nn(model: Any, xs: list, ys: list) -> float:
    """W1 written with valuegrad's nn: n-ary dot nodes instead of chains of binary adds."""
    from autograd import sum_of

    params = model.parameters()
    data_loss = sum_of([(model(x) - y) ** 2 for x, y in zip(xs, ys)]) * (1.0 / len(xs))
    loss = data_loss + 1e-4 * sum_of([p * p for p in params])
    model.zero_grad()
    loss.backward()
    for p in params:
        p.data -= 0.05 * p.grad
    return loss.data


def w1_replay_tape(layers: list) -> Any:
    """W1's per-sample loss recorded once from the same binary-op model code."""
    from autograd.replay import record

    return record(lambda x0, x1, y: (mlp_forward(layers, [x0, x1]) - y) ** 2, [0.0, 0.0, 0.0],
                  mlp_parameters(layers))


def w1_step_replay(tape: Any, layers: list, rows: list) -> None:
    """W1's step by replay: data gradient from the tape, L2 gradient 2e-4 p, SGD update."""
    params = mlp_parameters(layers)
    for p in params:
        p.grad = 2e-4 * p.data
    tape.run_many(rows, scale=1.0 / len(rows))
    for p in params:
        p.data -= 0.05 * p.grad


def w1_step_batch(tape: Any, layers: list, columns: list) -> None:
    """W1's step in batch mode: all 100 samples in one numpy pass."""
    params = mlp_parameters(layers)
    _, grads = tape.run_batch(columns)
    n = len(columns[0])
    for p, g in zip(params, grads):
        p.data -= 0.05 * (g / n + 2e-4 * p.data)


def w1_step_batch_nn(tape: Any, model: Any, columns: list) -> None:
    """W1's step in batch mode from a tape of valuegrad's nn.MLP."""
    params = model.parameters()
    _, grads = tape.run_batch(columns)
    n = len(columns[0])
    for p, g in zip(params, grads):
        p.data -= 0.05 * (g / n + 2e-4 * p.data)


def w1_step_torch(torch: Any, weights: list, x: Any, y: Any) -> None:
    """W1 with PyTorch tensors (float64), batched: the reference for the batch mode."""
    h = x
    for k, (w, b) in enumerate(weights):
        h = h @ w + b
        if k < len(weights) - 1:
            h = torch.tanh(h)
    loss = ((h.squeeze(1) - y) ** 2).mean() + 1e-4 * sum((w * w).sum() + (b * b).sum() for w, b in weights)
    for w, b in weights:
        w.grad = None
        b.grad = None
    loss.backward()
    with torch.no_grad():
        for w, b in weights:
            w -= 0.05 * w.grad
            b -= 0.05 * b.grad


def w2_chain(Val: Any, depth: int) -> float:
    """W2: y = x + 1 + 1 + ... (depth nodes), then backward; returns dy/dx."""
    x = Val(0.0)
    y = x
    for _ in range(depth):
        y = y + 1.0
    y.backward()
    return x.grad


def make_rnn(Val: Any, vocab: int, hidden: int, seed: int = 0) -> dict:
    """A vanilla RNN's matrices (Wxh, Whh, Why) and biases as Values, seeded."""
    rng = random.Random(seed)

    def matrix(rows: int, cols: int) -> list:
        return [[Val(rng.gauss(0, 0.1)) for _ in range(cols)] for _ in range(rows)]

    return {
        "Wxh": matrix(hidden, vocab),
        "Whh": matrix(hidden, hidden),
        "Why": matrix(vocab, hidden),
        "bh": [Val(0.0) for _ in range(hidden)],
        "by": [Val(0.0) for _ in range(vocab)],
    }


def w3_rnn(Val: Any, rnn: dict, inputs: list[int], targets: list[int]) -> float:
    """W3: the sequence loss, then backward."""
    loss = w3_loss(Val, rnn, inputs, targets)
    loss.backward()
    return loss.data


def w3_loss(Val: Any, rnn: dict, inputs: list[int], targets: list[int]) -> Any:
    """Summed softmax cross-entropy over the sequence, with plain binary ops."""
    hidden = len(rnn["bh"])
    h = [Val(0.0) for _ in range(hidden)]
    loss = Val(0.0)
    for x_index, target in zip(inputs, targets):
        # Wxh @ one_hot(x) is column x_index of Wxh.
        h = [
            (rnn["Wxh"][k][x_index] + sum((w * hj for w, hj in zip(rnn["Whh"][k], h)), rnn["bh"][k])).tanh()
            for k in range(hidden)
        ]
        logits = [sum((w * hj for w, hj in zip(row, h)), b) for row, b in zip(rnn["Why"], rnn["by"])]
        shift = max(z.data for z in logits)
        total = sum(((z - shift).exp() for z in logits), Val(0.0))
        loss = loss - ((logits[target] - shift) - total.log())
    return loss


# --- measurement -----------------------------------------------------------


def interleaved(runs: dict[str, Callable[[], Any]], repeats: int, collect: bool = True) -> dict[str, float]:
    """Median seconds per run for each engine, alternating engines every repeat.

    Each timed run ends with ``gc.collect()``: an engine whose graphs hold
    reference cycles is only done freeing them once the cyclic collector has
    run, and left uncollected, that bill would land on whichever engine runs
    next. What a ``gc.collect()`` costs on the heap as it was before the runs
    (modules, models, PyTorch if imported) is measured and subtracted, so
    each engine pays only for collecting what its own run left behind.
    (``gc.freeze()`` would hide that heap too, but it also makes CPython run
    full collections far more often, which would penalise micrograd.)
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    gc.collect()
    idle = []
    for _ in range(5):
        start = time.perf_counter()
        gc.collect()
        idle.append(time.perf_counter() - start)
    baseline = statistics.median(idle)
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            if collect:
                gc.collect()
                times[name].append(max(0.0, time.perf_counter() - start - baseline))
            else:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bytes_per_node(Val: Any) -> tuple[float, bool]:
    """Bytes per op node of an MLP forward graph, and whether dropping it frees it without gc."""
    layers = make_mlp(Val, [2, 16, 16, 1])
    xs, ys = two_moons(20)
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        loss = sum(((mlp_forward(layers, x) - y) ** 2 for x, y in zip(xs, ys)), Val(0.0))
        loss.backward()
        used = tracemalloc.get_traced_memory()[0] - base
        nodes = _count_nodes(loss)
        tracemalloc.stop()
        before = _live(Val)
        del loss
        # Freed means: no Value of the dropped graph is still alive, cyclic collector off.
        freed = _live(Val) <= before - nodes
    finally:
        gc.enable()
    return used / nodes, freed


def w5_hvp_slides_mlp(repeats: int) -> tuple[str, str, str, str]:
    """W5's row: median time of `autograd.hvp` on the slides' batch loss, checked once against `hessian` times v."""
    from autograd import dot, hessian, hvp, sum_of
    from lecture.slides_mlp import BATCH_ROWS, SLIDES_W1, SLIDES_W2, SLIDES_X, SLIDES_Y

    def loss(*w: Any) -> Any:
        # w1 then w2, each table row by row (row 0 the bias), as the slides print them.
        w1 = [w[2 * i : 2 * i + 2] for i in range(4)]
        w2 = [w[8 + 2 * k : 8 + 2 * k + 2] for k in range(3)]
        terms = []
        for x, y in zip(SLIDES_X[:BATCH_ROWS], SLIDES_Y[:BATCH_ROWS]):
            a1 = [dot([row[k] for row in w1], [1.0, *x]).sigmoid() for k in range(2)]
            a2 = [dot([row[j] for row in w2], [1.0, *a1]).sigmoid() for j in range(2)]
            terms += [0.5 * (a - t) ** 2 for a, t in zip(a2, y)]
        return sum_of(terms)

    point = [c for row in SLIDES_W1 for c in row] + [c for row in SLIDES_W2 for c in row]
    vector = [math.sin(i + 1.0) for i in range(len(point))]
    full = hessian(loss, point)
    expected = [sum(h * v for h, v in zip(row, vector)) for row in full]
    got = hvp(loss, point, vector)[1]
    assert max(abs(a - b) for a, b in zip(got, expected)) < 1e-12, "hvp disagrees with hessian @ v"
    # Its graphs hold no reference cycles (freed by reference counting), so, as for replay, no trailing
    # gc.collect(): on the heap the earlier workloads leave, that call's noise would swamp a ~2 ms run.
    t = interleaved({"hvp": lambda: hvp(loss, point, vector)}, repeats * 5, collect=False)["hvp"]
    return ("W5 Hessian-vector product, slides' MLP", "not supported", f"{t * 1e3:.2f} ms", "-")


def _leaves(root: Any) -> list:
    from autograd import topological_order

    return [v for v in topological_order(root) if v.is_leaf]


def _live(Val: Any) -> int:
    return sum(1 for o in gc.get_objects() if type(o) is Val)


def _count_nodes(root: Any) -> int:
    seen = {id(root)}
    stack = [root]
    count = 0
    while stack:
        node = stack.pop()
        if node._prev:
            count += 1
        for p in node._prev:
            if id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
    return count


def main() -> None:
    """Run every workload and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per engine and workload")
    args = parser.parse_args()
    if MicroValue is None:
        sys.exit('micrograd is not installed: pip install -e ".[bench]"')
    if args.repeats < 1:
        sys.exit("--repeats must be at least 1")
    _teach_micrograd_missing_ops()
    engines = {"micrograd": MicroValue, "valuegrad": OurValue}
    rows = []

    xs, ys = two_moons(100)
    mlps = {name: make_mlp(V, [2, 16, 16, 1]) for name, V in engines.items()}
    t = interleaved({n: (lambda n=n: w1_step(engines[n], mlps[n], xs, ys)) for n in engines}, args.repeats)
    rows.append(("W1 MLP training step", f"{t['micrograd'] * 1e3:.0f} ms", f"{t['valuegrad'] * 1e3:.1f} ms",
                 f"{t['micrograd'] / t['valuegrad']:.1f}x"))

    # The same step written with valuegrad's own nn (one dot node per neuron): what users of nn get.
    from nn import MLP

    ours_mlp = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    t_nn = interleaved({"valuegrad": lambda: w1_step_nn(ours_mlp, xs, ys)}, args.repeats)["valuegrad"]
    rows.append(("W1 with valuegrad's nn.MLP", f"{t['micrograd'] * 1e3:.0f} ms", f"{t_nn * 1e3:.1f} ms",
                 f"{t['micrograd'] / t_nn:.1f}x"))

    tape = w1_replay_tape(mlps["valuegrad"])
    rows_xy = [[x[0], x[1], y] for x, y in zip(xs, ys)]
    # Replay and batch runs create no Value objects, hence no garbage to collect: they are timed
    # without the gc.collect() (whose noise on a sub-millisecond run would swamp it), over more runs.
    quick = args.repeats * 5
    t_replay = interleaved({"replay": lambda: w1_step_replay(tape, mlps["valuegrad"], rows_xy)},
                           quick, collect=False)["replay"]
    rows.append(("W1 replay (recorded once)", f"{t['micrograd'] * 1e3:.0f} ms", f"{t_replay * 1e3:.1f} ms",
                 f"{t['micrograd'] / t_replay:.1f}x"))
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None:
        columns = [np.array([x[0] for x in xs]), np.array([x[1] for x in xs]), np.array(ys)]
        t_batch_binary = interleaved({"batch": lambda: w1_step_batch(tape, mlps["valuegrad"], columns)},
                                     quick, collect=False)["batch"]
        rows.append(("W1 batch replay (numpy), binary ops", f"{t['micrograd'] * 1e3:.0f} ms",
                     f"{t_batch_binary * 1e3:.2f} ms", f"{t['micrograd'] / t_batch_binary:.0f}x"))
        # With nn.MLP each neuron is one dot node, so a layer's neurons become one matrix product.
        from autograd.replay import record

        nn_tape = record(lambda x0, x1, y: (ours_mlp([x0, x1]) - y) ** 2, [0.0, 0.0, 0.0], ours_mlp.parameters())
        t_batch = interleaved({"batch": lambda: w1_step_batch_nn(nn_tape, ours_mlp, columns)}, quick,
                              collect=False)["batch"]
        rows.append(("W1 batch replay (numpy), nn.MLP", f"{t['micrograd'] * 1e3:.0f} ms",
                     f"{t_batch * 1e3:.2f} ms", f"{t['micrograd'] / t_batch:.0f}x"))

    depth = 1_000_000
    start = time.perf_counter()
    assert w2_chain(OurValue, depth) == 1.0
    ours = (time.perf_counter() - start) / depth
    try:
        w2_chain(MicroValue, depth)
        theirs = "worked"
    except RecursionError:
        theirs = "RecursionError"
    rows.append(("W2 1,000,000-deep chain", theirs, f"{ours * 1e9:.0f} ns/node", "-"))

    text = "hello world, this is a character rnn."
    vocab = sorted(set(text))
    index = [vocab.index(c) for c in text]
    while len(vocab) < 27:
        vocab.append(f"<{len(vocab)}>")
    rnns = {name: make_rnn(V, 27, 32) for name, V in engines.items()}
    t = interleaved(
        {n: (lambda n=n: w3_rnn(engines[n], rnns[n], index[:25], index[1:26])) for n in engines}, args.repeats
    )
    rows.append(("W3 RNN forward+backward", f"{t['micrograd'] * 1e3:.0f} ms", f"{t['valuegrad'] * 1e3:.1f} ms",
                 f"{t['micrograd'] / t['valuegrad']:.1f}x"))
    from autograd.replay import Tape

    rnn_params = [v for key in ("Wxh", "Whh", "Why") for row in rnns["valuegrad"][key] for v in row]
    rnn_params += rnns["valuegrad"]["bh"] + rnns["valuegrad"]["by"]
    loss_node = w3_loss(OurValue, rnns["valuegrad"], index[:25], index[1:26])
    leaves = [v for v in _leaves(loss_node) if not v.is_constant and v not in set(rnn_params)]
    rnn_tape = Tape(loss_node, [], rnn_params, constants=leaves)
    t_rnn = interleaved({"replay": lambda: rnn_tape.evaluate()}, args.repeats * 5, collect=False)["replay"]
    rows.append(("W3 replay", f"{t['micrograd'] * 1e3:.0f} ms", f"{t_rnn * 1e3:.1f} ms",
                 f"{t['micrograd'] / t_rnn:.1f}x"))

    mem = {name: bytes_per_node(V) for name, V in engines.items()}
    rows.append(("W4 bytes per op node", f"{mem['micrograd'][0]:.0f}", f"{mem['valuegrad'][0]:.0f}",
                 f"{mem['micrograd'][0] / mem['valuegrad'][0]:.1f}x less"))
    rows.append(("W4 freed with gc off", "yes" if mem["micrograd"][1] else "no",
                 "yes" if mem["valuegrad"][1] else "no", "-"))
    rows.append(w5_hvp_slides_mlp(args.repeats))

    # PyTorch last: importing it grows the heap that every later garbage collection walks.
    if np is not None:
        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None:
            rng = random.Random(0)
            weights = []
            for nin, nout in [(2, 16), (16, 16), (16, 1)]:
                w = torch.tensor([[rng.uniform(-1, 1) for _ in range(nout)] for _ in range(nin)],
                                 dtype=torch.float64, requires_grad=True)
                weights.append((w, torch.zeros(nout, dtype=torch.float64, requires_grad=True)))
            tx = torch.tensor(xs, dtype=torch.float64)
            ty = torch.tensor(ys, dtype=torch.float64)
            t_torch = interleaved({"torch": lambda: w1_step_torch(torch, weights, tx, ty)}, args.repeats * 5,
                                  collect=False)["torch"]
            rows.insert(5, ("W1 PyTorch 2.13 batched tensors", f"{t_torch * 1e3:.2f} ms", f"{t_batch * 1e3:.2f} ms",
                            f"batch/torch {t_batch / t_torch:.1f}x"))

    print(f"Python {sys.version.split()[0]}, medians of {args.repeats} interleaved runs\n")
    widths = [max(len(r[i]) for r in rows + [HEADER]) for i in range(4)]
    for row in [HEADER, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))


HEADER = ("workload", "micrograd", "valuegrad", "ratio")

if __name__ == "__main__":
    main()
