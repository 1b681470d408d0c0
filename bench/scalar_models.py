"""The benchmark's models, written once with plain binary ops for any micrograd-style ``Value``.

micrograd and valuegrad run exactly this code; only the ``Value`` class differs.
PyPI micrograd 0.1.0 has no tanh/exp/log/sigmoid, so `teach_micrograd` adds
them in micrograd's own closure style before it is measured.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any


def teach_micrograd(micro_value: Any) -> None:
    """tanh, exp, log and sigmoid for micrograd 0.1.0's Value, written the way its own ops are."""

    def unary(name: str, f: Callable[[float], float], df: Callable[[float, float], float]) -> Callable:
        def op(self: Any) -> Any:
            y = f(self.data)
            out = micro_value(y, (self,), name)

            def _backward() -> None:
                self.grad += df(self.data, y) * out.grad

            out._backward = _backward
            return out

        return op

    micro_value.tanh = unary("tanh", math.tanh, lambda x, y: 1 - y * y)
    micro_value.exp = unary("exp", math.exp, lambda x, y: y)
    micro_value.log = unary("log", math.log, lambda x, y: 1 / x)
    micro_value.sigmoid = unary("sigmoid", lambda x: 1 / (1 + math.exp(-x)), lambda x, y: y * (1 - y))


# --- W1: an MLP step ------------------------------------------------------------------------------


def mlp_numbers(sizes: list[int], seed: int = 0) -> list[tuple[list[list[float]], list[float]]]:
    """Seeded weights as numbers: per layer, W (nout rows of nin) and b."""
    rng = random.Random(seed)
    return [([[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)], [0.0] * nout)
            for nin, nout in zip(sizes, sizes[1:])]


def make_mlp(value: Callable[[float], Any], numbers: list) -> list:
    """The MLP's layers as lists of (weights, bias) Values."""
    return [[([value(w) for w in row], value(b)) for row, b in zip(W, bs)] for W, bs in numbers]


def mlp_forward(layers: list, x: list) -> Any:
    """Sum of w*x products started at the bias; tanh on hidden layers."""
    for depth, layer in enumerate(layers):
        outs = []
        for w, b in layer:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            outs.append(act.tanh() if depth < len(layers) - 1 else act)
        x = outs
    return x[0]


def mlp_parameters(layers: list) -> list:
    """Every weight and bias, in a fixed order (row by row, bias after its row)."""
    return [p for layer in layers for w, b in layer for p in [*w, b]]


def w1_step(value: Any, layers: list, xs: list, ys: list) -> float:
    """MSE over the points + 1e-4 L2, backward, SGD step 0.05; the graph is dropped on return."""
    params = mlp_parameters(layers)
    data_loss = sum(((mlp_forward(layers, x) - y) ** 2 for x, y in zip(xs, ys)), value(0.0)) * (1.0 / len(xs))
    loss = data_loss + 1e-4 * sum((p * p for p in params), value(0.0))
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= 0.05 * p.grad
    return loss.data


# --- W2: a deep chain -----------------------------------------------------------------------------


def w2_chain(value: Any, depth: int) -> float:
    """y = x + 1 + 1 + ... (depth nodes), then backward; returns dy/dx (1.0)."""
    x = value(0.0)
    y = x
    for _ in range(depth):
        y = y + 1.0
    y.backward()
    return x.grad


# --- W3 and W5: a character RNN and an LSTM over one sequence --------------------------------------


def matrix_numbers(rng: random.Random, rows: int, cols: int, scale: float = 0.1) -> list[list[float]]:
    """A rows x cols matrix of seeded Gaussian numbers."""
    return [[rng.gauss(0, scale) for _ in range(cols)] for _ in range(rows)]


def rnn_numbers(vocab: int, hidden: int, seed: int = 0) -> dict[str, list]:
    """A vanilla RNN's Wxh, Whh, Why (as matrices) and bh, by (as vectors) in numbers."""
    rng = random.Random(seed)
    return {"Wxh": matrix_numbers(rng, hidden, vocab), "Whh": matrix_numbers(rng, hidden, hidden),
            "Why": matrix_numbers(rng, vocab, hidden), "bh": [0.0] * hidden, "by": [0.0] * vocab}


