"""parity27's mean-loss nodes (`autograd.mean_loss_ops`: binary cross-entropy on probabilities and on logits, with
and without weight and pos_weight, and smooth L1, each 'mean' one node) against torch and in every tape mode.

At hostile points (signed zeros, logits of ±40 and ±800, probabilities 0 and 1, |d| = beta, sizes across a
multiple of 8 so smooth L1's scalar tail is met) the eager value and gradients are torch's within 1e-12 relative
(torch's vectorized exp and log1p are not libm's in every last bit; absolute 1e-15 where its sigmoid(x) - y
cancels), and every tape mode (level interpreter, vectorized and scalar code, compiled or not) gives eager's bits,
sign of zero included; batch replay within 1e-15 (numpy's log is not libm's in every last bit: docs/replay.md).
"""

from __future__ import annotations

import math
import random
import struct
from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("numpy")
functional = torch.nn.functional

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402

LOGITS = [0.0, -0.0, 0.3, -2.5, 40.0, -40.0, 800.0, -800.0]
PROBABILITIES = [0.0, 1.0, 0.5, 1e-300, 0.999, 0.25]
DIFFERENCES = [0.0, -0.0, 2.5, -2.5, 1.0, -0.3, 7.0]


def _bits(x: float) -> bytes:
    return struct.pack(">d", float(x))


def _cases() -> list[tuple[str, int]]:
    return [(name, size) for name in ("bce", "bce-weight", "logits", "logits-weight", "logits-pos",
                                      "logits-weight-pos", "smooth_l1", "smooth_l1-beta")
            for size in (1, 3, 8, 11)]


def _problem(name: str, size: int) -> tuple[list[float], Callable[[list[Any]], Any], Callable[[Any], Any]]:
    """Points, our loss of a list of Values and torch's of a tensor."""
    rng = random.Random(f"{name}{size}")
    targets = [rng.choice([0.0, 1.0, 0.25]) for _ in range(size)]
    weight = [rng.choice([0.0, 0.5, 2.0]) for _ in range(size)] if "weight" in name else None
    pos = [rng.choice([0.0, 3.0]) for _ in range(size)] if "pos" in name else None
    tw = None if weight is None else torch.tensor(weight, dtype=torch.float64)
    tp = None if pos is None else torch.tensor(pos, dtype=torch.float64)
    ty = torch.tensor(targets, dtype=torch.float64)
    if name.startswith("bce"):
        points = [rng.choice(PROBABILITIES) for _ in range(size)]
        return (points, lambda xs: F.binary_cross_entropy(xs, targets, weight=weight),
                lambda t: functional.binary_cross_entropy(t, ty, weight=tw))
    if name.startswith("logits"):
        points = [rng.choice(LOGITS) for _ in range(size)]
        return (points, lambda xs: F.binary_cross_entropy_with_logits(xs, targets, weight=weight, pos_weight=pos),
                lambda t: functional.binary_cross_entropy_with_logits(t, ty, weight=tw, pos_weight=tp))
    beta = 2.5 if name.endswith("beta") else 1.0
    points = [rng.choice(DIFFERENCES) for _ in range(size)]
    zeros = [0.0] * size
    return (points, lambda xs: F.smooth_l1_loss(xs, zeros, beta=beta),
            lambda t: functional.smooth_l1_loss(t, torch.zeros(size, dtype=torch.float64), beta=beta))


@pytest.mark.parametrize(("name", "size"), _cases(), ids=[f"{n}-{s}" for n, s in _cases()])
def test_eager_is_torchs_and_every_tape_mode_is_eagers(name: str, size: int) -> None:
    points, ours, theirs = _problem(name, size)
    leaves = [Value(x) for x in points]
    out = ours(leaves)
    out.backward()
    value, grads = out.data, [v.grad for v in leaves]
    tensor = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    want = theirs(tensor)
    want.backward()
    assert math.isclose(value, want.item(), rel_tol=1e-12, abs_tol=1e-300), (value, want.item())
    for mine, t in zip(grads, tensor.grad.tolist()):
        assert math.isclose(mine, t, rel_tol=1e-12, abs_tol=1e-15), (mine, t)
    for vectorize in (None, True, False):
        for compiled in (False, True):
            params = [Value(x) for x in points]
            tape = record(lambda params=params: ours(params), example=[], parameters=params, vectorize=vectorize)
            if compiled:
                tape.compile()
            loss, got = tape.evaluate()
            assert _bits(loss) == _bits(value), (tape.strategy, compiled)
            assert [_bits(g) for g in got] == [_bits(g) for g in grads], (tape.strategy, compiled)
    zeros = [Value(0.0) for _ in points]
    tape = record(lambda *xs: ours([x + z for x, z in zip(xs, zeros)]), example=points, parameters=zeros)
    losses, batch = tape.run_batch([[x] for x in points])
    assert float(losses[0]) == pytest.approx(value, rel=1e-15, abs=0)
    got = [float(g[0]) if getattr(g, "ndim", 0) else float(g) for g in batch]
    assert got == pytest.approx(grads, rel=1e-15, abs=0)
    assert [math.copysign(1.0, g) for g in got if g == 0.0] == [math.copysign(1.0, g) for g in grads if g == 0.0]
