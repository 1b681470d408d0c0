"""The benchmark's rows: one `Workload` per row, each building its contenders (columns) on demand.

To add a row, append a `Workload` to `WORKLOADS` (its ``build(quick)`` returns
a dict of column name -> `Contender`); the runner prints whatever is there.
"""

from __future__ import annotations

import gc
import random
import sys
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_models as am
import scalar_models as sm
from hvp_workload import hvp_slides_mlp
from measure import Contender

from autograd import Value
from nn import two_moons

# What --quick builds instead of the sizes the row names give (a reader comparing a smoke run with the README).
QUICK_SIZES = "W1 10 points, W2 10,000 nodes, W3 and W5 5 time steps, bytes per op node 5 points"

COLUMNS = ["micrograd", "eager", "nn.MLP", "replay", "batch replay", "torch tensors", "JAX jit"]


@dataclass
class Workload:
    """One row of the table."""

    name: str
    build: Callable[[bool], dict[str, Contender]]
    unit: str = "ms"  # how the row's cells are shown: "ms" per run, "ns/node", "bytes/node"


def micrograd_value() -> Any:
    """PyPI micrograd's Value taught tanh/exp/log/sigmoid, or None when micrograd is not installed."""
    try:
        from micrograd.engine import Value as MicroValue
    except ImportError:
        return None
    sm.teach_micrograd(MicroValue)
    # micrograd's backward recurses once per node of the longest path: W1 at width 64 (its L2 term a chain of
    # 4,400 adds) needs more than Python's default 1,000 frames; the 1,000,000-deep W2 still does not fit.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    return MicroValue


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)  # the scalar engines use one core; PyTorch's thread pool swings on a busy machine
    return torch


def _jax() -> Any:
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    return jax, jnp


def _missing(what: str, extra: str = "bench") -> Contender:
    return Contender(note=f"{what} is not installed (pip install -e \".[{extra}]\")")


def _jit_step(jax: Any, jnp: Any, loss: Callable, params: Any, *data: Any) -> Contender:
    """A JAX contender: value_and_grad + SGD step, jitted; the first call's compile timed apart."""
    import time

    @jax.jit
    def step(p: Any, *d: Any) -> Any:
        value, grads = jax.value_and_grad(loss)(p, *d)
        return value, jax.tree_util.tree_map(lambda w, g: w - 0.05 * g, p, grads)

    state = {"p": params}
    start = time.perf_counter()
    jax.block_until_ready(step(params, *data))
    compile_seconds = time.perf_counter() - start

    def run() -> None:
        value, state["p"] = step(state["p"], *data)
        jax.block_until_ready(value)

    return Contender(run=run, makes_garbage=False, compile_seconds=compile_seconds)


def _torch_step(torch: Any, loss: Callable, params: list) -> Contender:
    def run() -> None:
        for p in params:
            p.grad = None
        loss().backward()
        with torch.no_grad():
            for p in params:
                p -= 0.05 * p.grad

    return Contender(run=run, makes_garbage=False)


# --- W1 ----------------------------------------------------------------------------------------------


