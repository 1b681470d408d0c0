"""The torch bridge and the pointwise activations and Dropout: an MLP with a named activation is torch's
nn.Sequential with that module (torch's default options); any other Sequential of Linear, activation modules and
Dropout crosses child by child, with the same options and each child's training/evaluation mode, both ways."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from torch import nn as tnn  # noqa: E402

import nn  # noqa: E402
from nn.torch_bridge import (  # noqa: E402
    NoCounterpart,
    from_torch,
    optimizer_state_to_torch,
    parity_report,
    to_torch,
)

TORCH_CLASS = {"leaky_relu": tnn.LeakyReLU, "elu": tnn.ELU, "silu": tnn.SiLU, "softplus": tnn.Softplus,
               "gelu": tnn.GELU, "hardtanh": tnn.Hardtanh}
INPUTS = [[0.5, -1.0], [2.0, 3.0], [-4.0, 0.25], [0.0, -0.0]]


def _weights(module: Any) -> dict[str, list]:
    return {name: p.detach().tolist() for name, p in module.named_parameters()}


@pytest.mark.parametrize("name", sorted(TORCH_CLASS))
def test_an_mlp_with_a_named_activation_goes_to_torchs_module_and_back(name: str) -> None:
    model = nn.MLP(2, [4, 3, 1], activation=name, seed=7)
    module = to_torch(model)
    kinds = [type(child) for child in module]
    assert kinds == [tnn.Linear, TORCH_CLASS[name], tnn.Linear, TORCH_CLASS[name], tnn.Linear]
    assert repr(module[1]) == repr(TORCH_CLASS[name]())  # torch's default options
    report = parity_report(model, module, INPUTS, tolerance=1e-13)  # outputs, loss, every gradient
    assert report.ok, report.table(limit=5)
    back = from_torch(module)
    assert isinstance(back, nn.MLP)
    assert [n.activation for n in back.layers[1].neurons] == [name] * 3
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]


def test_torchs_default_activation_modules_read_as_an_mlp() -> None:
    module = tnn.Sequential(tnn.Linear(2, 3), tnn.SiLU(), tnn.Linear(3, 3), tnn.Hardtanh(), tnn.Linear(3, 1),
                            tnn.Softplus()).double()
    model = from_torch(module)
    assert isinstance(model, nn.MLP)
    assert [layer.neurons[0].activation for layer in model.layers] == ["silu", "hardtanh", "softplus"]
    assert parity_report(model, module, INPUTS, tolerance=1e-13).ok


def _sequential() -> nn.Sequential:
    return nn.Sequential(OrderedDict([
        ("fc1", nn.Linear(2, 4, seed=1)), ("act1", nn.LeakyReLU(0.2)), ("drop", nn.Dropout(0.3)),
        ("fc2", nn.Linear(4, 3, seed=2)), ("act2", nn.GELU(approximate="tanh")), ("clip", nn.Hardtanh(-0.5, 2.0)),
        ("fc3", nn.Linear(3, 2, seed=3)), ("act3", nn.Softplus(beta=2.0, threshold=5.0)),
        ("act4", nn.ELU(alpha=0.5)), ("same", nn.Identity()),
    ]))


def test_a_sequential_goes_to_torch_with_the_same_options_names_and_modes() -> None:
    model = _sequential()
    module = to_torch(model)
    assert [(name, repr(child)) for name, child in module.named_children()] == [
        ("fc1", "Linear(in_features=2, out_features=4, bias=True)"), ("act1", "LeakyReLU(negative_slope=0.2)"),
        ("drop", "Dropout(p=0.3, inplace=False)"), ("fc2", "Linear(in_features=4, out_features=3, bias=True)"),
        ("act2", "GELU(approximate='tanh')"), ("clip", "Hardtanh(min_val=-0.5, max_val=2.0)"),
        ("fc3", "Linear(in_features=3, out_features=2, bias=True)"),
        ("act3", "Softplus(beta=2.0, threshold=5.0)"), ("act4", "ELU(alpha=0.5)"), ("same", "Identity()")]
    assert module.training and module.drop.training  # ours is in training mode, as a new module
    model.eval()
    module = to_torch(model)
    assert not module.training and not module.drop.training
    report = parity_report(model, module, INPUTS, tolerance=1e-13)  # in eval mode Dropout is the identity
    assert report.ok, report.table(limit=5)
    model.drop.train()  # one child in training mode, the rest not: each keeps its own
    module = to_torch(model)
    assert module.drop.training and not module.fc1.training and not module.training


def test_a_torch_sequential_with_dropout_or_other_options_comes_back_as_our_sequential() -> None:
    module = tnn.Sequential(tnn.Linear(2, 3), tnn.ReLU(inplace=True), tnn.Dropout(0.25), tnn.Linear(3, 1),
                            tnn.LeakyReLU(0.3), tnn.Tanh()).double()
    module.eval()
    module[2].train()
    model = from_torch(module)
    assert isinstance(model, nn.Sequential)
    assert [type(child).__name__ for child in model] == ["Linear", "ReLU", "Dropout", "Linear", "LeakyReLU", "Tanh"]
    assert model[1].inplace is True and model[2].p == 0.25 and model[4].negative_slope == 0.3
    assert not model.training and model[2].training and not model[0].training
    assert _weights(to_torch(model)) == _weights(module)  # bit for bit
    model[2].eval()
    module[2].eval()
    assert parity_report(model, module, INPUTS, tolerance=1e-13).ok


def test_dropout_in_training_mode_keeps_torchs_scale_on_both_sides() -> None:
    # p = 0.5: every kept entry is twice the input on both sides (the masks differ, drawn by two generators).
    model = nn.Sequential(nn.Linear(2, 64, seed=4), nn.Dropout(0.5, generator=1))
    module = to_torch(model)
    torch.manual_seed(0)
    x = [0.75, -0.5]
    theirs = module(torch.tensor([x], dtype=torch.float64))[0].tolist()
    plain = [y.data for y in model[0](x)]
    ours = [y.data for y in model(x)]
    for outputs in (ours, theirs):
        assert all(y in (0.0, 2.0 * z) for y, z in zip(outputs, plain))
        assert 0 < sum(1 for y in outputs if y == 0.0) < 64


def test_optimizer_state_of_a_sequential_crosses_over() -> None:
    model = _sequential().eval()
    opt = nn.Adam(model.parameters(), lr=0.01)
    for _ in range(3):
        opt.zero_grad()
        loss: Any = 0.0
        for x in INPUTS:
            for y in model(x):
                loss = loss + y * y
        loss.backward()
        opt.step()
    module = to_torch(model)
    theirs = torch.optim.Adam(module.parameters(), lr=0.01)
    theirs.load_state_dict(optimizer_state_to_torch(opt, model, module))
    for _ in range(2):
        opt.zero_grad()
        loss = 0.0
        for x in INPUTS:
            for y in model(x):
                loss = loss + y * y
        loss.backward()
        opt.step()
        theirs.zero_grad()
        (module(torch.tensor(INPUTS, dtype=torch.float64)) ** 2).sum().backward()
        theirs.step()
    mine = [p.data for p in model.parameters()]
    back = [p.data for p in from_torch(module).parameters()]
    assert mine == pytest.approx(back, rel=1e-12, abs=1e-12)


def test_what_has_no_counterpart_is_named() -> None:
    with pytest.raises(TypeError, match=r"Sequential's layer 1 \(Softmax\) is none of them"):
        to_torch(nn.Sequential(nn.Linear(2, 3, seed=0), nn.Softmax(dim=0)))
    shared = nn.Linear(2, 2, seed=0)
    with pytest.raises(ValueError, match="Sequential's layer 2 .* is layer 0 again"):
        to_torch(nn.Sequential(shared, nn.Tanh(), shared))
    with pytest.raises(ValueError, match="layer 2 .* takes 3 inputs but the Linear before it gives 4"):
        to_torch(nn.Sequential(nn.Linear(2, 4, seed=0), nn.Tanh(), nn.Linear(3, 1, seed=0)))
    with pytest.raises(TypeError, match="at least one Linear"):
        to_torch(nn.Sequential(nn.Tanh()))
    with pytest.raises(NoCounterpart, match=r"layer 1 \(Mish\(\)\) has no counterpart"):
        from_torch(tnn.Sequential(tnn.Linear(2, 2), tnn.Mish()))
