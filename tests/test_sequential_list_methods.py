"""Sequential's list methods (append, insert, extend, pop, del, item assignment, + and *) as torch's,
and Module.get_parameter / get_buffer.

The same script runs on both libraries where torch is installed; the expected names and types are torch's
documented behaviour, written out so the script also checks ours without torch.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

import nn
from autograd import Value


def _script(lib: Any, linear: Any) -> list[Any]:
    def names(m: Any) -> list[str]:
        return [n for n, _ in m.named_children()]

    def kinds(m: Any) -> list[str]:
        return [type(child).__name__ for child in m]

    seq = lib.Sequential(linear(1, 2), lib.Tanh(), linear(2, 3))
    seen: list[Any] = []
    seen.append(seq.append(lib.ReLU()) is seq)
    seen.append(names(seq))
    seq.insert(1, lib.Sigmoid())
    seq.insert(-1, lib.Identity())
    seen.append(kinds(seq))
    del seq[0]
    seen += [names(seq), kinds(seq)]
    seen.append(type(seq.pop(-1)).__name__)
    seq[0] = lib.ReLU()
    seen.append(kinds(seq))
    joined = seq + lib.Sequential(lib.Tanh())
    seen += [names(joined), len(seq), joined[0] is seq[0]]
    twice = lib.Sequential(lib.Tanh(), lib.ReLU()) * 2
    seen += [len(twice), twice[0] is twice[2]]
    seq += lib.Sequential(lib.Sigmoid())
    del seq[1:3]
    seen += [names(seq), kinds(seq)]
    seen.append(names(seq.extend([lib.Tanh()])))
    named = lib.Sequential(OrderedDict([("a", lib.Tanh()), ("b", lib.ReLU())]))
    named.append(lib.Sigmoid())
    seen.append(names(named))
    del named[0]
    seen.append(names(named))
    for bad in (lambda: seq.insert(99, lib.ReLU()), lambda: seq + 3, lambda: seq * 0, lambda: seq * "a",
                lambda: seq.__setitem__(99, lib.ReLU())):
        with pytest.raises((IndexError, ValueError, TypeError)) as caught:
            bad()
        seen.append(type(caught.value).__name__)
    return seen


EXPECTED = [
    True, ["0", "1", "2", "3"],
    ["Linear", "Sigmoid", "Tanh", "Linear", "Identity", "ReLU"],
    ["0", "1", "2", "3", "4"], ["Sigmoid", "Tanh", "Linear", "Identity", "ReLU"],
    "ReLU", ["ReLU", "Tanh", "Linear", "Identity"],
    ["0", "1", "2", "3", "4"], 4, True,
    4, True,
    ["0", "1", "2"], ["ReLU", "Identity", "Sigmoid"],
    ["0", "1", "2", "3"],
    ["a", "b", "2"], ["0", "1"],
    "IndexError", "ValueError", "ValueError", "TypeError", "IndexError",
]


def test_sequential_list_methods_follow_torch() -> None:
    assert _script(nn, lambda a, b: nn.Linear(a, b, seed=0)) == EXPECTED


def test_torch_gives_the_same() -> None:
    torch = pytest.importorskip("torch")
    assert _script(torch.nn, torch.nn.Linear) == EXPECTED


def test_a_deletion_renumbers_state_dict_keys_and_the_model_still_runs() -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Tanh(), nn.Linear(2, 1, seed=1))
    last = model[2]
    del model[1]
    assert [k for k in model.state_dict() if k.endswith("b.0")] == ["0.b.0", "1.b.0"]
    assert model[1] is last
    x = [0.5, -1.0]
    expected = last(model[0](x))[0].data
    assert model(x)[0].data == expected


def test_a_module_that_is_no_module_is_refused() -> None:
    seq = nn.Sequential()
    for call in (lambda: seq.append(3), lambda: seq.insert(0, "relu"), lambda: seq.extend([None])):
        with pytest.raises(TypeError, match="is not a Module subclass"):
            call()
    assert len(seq) == 0


def test_get_parameter_and_get_buffer_as_torch() -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=0))
    assert model.get_parameter("0.W.1.0") is model[0].W[1][0]
    with pytest.raises(AttributeError, match="no parameter"):
        model.get_parameter("0.weight")
    model[0].register_buffer("count", 3.0)
    assert model.get_buffer("0.count") == 3.0
    with pytest.raises(AttributeError, match="no buffer"):
        model.get_buffer("0.W")
    assert isinstance(model.get_parameter("0.b.1"), Value)


def test_torch_names_get_parameter_and_get_buffer_so() -> None:
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    model[0].register_buffer("count", torch.tensor(3.0))
    assert model.get_parameter("0.bias") is model[0].bias
    assert model.get_buffer("0.count").item() == 3.0
    with pytest.raises(AttributeError):
        model.get_parameter("0.W")


def test_torchs_constructor_arguments_are_taken_or_refused_by_name() -> None:
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)" and repr(nn.ReLU()) == "ReLU()"
    assert nn.ReLU(True)(Value(-2.0)).data == 0.0
    assert repr(nn.Identity(3, unused=1)) == "Identity()"
    assert nn.Linear(2, 3, bias=True).state_dict().keys() == nn.Linear(2, 3).state_dict().keys()
    with pytest.raises(ValueError, match="bias=False"):
        nn.Linear(2, 3, bias=False)
    with pytest.raises(TypeError, match="torch's is bias"):
        nn.Linear(2, 3, True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be True or False"):
        nn.ReLU(inplace=1)  # type: ignore[arg-type]


def test_torch_prints_the_same_constructor_arguments() -> None:
    torch = pytest.importorskip("torch")
    assert repr(torch.nn.ReLU(inplace=True)) == repr(nn.ReLU(inplace=True))
    assert repr(torch.nn.ReLU()) == repr(nn.ReLU())
    assert repr(torch.nn.Identity(3, unused=1)) == repr(nn.Identity(3, unused=1))
    assert repr(torch.nn.Linear(2, 3, bias=True)) == repr(nn.Linear(2, 3, bias=True))

