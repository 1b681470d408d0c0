"""`Module.load_state_dict`'s ``assign=`` and a ``state_dict(keep_vars=True)`` dict, against torch.nn.Module.

torch loads a dict holding the parameters themselves (``keep_vars=True``) by
copying their data, and with ``assign=True`` makes the dict's objects the
module's parameters (tied weights stay tied, an optimizer made before keeps the
old ones). The torch halves skip where torch is not installed; the rest assert
hand-written expectations.
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import MLP, Module
from nn.optim import SGD


class Tied(Module):
    """One weight held under two names (an attribute and inside a tuple), plus a list of two more."""

    def __init__(self, w: float, rest: tuple[float, float]) -> None:
        self.w = Value(w)
        self.pair = (self.w, Value(5.0))
        self.rest = [Value(rest[0]), Value(rest[1])]


def test_a_keep_vars_dict_loads_by_its_data_as_torchs_does() -> None:
    source, target = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    target.load_state_dict(source.state_dict(keep_vars=True))
    assert [p.data for p in target.parameters()] == [p.data for p in source.parameters()]
    assert all(a is not b for a, b in zip(target.parameters(), source.parameters()))  # copied, not shared


def test_a_keep_vars_dict_loads_in_torch_too() -> None:
    torch = pytest.importorskip("torch")
    source, target = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    target.load_state_dict(source.state_dict(keep_vars=True))
    assert torch.equal(target.weight, source.weight) and target.weight is not source.weight


def test_assign_true_makes_the_dicts_values_the_parameters() -> None:
    source, target = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    old = target.parameters()
    target.load_state_dict(source.state_dict(keep_vars=True), assign=True)
    assert all(a is b for a, b in zip(target.parameters(), source.parameters()))
    assert all(p not in target.parameters() for p in old)


def test_assign_true_keeps_a_tied_weight_tied_everywhere_it_is_held() -> None:
    model = Tied(1.0, (2.0, 3.0))
    new = {"w": Value(7.0), "pair.0": Value(7.0), "pair.1": Value(8.0), "rest.0": Value(9.0), "rest.1": Value(10.0)}
    model.load_state_dict(new, assign=True)
    assert model.w is new["w"] and model.pair[0] is new["w"] and model.pair[1] is new["pair.1"]
    assert model.rest[0] is new["rest.0"] and model.rest[1] is new["rest.1"]
    assert isinstance(model.pair, tuple) and len(model.parameters()) == 4


def test_assign_true_with_numbers_copies_in_and_an_old_optimizer_keeps_working() -> None:
    model = MLP(2, [1], seed=0)
    opt = SGD(model.parameters(), lr=0.5)
    model.load_state_dict({name: 1.0 for name, _ in model.named_parameters()}, assign=True)
    assert [p.data for p in model.parameters()] == [1.0, 1.0, 1.0]
    # The optimizer still holds the model's parameters: a number has no object to hand over.
    assert all(a is b for a, b in zip(opt.param_groups[0]["params"], model.parameters(), strict=True))


def test_assign_true_in_torch_hands_over_the_objects() -> None:
    torch = pytest.importorskip("torch")
    source, target = torch.nn.Linear(2, 1), torch.nn.Linear(2, 1)
    target.load_state_dict(source.state_dict(keep_vars=True), assign=True)
    assert target.weight is source.weight and target.bias is source.bias


def test_assign_must_be_a_bool() -> None:
    with pytest.raises(TypeError, match="assign must be True or False"):
        MLP(1, [1], seed=0).load_state_dict({}, strict=False, assign=1)  # type: ignore[arg-type]
