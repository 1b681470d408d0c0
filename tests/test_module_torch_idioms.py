"""PyTorch idioms a torch user writes on day one, checked beside torch where it is installed:
``next(model.parameters())``, ``sum(p.numel() ...)``, ``add_module`` / ``register_module``, ``linear.weight``."""

import pytest

from autograd import Value
from nn import MLP, Linear, Module


class Net(Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = Linear(2, 3, seed=0)
        self.fc2 = Linear(3, 1, seed=1)

    def forward(self, x):
        return self.fc2([h.relu() for h in self.fc1(x)])


def test_parameters_is_a_list_and_next_walks_it_like_torchs_generator() -> None:
    net = Net()
    params = net.parameters()
    assert isinstance(params, list) and len(params) == 2 * 3 + 3 + 3 + 1  # micrograd's len(model.parameters())
    assert next(net.parameters()) is params[0]  # torch's next(model.parameters())
    walked = [next(params) for _ in range(len(params))]
    assert walked == list(params)
    with pytest.raises(StopIteration):
        next(params)
    assert [p for p in params] == walked  # a for loop starts from the first, whatever next() did


def test_counting_weights_with_numel_as_in_torch() -> None:
    assert Value(2.5).numel() == 1
    assert sum(p.numel() for p in MLP(3, [4, 2]).parameters()) == 4 * 4 + 2 * 5
    torch = pytest.importorskip("torch")
    assert sum(p.numel() for p in torch.nn.Linear(2, 3).parameters()) == sum(
        p.numel() for p in Linear(2, 3).parameters())


def test_linear_has_torchs_weight_bias_and_feature_names() -> None:
    layer = Linear(2, 3, seed=0)
    assert layer.weight is layer.W and layer.bias is layer.b
    assert (layer.in_features, layer.out_features) == (2, 3)
    assert [name for name, _ in layer.named_parameters()][:1] == ["W.0.0"]  # the aliases add no parameters
    assert len(layer.parameters()) == 9


def test_add_module_and_register_module_add_a_child_with_torchs_checks() -> None:
    net = Net()
    extra = Linear(1, 1, seed=2)
    net.add_module("extra", extra)
    assert net.extra is extra and [n for n, _ in net.named_children()] == ["fc1", "fc2", "extra"]
    net.register_module("extra", None)  # an existing module of the name is replaced, as in torch
    assert net.extra is None
    with pytest.raises(TypeError, match="is not a Module subclass"):
        net.add_module("bad", 3)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match='contain "."'):
        net.add_module("a.b", Linear(1, 1))
    with pytest.raises(KeyError, match='be empty string'):
        net.add_module("", Linear(1, 1))
    with pytest.raises(KeyError, match="attribute 'forward' already exists"):
        net.add_module("forward", Linear(1, 1))


def test_add_module_raises_what_torch_raises() -> None:
    torch = pytest.importorskip("torch")
    for name, module, error in (("a.b", torch.nn.Linear(1, 1), KeyError), ("x", 3, TypeError),
                                ("forward", torch.nn.Linear(1, 1), KeyError), (5, torch.nn.Linear(1, 1), TypeError)):
        with pytest.raises(error):
            torch.nn.Module().add_module(name, module)
        ours = module if not isinstance(module, torch.nn.Module) else Linear(1, 1)
        with pytest.raises(error):
            Net().add_module(name, ours)
