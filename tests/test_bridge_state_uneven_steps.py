"""A torch Adam state whose tensors of one group took different numbers of steps cannot be carried over.

torch skips a tensor whose .grad is None in a step, so its step count lags the others'; ours counts steps
per group, so such a state is refused naming the counts, and the optimizer is left unchanged.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from nn import MLP, Adam  # noqa: E402
from nn.torch_bridge import from_torch, optimizer_state_from_torch, to_torch  # noqa: E402


def test_tensors_with_different_step_counts_in_one_group_are_refused() -> None:
    module = to_torch(MLP(2, [3, 1], seed=5))
    their = torch.optim.Adam(module.parameters(), lr=0.01)
    xs = torch.tensor([[0.5, -1.0], [-0.3, 0.8]], dtype=torch.float64)
    for step in range(3):
        their.zero_grad()
        (module(xs) ** 2).sum().backward()
        if step == 0:
            next(module.parameters()).grad = None  # torch skips this tensor once: 2 steps, the others 3
        their.step()
    counts = sorted({int(entry["step"]) for entry in their.state_dict()["state"].values()})
    assert counts == [2, 3]
    model = from_torch(module)
    opt = Adam(model.parameters(), lr=0.01)
    before = opt.state_dict()
    with pytest.raises(ValueError, match=r"different numbers of steps \[2, 3\]"):
        optimizer_state_from_torch(their.state_dict(), opt, model, module)
    assert opt.state_dict() == before
