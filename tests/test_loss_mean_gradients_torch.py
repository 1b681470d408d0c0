"""Every loss's 'mean' and 'sum', values and gradients, against torch's bits (float64, many random batches).

A mean here is the sum divided by the count (or by the weights' sum: nll_loss, cross_entropy), as torch's forward.
Backward, the engine hands every element the upstream gradient times the division's local derivative, 1 / N
rounded once. torch's backward kernels differ per loss: MSE, Huber and smooth L1 multiply by norm = 1 / N (as we
do), l1 and nll divide the upstream gradient (1) by N or the weights' sum (the same number), while
binary_cross_entropy (and with logits) divides its per-element gradient by N last, fl(g / N), which no local
derivative times 1 / N gives: since parity27 their 'mean' is one node whose partials are fl(g / N)
(`autograd.mean_loss_ops`), torch's bits at every N (tests/test_bce_mean_order_torch.py covers the logits and
weights); smooth L1's 'mean' likewise follows torch's vectorized loop and scalar tail.
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")
functional = torch.nn.functional

from torch_probes import sum_order_reason  # noqa: E402

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402

_REASON = sum_order_reason(torch)
SIZES = [1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 33, 64, 100, 300]
POWERS_OF_TWO = [1, 2, 4, 8, 16, 64, 256]


def _pair(rng: random.Random, size: int, name: str) -> tuple[list[float], list[float]]:
    if name == "binary_cross_entropy":
        return ([rng.uniform(0.01, 0.99) for _ in range(size)],
                [rng.choice([0.0, 1.0, rng.random()]) for _ in range(size)])
    x = [rng.uniform(-3, 3) for _ in range(size)]
    if name == "binary_cross_entropy_with_logits":
        return x, [rng.choice([0.0, 1.0, rng.random()]) for _ in range(size)]
    return x, [rng.uniform(-3, 3) for _ in range(size)]


def _both(name: str, kw: dict[str, float], x: list[float], y: list[float], reduction: str):  # type: ignore[no-untyped-def]
    values = [Value(v) for v in x]
    ours = getattr(F, name)(values, y, reduction=reduction, **kw)
    ours.backward()
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    theirs = getattr(functional, name)(tx, torch.tensor(y, dtype=torch.float64), reduction=reduction, **kw)
    theirs.backward()
    return ours.data, [v.grad for v in values], theirs.item(), tx.grad.tolist()


EXACT = [
    ("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {}), ("huber_loss", {"delta": 0.7}),
    ("huber_loss", {"delta": 2.5}), ("smooth_l1_loss", {}),
]


@pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize(("name", "kw"), EXACT)
def test_value_and_gradients_equal_torchs_bits(name: str, kw: dict[str, float], reduction: str) -> None:
    rng = random.Random(f"{name}{kw}{reduction}")
    for size in SIZES:
        for _ in range(6):
            x, y = _pair(rng, size, name)
            value, grads, want, want_grads = _both(name, kw, x, y, reduction)
            assert value == want, (size, x, y)
            assert grads == want_grads, (size, x, y)


@pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
@pytest.mark.parametrize("beta", [0.3, 0.7, 2.5, 3.0])
def test_smooth_l1_with_beta_sums_as_torch_and_averages_as_torch_over_powers_of_two(beta: float) -> None:
    """torch's gradient is d / beta in one rounding (times norm); a graph of 0.5 * d * d / beta gave d * (1 / beta)."""
    rng = random.Random(beta)
    for reduction, sizes in (("sum", SIZES), ("mean", POWERS_OF_TWO)):
        for size in sizes:
            for _ in range(6):
                x, y = _pair(rng, size, "smooth_l1_loss")
                value, grads, want, want_grads = _both("smooth_l1_loss", {"beta": beta}, x, y, reduction)
                assert value == want and grads == want_grads, (reduction, size, x, y)


@pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
@pytest.mark.parametrize("beta", [0.3, 1.0, 2.5])
def test_smooth_l1_mean_gradients_are_torchs_at_every_size(beta: float) -> None:
    """torch's kernel computes norm * (d / beta) for the first 8 floor(N / 8) elements (its vectorized loop) and
    (norm * d) / beta for the rest (its scalar loop); since parity27 the 'mean' is one node doing the same (before,
    the last N mod 8 gradients were up to 2 ulps off: 218 of 22,400 over 5 betas)."""
    rng = random.Random(beta)
    for size in [3, 5, 7, 9, 13, 15, 17, 33, 100]:
        for _ in range(6):
            x, y = _pair(rng, size, "smooth_l1_loss")
            value, grads, want, want_grads = _both("smooth_l1_loss", {"beta": beta}, x, y, "mean")
            assert value == want and grads == want_grads, (size, x, y)


@pytest.mark.skipif(_REASON is not None, reason=_REASON or "")
def test_binary_cross_entropy_sums_and_averages_as_torch() -> None:
    """Every size, weighted or not (before parity27 the 'mean' matched only for N a power of two)."""
    rng = random.Random(4)
    weight_rng = random.Random(5)
    for reduction, sizes in (("sum", SIZES), ("mean", SIZES)):
        for size in sizes:
            x, y = _pair(rng, size, "binary_cross_entropy")
            value, grads, want, want_grads = _both("binary_cross_entropy", {}, x, y, reduction)
            assert value == want and grads == want_grads, (reduction, size)
            weight = [weight_rng.uniform(0.1, 2.0) for _ in range(size)]
            values = [Value(v) for v in x]
            ours = F.binary_cross_entropy(values, y, weight=weight, reduction=reduction)
            ours.backward()
            tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
            theirs = functional.binary_cross_entropy(tx, torch.tensor(y, dtype=torch.float64),
                                                     weight=torch.tensor(weight, dtype=torch.float64),
                                                     reduction=reduction)
            theirs.backward()
            assert ours.data == theirs.item() and [v.grad for v in values] == tx.grad.tolist(), (reduction, size)


def test_weighted_nll_mean_divides_by_the_weights_sum_as_torch() -> None:
    """torch: -(g / total_weight) * weight[target] per picked entry; ours the same two roundings."""
    rng = random.Random(9)
    for case in range(120):
        n, c = rng.choice([1, 2, 3, 5, 8, 13, 40]), rng.choice([2, 3, 5, 10])
        logits = torch.randn(n, c, dtype=torch.float64, generator=torch.Generator().manual_seed(case))
        log_probs = functional.log_softmax(logits, 1).tolist()
        target = [rng.randrange(c) for _ in range(n)]
        if n > 2:
            target[1] = -100  # ignored: counts for nothing in the weights' sum
        weight = [rng.uniform(0.2, 2.0) for _ in range(c)] if case % 2 else None
        rows = [[Value(v) for v in row] for row in log_probs]
        ours = F.nll_loss(rows, target, weight=weight)
        ours.backward()
        tl = torch.tensor(log_probs, dtype=torch.float64, requires_grad=True)
        theirs = functional.nll_loss(tl, torch.tensor(target),
                                     weight=None if weight is None else torch.tensor(weight, dtype=torch.float64))
        theirs.backward()
        assert ours.data == theirs.item()
        assert [[v.grad for v in row] for row in rows] == tl.grad.tolist()
