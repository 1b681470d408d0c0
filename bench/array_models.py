"""The same models as `scalar_models`, as array code for PyTorch and JAX (the references and the limit).

Each loss is written once over an ``ops`` namespace (`torch_ops` or `jax_ops`);
the weights are the same seeded numbers the scalar engines start from.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


def torch_ops(torch: Any) -> SimpleNamespace:
    """PyTorch's spelling of the few array ops the losses use."""
    return SimpleNamespace(tanh=torch.tanh, sigmoid=torch.sigmoid, logsumexp=lambda z: torch.logsumexp(z, 0),
                           zeros=lambda n: torch.zeros(n, dtype=torch.float64), sum=torch.sum)


def jax_ops(jnp: Any, jax: Any) -> SimpleNamespace:
    """JAX's spelling of the same ops."""
    return SimpleNamespace(tanh=jnp.tanh, sigmoid=jax.nn.sigmoid, logsumexp=jax.nn.logsumexp,
                           zeros=lambda n: jnp.zeros(n, dtype=jnp.float64), sum=jnp.sum)


def mlp_loss(ops: Any, weights: list, x: Any, y: Any) -> Any:
    """W1's loss over a batch: tanh MLP, MSE, + 1e-4 L2 (weights as (W, b) with W of shape nout x nin)."""
    h = x
    for k, (w, b) in enumerate(weights):
        h = h @ w.T + b
        if k < len(weights) - 1:
            h = ops.tanh(h)
    return ((h[:, 0] - y) ** 2).mean() + 1e-4 * sum(ops.sum(w * w) + ops.sum(b * b) for w, b in weights)


def rnn_loss(ops: Any, p: dict, inputs: list[int], targets: list[int]) -> Any:
    """W3's loss: a vanilla RNN's summed cross-entropy."""
    h = ops.zeros(p["bh"].shape[0])
    loss = 0.0
    for x, t in zip(inputs, targets):
        h = ops.tanh(p["Wxh"][:, x] + p["Whh"] @ h + p["bh"])
        z = p["Why"] @ h + p["by"]
        loss = loss + ops.logsumexp(z) - z[t]
    return loss


def lstm_loss(ops: Any, p: dict, inputs: list[int], targets: list[int], vocab: int) -> Any:
    """W5's loss: an LSTM's summed cross-entropy (PyTorch's gate equations)."""
    h = ops.zeros(p["bi"].shape[0])
    c = h
    loss = 0.0
    for x, t in zip(inputs, targets):
        def gate(name: str, x: int = x, h: Any = h) -> Any:
            w = p["W" + name]
            return w[:, x] + w[:, vocab:] @ h + p["b" + name]

        i, f, g, o = ops.sigmoid(gate("i")), ops.sigmoid(gate("f")), ops.tanh(gate("g")), ops.sigmoid(gate("o"))
        c = f * c + i * g
        h = o * ops.tanh(c)
        z = p["Why"] @ h + p["by"]
        loss = loss + ops.logsumexp(z) - z[t]
    return loss


if __name__ == "__main__":  # run by mistake (`python bench/array_models.py --help` printed nothing and exited 0)
    raise SystemExit("array_models.py is a module the benchmark scripts import, not a benchmark: run "
                     "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
