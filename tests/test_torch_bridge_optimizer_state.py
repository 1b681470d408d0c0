"""Optimizer state across the torch bridge: train on one side, carry the state over, continue on the other."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import MLP, SGD, Adagrad, Adam, AdamW, RNNCell  # noqa: E402
from nn.torch_bridge import from_torch, optimizer_state_from_torch, optimizer_state_to_torch, to_torch  # noqa: E402

DATA = [([0.5, -1.0], 0.25), ([-0.3, 0.8], -0.5), ([1.2, 0.1], 0.75)]
KINDS = [
    (SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    (Adam, torch.optim.Adam, {"lr": 0.01, "amsgrad": True}),
    (AdamW, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.1}),
    (Adagrad, torch.optim.Adagrad, {"lr": 0.1, "initial_accumulator_value": 0.2}),
]


def _our_step(model: MLP, opt) -> None:
    opt.zero_grad()
    loss: Value | float = 0.0
    for x, y in DATA:
        loss = loss + (model(x) - y) ** 2
    loss.backward()
    opt.step()


def _their_step(module, opt) -> None:
    opt.zero_grad()
    xs = torch.tensor([x for x, _ in DATA], dtype=torch.float64)
    ys = torch.tensor([[y] for _, y in DATA], dtype=torch.float64)
    ((module(xs) - ys) ** 2).sum().backward()
    opt.step()


def _weights(model: MLP, module) -> tuple[list[float], list[float]]:
    return [v.data for v in model.parameters()], [v.data for v in from_torch(module).parameters()]


@pytest.mark.parametrize(("ours_kind", "their_kind", "options"), KINDS)
def test_state_carried_to_torch_continues_as_ours_does(ours_kind, their_kind, options) -> None:
    model = MLP(2, [3, 1], seed=4)
    opt = ours_kind(model.parameters(), **options)
    for _ in range(3):
        _our_step(model, opt)
    module = to_torch(model)
    their = their_kind(module.parameters(), **options)
    their.load_state_dict(optimizer_state_to_torch(opt, model, module))
    for _ in range(3):
        _our_step(model, opt)
        _their_step(module, their)
    mine, theirs = _weights(model, module)
    assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("ours_kind", "their_kind", "options"), KINDS)
def test_state_carried_from_torch_continues_as_torchs_does(ours_kind, their_kind, options) -> None:
    module = to_torch(MLP(2, [3, 1], seed=5))
    their = their_kind(module.parameters(), **options)
    for _ in range(3):
        _their_step(module, their)
    model = from_torch(module)
    opt = ours_kind(model.parameters(), **options)
    opt.load_state_dict(optimizer_state_from_torch(their.state_dict(), opt, model, module))
    for _ in range(3):
        _our_step(model, opt)
        _their_step(module, their)
    mine, theirs = _weights(model, module)
    assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12)


def test_a_round_trip_keeps_every_number() -> None:
    model = MLP(2, [3, 1], seed=6)
    opt = Adam(model.parameters(), lr=0.01)
    _our_step(model, opt)
    module = to_torch(model)
    state = optimizer_state_to_torch(opt, model, module)
    assert sorted(state["state"][0]) == ["exp_avg", "exp_avg_sq", "step"]
    assert state["state"][0]["exp_avg"].shape == module[0].weight.shape
    back = optimizer_state_from_torch(state, opt, model, module)
    assert back == opt.state_dict()


def test_groups_that_split_a_tensor_are_refused() -> None:
    model = MLP(2, [1], seed=0)
    params = model.parameters()
    opt = SGD([{"params": params[:2]}, {"params": params[2:]}], lr=0.1)  # bias, w0 | w1: the weight split
    with pytest.raises(ValueError, match="split between param_groups"):
        optimizer_state_to_torch(opt, model, to_torch(model))
    partial = SGD(params[:2], lr=0.1)
    with pytest.raises(ValueError, match="only partly in the optimizer"):
        optimizer_state_to_torch(partial, model, to_torch(model))


def test_a_recurrent_bias_takes_both_torch_biases_and_they_must_agree() -> None:
    model = RNNCell(1, 2, seed=0)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.5)
    for p in model.parameters():
        p.grad = 1.0
    opt.step()
    module = to_torch(model)
    state = optimizer_state_to_torch(opt, model, module)
    names = [name for name, _ in module.named_parameters()]
    ih, hh = names.index("bias_ih"), names.index("bias_hh")
    assert torch.equal(state["state"][ih]["momentum_buffer"], state["state"][hh]["momentum_buffer"])
    state["state"][hh]["momentum_buffer"][0] += 1.0
    with pytest.raises(ValueError, match="partner bias hold different momentum_buffer"):
        optimizer_state_from_torch(state, opt, model, module)


def test_two_groups_with_their_own_rates_cross_over() -> None:
    model = MLP(2, [1], seed=2)
    bias, *weights = model.parameters()
    opt = Adam([{"params": [bias], "lr": 0.1}, {"params": weights}], lr=0.01)
    for _ in range(2):
        _our_step(model, opt)
    module = to_torch(model)
    their = torch.optim.Adam([{"params": [module[0].bias], "lr": 0.1}, {"params": [module[0].weight]}], lr=0.01)
    state = optimizer_state_to_torch(opt, model, module)
    assert [g["params"] for g in state["param_groups"]] == [g["params"] for g in their.state_dict()["param_groups"]]
    their.load_state_dict(state)
    for _ in range(2):
        _our_step(model, opt)
        _their_step(module, their)
    mine, theirs = _weights(model, module)
    assert mine == pytest.approx(theirs, rel=1e-12, abs=1e-12)
    back = optimizer_state_from_torch(their.state_dict(), opt, model, module)  # torch's own numbering loads
    for name, values in opt.state_dict()["buffers"].items():
        assert back["buffers"][name] == pytest.approx(values, rel=1e-12)
    assert back["group_steps"] == [4, 4]


def test_a_module_that_is_not_the_models_counterpart_is_refused_by_name() -> None:
    from nn import CharModel

    model = MLP(2, [3, 1], seed=0)
    optimizer = Adam(model.parameters(), lr=0.1)
    other = to_torch(CharModel(4, 3, seed=0))
    with pytest.raises(ValueError, match=r"not the PyTorch counterpart of model \(MLP\): it has no parameter"):
        optimizer_state_to_torch(optimizer, model, other)
    with pytest.raises(ValueError, match="not the PyTorch counterpart"):
        optimizer_state_from_torch({"state": {}, "param_groups": []}, optimizer, model, other)


@pytest.mark.parametrize(("ours", "theirs"), [(Adam, torch.optim.SGD), (SGD, torch.optim.Adam),
                                              (Adagrad, torch.optim.Adam), (Adam, torch.optim.Adagrad)])
def test_another_kind_of_torch_optimizers_state_is_refused(ours, theirs) -> None:
    model = MLP(2, [3, 1], seed=0)
    module = to_torch(model)
    optimizer = ours(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=f"is not a torch {ours.__name__}'s state"):
        optimizer_state_from_torch(theirs(module.parameters(), lr=0.1).state_dict(), optimizer, model, module)
