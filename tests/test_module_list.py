"""ModuleList as torch's: names, parameters, list methods, slicing, +, folded repr, and no forward.

One script runs on both libraries where torch is installed; its expected observations are torch's documented
behaviour, written out so that the script checks ours without torch too.
"""

from __future__ import annotations

from typing import Any

import pytest

import nn
from autograd import Value


def _script(lib: Any, linear: Any) -> list[Any]:
    def names(m: Any) -> list[str]:
        return [n for n, _ in m.named_children()]

    layers = lib.ModuleList([linear(2, 2) for _ in range(3)])
    seen: list[Any] = [len(layers), names(layers), repr(layers).splitlines()[1].strip()]
    seen.append(layers.append(lib.Tanh()) is layers)
    seen.append(layers.insert(0, lib.ReLU()))
    seen.append([type(m).__name__ for m in layers])
    sliced = layers[1:3]
    seen += [type(sliced).__name__, names(sliced), sliced[0] is layers[1]]
    del layers[0]
    seen.append(names(layers))
    seen.append(type(layers.pop(-1)).__name__)
    joined = layers + [lib.Sigmoid()]
    seen += [type(joined).__name__, len(joined), len(layers)]
    layers += [lib.Sigmoid()]
    layers[0] = lib.Tanh()
    seen.append([type(m).__name__ for m in layers])
    seen.append(repr(lib.ModuleList()))
    for bad in (lambda: layers[7], lambda: layers.extend(5), lambda: layers()):
        with pytest.raises((IndexError, TypeError, NotImplementedError)) as caught:
            bad()
        seen.append(type(caught.value).__name__)
    return seen


EXPECTED = [
    3, ["0", "1", "2"], "(0-2): 3 x Linear(in_features=2, out_features=2, bias=True)",
    True, None, ["ReLU", "Linear", "Linear", "Linear", "Tanh"],
    "ModuleList", ["0", "1"], True,
    ["0", "1", "2", "3"], "Tanh",
    "ModuleList", 4, 3,
    ["Tanh", "Linear", "Linear", "Sigmoid"],
    "ModuleList()",
    "IndexError", "TypeError", "NotImplementedError",
]


def test_module_list_behaves_as_torchs() -> None:
    assert _script(nn, lambda a, b: nn.Linear(a, b, seed=0)) == EXPECTED


def test_torch_gives_the_same() -> None:
    torch = pytest.importorskip("torch")
    assert _script(torch.nn, torch.nn.Linear) == EXPECTED


def test_a_models_module_list_holds_its_parameters_and_state() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            self.blocks = nn.ModuleList([nn.Linear(2, 2, seed=k) for k in range(2)])

        def forward(self, x: list[Value]) -> list[Value]:
            for block in self.blocks:
                x = block(x)
            return x

    net = Net()
    assert net.num_parameters() == 12
    assert [n for n, _ in net.named_modules()] == ["", "blocks", "blocks.0", "blocks.1"]
    assert list(net.state_dict())[:2] == ["blocks.0.W.0.0", "blocks.0.W.0.1"]
    x = [0.5, -1.0]
    expected = net.blocks[1](net.blocks[0](x))
    assert [v.data for v in net(x)] == [v.data for v in expected]
    assert repr(net).splitlines()[1:3] == ["  (blocks): ModuleList(",
                                           "    (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)"]