def lstm_numbers(vocab: int, hidden: int, seed: int = 0) -> dict[str, list]:
    """An LSTM's four gates (input, forget, cell, output: W over [x one-hot, h], b) and readout, in numbers."""
    rng = random.Random(seed)
    out: dict[str, list] = {}
    for gate in "ifgo":
        out["W" + gate] = matrix_numbers(rng, hidden, vocab + hidden)
        out["b" + gate] = [0.0] * hidden
    out["Why"] = matrix_numbers(rng, vocab, hidden)
    out["by"] = [0.0] * vocab
    return out


def as_values(value: Callable[[float], Any], numbers: dict[str, list]) -> dict[str, list]:
    """The same dictionary with every number made a Value (matrices stay lists of rows)."""
    return {k: [[value(x) for x in row] if isinstance(row, list) else value(row) for row in v]
            for k, v in numbers.items()}


def value_parameters(params: dict[str, list]) -> list:
    """Every Value of a parameter dictionary, in key order."""
    return [x for v in params.values() for row in v for x in (row if isinstance(row, list) else [row])]


def _cross_entropy(value: Any, logits: list, target: int) -> Any:
    shift = max(z.data for z in logits)
    total = sum(((z - shift).exp() for z in logits), value(0.0))
    return total.log() - (logits[target] - shift)


def rnn_loss(value: Any, p: dict[str, list], inputs: list[int], targets: list[int]) -> Any:
    """Summed softmax cross-entropy of a vanilla RNN over the sequence (tanh cell, one-hot inputs)."""
    hidden = len(p["bh"])
    h = [value(0.0) for _ in range(hidden)]
    loss = value(0.0)
    for x, target in zip(inputs, targets):
        # Wxh @ one_hot(x) is column x of Wxh.
        h = [(p["Wxh"][k][x] + sum((w * hj for w, hj in zip(p["Whh"][k], h)), p["bh"][k])).tanh()
             for k in range(hidden)]
        logits = [sum((w * hj for w, hj in zip(row, h)), b) for row, b in zip(p["Why"], p["by"])]
        loss = loss + _cross_entropy(value, logits, target)
    return loss


def lstm_loss(value: Any, p: dict[str, list], inputs: list[int], targets: list[int], vocab: int) -> Any:
    """Summed softmax cross-entropy of an LSTM over the sequence (PyTorch's gate equations)."""
    hidden = len(p["bi"])
    h = [value(0.0) for _ in range(hidden)]
    c = [value(0.0) for _ in range(hidden)]
    loss = value(0.0)
    for x, target in zip(inputs, targets):
        def gate(name: str, k: int, x: int = x, h: list = h) -> Any:
            row = p["W" + name][k]
            return row[x] + sum((w * hj for w, hj in zip(row[vocab:], h)), p["b" + name][k])

        i = [gate("i", k).sigmoid() for k in range(hidden)]
        f = [gate("f", k).sigmoid() for k in range(hidden)]
        g = [gate("g", k).tanh() for k in range(hidden)]
        o = [gate("o", k).sigmoid() for k in range(hidden)]
        c = [fk * ck + ik * gk for fk, ck, ik, gk in zip(f, c, i, g)]
        h = [ok * ck.tanh() for ok, ck in zip(o, c)]
        logits = [sum((w * hj for w, hj in zip(row, h)), b) for row, b in zip(p["Why"], p["by"])]
        loss = loss + _cross_entropy(value, logits, target)
    return loss


def sequence(length: int, vocab: int) -> tuple[list[int], list[int]]:
    """A fixed character sequence's indices (inputs, next-character targets) of the given length."""
    text = "hello world, this is a character rnn. " * 4
    chars = sorted(set(text))
    assert len(chars) <= vocab
    index = [chars.index(ch) for ch in text]
    return index[:length], index[1:length + 1]


if __name__ == "__main__":  # run by mistake (`python bench/scalar_models.py --help` printed nothing and exited 0)
    raise SystemExit("scalar_models.py is a module the benchmark scripts import, not a benchmark: run "
                     "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
