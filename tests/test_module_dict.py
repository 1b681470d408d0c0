"""ModuleDict as torch's: names, order, dict methods, update's forms and errors, state keys, no forward.

One script runs on both libraries where torch is installed; its expected observations are torch's documented
behaviour, written out so that the script checks ours without torch too.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

import nn


def _script(lib: Any, linear: Any) -> list[Any]:
    heads = lib.ModuleDict({"left": linear(2, 1), "right": lib.Tanh()})
    seen: list[Any] = [len(heads), list(heads), "left" in heads, [n for n, _ in heads.named_children()]]
    heads["mid"] = lib.ReLU()
    heads.update([("act", lib.Sigmoid())])
    heads.update(OrderedDict(right=lib.Identity()))
    seen += [list(heads.keys()), [type(m).__name__ for m in heads.values()]]
    seen.append(type(heads.pop("mid")).__name__)
    del heads["act"]
    seen += [list(heads), [k.split(".")[0] for k in heads.state_dict()][:1]]
    for bad in (lambda: heads["nope"], lambda: heads.update([("x",)]), lambda: heads.update([3]),
                lambda: heads.__setitem__("a.b", lib.ReLU()), lambda: heads()):
        with pytest.raises((KeyError, ValueError, TypeError, NotImplementedError)) as caught:
            bad()
        seen.append(type(caught.value).__name__)
    heads.clear()
    seen += [len(heads), repr(heads)]
    return seen


EXPECTED = [2, ["left", "right"], True, ["left", "right"],
            ["left", "right", "mid", "act"], ["Linear", "Identity", "ReLU", "Sigmoid"],
            "ReLU", ["left", "right"], ["left"],
            "KeyError", "ValueError", "TypeError", "KeyError", "NotImplementedError",
            0, "ModuleDict()"]


def test_module_dict_behaves_as_torchs() -> None:
    assert _script(nn, lambda a, b: nn.Linear(a, b, seed=0)) == EXPECTED


def test_torch_gives_the_same() -> None:
    torch = pytest.importorskip("torch")
    assert _script(torch.nn, torch.nn.Linear) == EXPECTED


def test_a_models_module_dict_holds_its_parameters() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            self.heads = nn.ModuleDict({"a": nn.Linear(2, 1, seed=1), "b": nn.Linear(2, 1, seed=2)})

    net = Net()
    assert net.num_parameters() == 6
    assert list(net.state_dict())[:3] == ["heads.a.W.0.0", "heads.a.W.0.1", "heads.a.b.0"]
    assert net.get_submodule("heads.b") is net.heads["b"]