def w1(width: int, micrograd_rounds: int | None = None) -> Callable[[bool], dict[str, Contender]]:
    """W1: one training step of MLP(2, [width, width, 1]) on 100 two-moons points (10 with --quick)."""

    def build(quick: bool) -> dict[str, Contender]:
        xs, ys = two_moons(10 if quick else 100)
        sizes = [2, width, width, 1]
        numbers = sm.mlp_numbers(sizes)
        out: dict[str, Contender] = {}
        micro = micrograd_value()
        if micro is None:
            out["micrograd"] = _missing("micrograd")
        else:
            layers_m = sm.make_mlp(micro, numbers)
            out["micrograd"] = Contender(run=lambda: sm.w1_step(micro, layers_m, xs, ys), max_rounds=micrograd_rounds)
        layers = sm.make_mlp(Value, numbers)
        out["eager"] = Contender(run=lambda: sm.w1_step(Value, layers, xs, ys))

        from autograd import sum_of
        from nn import MLP

        model = MLP(2, [width, width, 1], activation="tanh", seed=0)

        def nn_step() -> None:
            params = model.parameters()
            data_loss = sum_of([(model(x) - y) ** 2 for x, y in zip(xs, ys)]) * (1.0 / len(xs))
            loss = data_loss + 1e-4 * sum_of([p * p for p in params])
            model.zero_grad()
            loss.backward()
            for p in params:
                p.data -= 0.05 * p.grad

        out["nn.MLP"] = Contender(run=nn_step)
        try:
            from autograd.replay import record

            params = sm.mlp_parameters(layers)
            tape = record(lambda x0, x1, y: (sm.mlp_forward(layers, [x0, x1]) - y) ** 2, [0.0, 0.0, 0.0], params)
            tape.compile()  # the steady state: a training loop's tape compiles itself once that has paid
            rows = [[x[0], x[1], y] for x, y in zip(xs, ys)]

            def replay_step() -> None:
                for p in params:
                    p.grad = 2e-4 * p.data
                tape.run_many(rows, scale=1.0 / len(rows))
                for p in params:
                    p.data -= 0.05 * p.grad

            out["replay"] = Contender(run=replay_step, makes_garbage=False, note="replay: binary-op model code")
            import numpy as np

            nn_params = model.parameters()
            nn_tape = record(lambda x0, x1, y: (model([x0, x1]) - y) ** 2, [0.0, 0.0, 0.0], nn_params)
            columns = [np.array([x[0] for x in xs]), np.array([x[1] for x in xs]), np.array(ys)]

            from nn import parameters_to_vector, vector_to_parameters

            def batch_step() -> None:
                _, grads = nn_tape.run_batch(columns)
                n = len(columns[0])
                # The update in bulk, as torch's contender does it: one checked write of every weight.
                w = np.array(parameters_to_vector(nn_params))
                vector_to_parameters(w - 0.05 * (np.array(grads) / n + 2e-4 * w), nn_params)

            out["batch replay"] = Contender(run=batch_step, makes_garbage=False, note="batch replay: nn.MLP tape")
        except ImportError as error:
            out["batch replay"] = Contender(note=f"batch replay needs numpy ({error})")
        torch = _torch()
        if torch is None:
            out["torch tensors"] = _missing("torch", "torch")
        else:
            weights = [(torch.tensor(W, dtype=torch.float64, requires_grad=True),
                        torch.tensor(b, dtype=torch.float64, requires_grad=True)) for W, b in numbers]
            tx, ty = torch.tensor(xs, dtype=torch.float64), torch.tensor(ys, dtype=torch.float64)
            ops = am.torch_ops(torch)
            out["torch tensors"] = _torch_step(torch, lambda: am.mlp_loss(ops, weights, tx, ty),
                                               [t for wb in weights for t in wb])
        jx = _jax()
        if jx is None:
            out["JAX jit"] = _missing("jax")
        else:
            jax, jnp = jx
            ops_j = am.jax_ops(jnp, jax)
            params_j = [(jnp.array(W), jnp.array(b)) for W, b in numbers]
            out["JAX jit"] = _jit_step(jax, jnp, lambda p, x, y: am.mlp_loss(ops_j, p, x, y), params_j,
                                       jnp.array(xs), jnp.array(ys))
        return out

    return build


# --- W2 ----------------------------------------------------------------------------------------------


def w2(quick: bool) -> dict[str, Contender]:
    """W2: a chain 1,000,000 nodes deep (10,000 with --quick), forward + backward, per node."""
    depth = 10_000 if quick else 1_000_000
    micro = micrograd_value()
    out = {"eager": Contender(run=lambda: sm.w2_chain(Value, depth), unit=depth)}
    if micro is None:
        out["micrograd"] = _missing("micrograd")
    else:
        try:
            sm.w2_chain(micro, depth)
            out["micrograd"] = Contender(run=lambda: sm.w2_chain(micro, depth), unit=depth)
        except RecursionError:
            out["micrograd"] = Contender(note=f"micrograd: RecursionError on the {depth:,}-deep chain")
    return out


# --- W3 and W5 ---------------------------------------------------------------------------------------


