"""Random expressions against PyTorch in float64: gradients to the last digits.

Skipped where PyTorch is not installed (it is an optional reference, never a
dependency: `pip install torch==2.13.0`).
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

from autograd import Value, log_softmax  # noqa: E402

UNARY = ["tanh", "sigmoid", "exp_small", "log_abs", "relu", "square"]
BINARY = ["add", "sub", "mul", "div"]


def _random_expression(rng: random.Random, leaves: list, depth: int, lib: str):
    """Build the same random expression tree over either engine's leaves."""
    if depth == 0:
        return leaves[rng.randrange(len(leaves))]
    if rng.random() < 0.4:
        kind = rng.choice(UNARY)
        x = _random_expression(rng, leaves, depth - 1, lib)
        if kind == "tanh":
            return x.tanh()
        if kind == "sigmoid":
            return x.sigmoid()
        if kind == "exp_small":
            return (x * 0.1).exp() if lib == "ours" else torch.exp(x * 0.1)
        if kind == "log_abs":
            return (x * x + 1).log() if lib == "ours" else torch.log(x * x + 1)
        if kind == "relu":
            return x.relu()
        return x**2
    kind = rng.choice(BINARY)
    a = _random_expression(rng, leaves, depth - 1, lib)
    b = _random_expression(rng, leaves, depth - 1, lib)
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    return a / (b * b + 1)


@pytest.mark.parametrize("seed", range(25))
def test_random_expressions_match_pytorch(seed: int) -> None:
    data = [random.Random(seed * 7 + i).uniform(-2, 2) for i in range(4)]
    ours = [Value(x) for x in data]
    theirs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in data]
    out = _random_expression(random.Random(seed), ours, 5, "ours")
    ref = _random_expression(random.Random(seed), theirs, 5, "torch")
    if not isinstance(out, Value):
        pytest.skip("expression is a bare leaf")
    out.backward()
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-13, abs=1e-15)
    for v, t in zip(ours, theirs):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_log_softmax_matches_pytorch_for_huge_logits() -> None:
    data = [1000.0, -1000.0, 3.0, 999.5]
    ours = [Value(x) for x in data]
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    lp = log_softmax(ours)
    ref = torch.log_softmax(t, dim=0)
    (lp[0] * 2 + lp[2]).backward()
    (ref[0] * 2 + ref[2]).backward()
    assert [v.data for v in lp] == pytest.approx(ref.tolist(), rel=1e-13)
    assert [v.grad for v in ours] == pytest.approx(t.grad.tolist(), rel=1e-12, abs=1e-15)
