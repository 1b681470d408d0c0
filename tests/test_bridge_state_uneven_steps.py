"""A torch optimizer state whose tensors took different numbers of steps (torch skips a tensor whose .grad is
None) carries over: each of our parameters gets its tensor's own count, and training on continues as torch's.
Going to torch, the entries of one tensor must have one count (a torch tensor has one)."""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import MLP, SGD, Adagrad, Adam  # noqa: E402
from nn.torch_bridge import from_torch, optimizer_state_from_torch, optimizer_state_to_torch, to_torch  # noqa: E402

XS = [[0.5, -1.0], [-0.3, 0.8]]
KINDS = [
    (Adam, torch.optim.Adam, {"lr": 0.01}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}),
    (Adagrad, torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.2}),
    (SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}),
]


def _their_step(module: Any, opt: Any, skip_first: bool) -> None:
    opt.zero_grad()
    (module(torch.tensor(XS, dtype=torch.float64)) ** 2).sum().backward()
    if skip_first:
        next(module.parameters()).grad = None  # torch skips this tensor
    opt.step()


def _our_step(model: MLP, opt: Any, skip_first: bool) -> None:
    opt.zero_grad()
    loss: Value | float = 0.0
    for x in XS:
        loss = loss + model(x) ** 2
    loss.backward()
    if skip_first:  # the first torch tensor is the first layer's weight: its entries are our w's of layer 0
        for p in _first_weight(model):
            p.grad = None  # type: ignore[assignment]  # None on purpose
    opt.step()


def _first_weight(model: MLP) -> list[Value]:
    """The entries of torch's ``0.weight`` (to_torch's first tensor) among our parameters."""
    return [p for name, p in model.named_parameters() if name.startswith("layers.0.") and ".w." in name]


@pytest.mark.parametrize(("ours_kind", "their_kind", "options"), KINDS)
def test_tensors_with_different_step_counts_carry_over_and_continue_as_torch(ours_kind: Any, their_kind: Any,
                                                                             options: dict[str, Any]) -> None:
    module = to_torch(MLP(2, [3, 1], seed=5))
    their = their_kind(module.parameters(), **options)
    for step in range(3):
        _their_step(module, their, skip_first=step == 0)
    if ours_kind is not SGD:
        counts = sorted({int(entry["step"]) for entry in their.state_dict()["state"].values()})
        assert counts == [2, 3]
    model = from_torch(module)
    opt = ours_kind(model.parameters(), **options)
    opt.load_state_dict(optimizer_state_from_torch(their.state_dict(), opt, model, module))
    if ours_kind is not SGD:
        first = {id(p) for p in _first_weight(model)}
        assert {opt.state[p]["step"] for p in model.parameters() if id(p) in first} == {2.0}
        assert {opt.state[p]["step"] for p in model.parameters() if id(p) not in first} == {3.0}
    for step in range(4):
        _their_step(module, their, skip_first=step == 1)
        _our_step(model, opt, skip_first=step == 1)
    mine = [v.data for v in model.parameters()]
    theirs = [v.data for v in from_torch(module).parameters()]
    assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12)
    back = optimizer_state_to_torch(opt, model, module)  # and to torch again: its own counts
    assert {k: entry.get("step") for k, entry in back["state"].items()} == \
        {k: entry.get("step") for k, entry in their.state_dict()["state"].items()}


def test_a_tensor_whose_entries_took_different_steps_is_refused_going_to_torch() -> None:
    model = MLP(2, [3, 1], seed=5)
    opt = Adam(model.parameters(), lr=0.01)
    loss = model([0.5, -1.0]) ** 2
    loss.backward()
    _first_weight(model)[1].grad = None  # type: ignore[assignment]  # one entry of torch's first weight skips
    opt.step()
    module = to_torch(model)
    with pytest.raises(ValueError, match=r"optimizer parameter \d+ .*and optimizer parameter \d+ .*are "
                                         r"entries of torch's 0.weight but have taken different steps"):
        optimizer_state_to_torch(opt, model, module)