def _sequence_workload(kind: str) -> Callable[[bool], dict[str, Contender]]:
    vocab = 27
    hidden = 32 if kind == "rnn" else 16

    def build(quick: bool) -> dict[str, Contender]:
        inputs, targets = sm.sequence(5 if quick else 25, vocab)
        numbers = sm.rnn_numbers(vocab, hidden) if kind == "rnn" else sm.lstm_numbers(vocab, hidden)

        def scalar_loss(value: Any, p: dict) -> Any:
            if kind == "rnn":
                return sm.rnn_loss(value, p, inputs, targets)
            return sm.lstm_loss(value, p, inputs, targets, vocab)

        def scalar_step(value: Any, p: dict) -> Callable[[], None]:
            params = sm.value_parameters(p)

            def run() -> None:
                for q in params:
                    q.grad = 0.0
                scalar_loss(value, p).backward()

            return run

        out: dict[str, Contender] = {}
        micro = micrograd_value()
        out["micrograd"] = _missing("micrograd") if micro is None else Contender(
            run=scalar_step(micro, sm.as_values(micro, numbers)))
        ours = sm.as_values(Value, numbers)
        out["eager"] = Contender(run=scalar_step(Value, ours))
        try:
            from autograd import topological_order
            from autograd.replay import Tape

            params = sm.value_parameters(ours)
            loss_node = scalar_loss(Value, ours)
            known = set(params)
            leaves = [v for v in topological_order(loss_node) if v.is_leaf and not v.is_constant and v not in known]
            tape = Tape(loss_node, [], params, constants=leaves)
            tape.compile()  # the steady state (see W1); `python bench/bench_record.py` times the interpreter
            del loss_node
            out["replay"] = Contender(run=tape.evaluate, makes_garbage=False)
        except Exception as error:  # noqa: BLE001 - the replay package is being rewritten; say why the cell is empty
            out["replay"] = Contender(note=f"replay of {kind}: {type(error).__name__}: {error}")
        torch = _torch()
        if torch is None:
            out["torch tensors"] = _missing("torch", "torch")
        else:
            tp = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in numbers.items()}
            ops = am.torch_ops(torch)
            loss_t = (lambda: am.rnn_loss(ops, tp, inputs, targets)) if kind == "rnn" else (
                lambda: am.lstm_loss(ops, tp, inputs, targets, vocab))
            out["torch tensors"] = _torch_step(torch, loss_t, list(tp.values()))
        jx = _jax()
        if jx is None:
            out["JAX jit"] = _missing("jax")
        else:
            jax, jnp = jx
            ops_j = am.jax_ops(jnp, jax)
            pj = {k: jnp.array(v) for k, v in numbers.items()}
            loss_j = (lambda p: am.rnn_loss(ops_j, p, inputs, targets)) if kind == "rnn" else (
                lambda p: am.lstm_loss(ops_j, p, inputs, targets, vocab))
            out["JAX jit"] = _jit_step(jax, jnp, loss_j, pj)
        return out

    return build


# --- bytes per node ----------------------------------------------------------------------------------


def bytes_per_node(quick: bool) -> dict[str, Contender]:
    """Bytes per op node of W1's forward + backward graph (tracemalloc), micrograd against eager."""
    out: dict[str, Contender] = {}
    xs, ys = two_moons(5 if quick else 20)
    for column, value in (("micrograd", micrograd_value()), ("eager", Value)):
        if value is None:
            out[column] = _missing("micrograd")
            continue
        layers = sm.make_mlp(value, sm.mlp_numbers([2, 16, 16, 1]))
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        loss = sum(((sm.mlp_forward(layers, x) - y) ** 2 for x, y in zip(xs, ys)), value(0.0))
        loss.backward()
        used = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        out[column] = Contender(note=f"{used / _count_nodes(loss):.0f}")
    return out


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


WORKLOADS: list[Workload] = [
    Workload("W1 MLP(2,[16,16,1]) step, 100 pts", w1(16)),
    Workload("W1 at width 64", w1(64, micrograd_rounds=1)),
    Workload("W2 deep chain fwd+bwd", w2, unit="ns/node"),
    Workload("W3 char RNN h32 v27 T25 fwd+BPTT", _sequence_workload("rnn")),
    Workload("W5 LSTM h16 v27 T25 fwd+bwd", _sequence_workload("lstm")),
    Workload("HVP slides' MLP (14 weights)", hvp_slides_mlp),
    Workload("bytes per op node", bytes_per_node, unit="bytes/node"),
]

__all__ = ["COLUMNS", "WORKLOADS", "Workload", "random"]


if __name__ == "__main__":  # run by mistake (`python bench/workloads.py --help` printed nothing and exited 0)
    raise SystemExit("workloads.py is a module the benchmark scripts import, not a benchmark: run "
                     "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
