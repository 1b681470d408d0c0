"""Module.train()/eval()/training, load_state_dict(strict=False) and save/load type checks, as in PyTorch."""

from __future__ import annotations

import pytest

from autograd import Value
from nn import MLP, SGD, Adam, AdamW, CharModel, Module
from nn.serialization import load, save


class _Pair(Module):
    def __init__(self) -> None:
        self.first = MLP(2, [2, 1], seed=0)
        self.rest = [[CharModel(3, 2, seed=1)], (MLP(1, [1], seed=2),)]
        self.me = self  # a module that contains itself must not loop forever
        self.w = Value(0.5)


def test_train_and_eval_set_every_sub_module_and_return_self() -> None:
    model = _Pair()
    modules = list(model.modules())
    # _Pair, MLP + its 2 layers + 3 neurons, CharModel + cell + head, MLP + its layer + 1 neuron
    assert len(modules) == 1 + (1 + 2 + 3) + 3 + (1 + 1 + 1) == len({id(m) for m in modules})
    assert all(m.training is True for m in modules)
    assert model.eval() is model
    assert all(m.training is False for m in modules)
    assert model.train() is model and all(m.training is True for m in modules)
    model.first.eval()
    assert [m.training for m in model.first.modules()] == [False] * 6 and model.training is True
    assert model.train(False) is model and not any(m.training for m in modules)


def test_train_refuses_a_mode_that_is_not_a_bool_as_torch() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError, match="boolean"):
        torch.nn.Linear(1, 1).train("no")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="training mode is expected to be boolean, got str"):
        MLP(1, [1]).train("no")  # type: ignore[arg-type]


def test_strict_false_loads_what_is_there_and_names_the_rest() -> None:
    model = MLP(2, [1], seed=0)
    names = list(model.state_dict())
    state = {names[0]: 0.25, names[2]: -1.5, "extra.weight": "ignored as torch does"}
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == [names[1]] and result.unexpected_keys == ["extra.weight"]
    assert result == ([names[1]], ["extra.weight"])
    assert model.state_dict()[names[0]] == 0.25 and model.state_dict()[names[2]] == -1.5


def test_strict_false_still_refuses_a_bad_number_and_changes_nothing() -> None:
    model = MLP(2, [1], seed=0)
    before = model.state_dict()
    names = list(before)
    with pytest.raises(ValueError, match=names[1]):
        model.load_state_dict({names[0]: 1.0, names[1]: float("nan")}, strict=False)
    assert model.state_dict() == before


def test_strict_true_is_all_or_nothing_and_returns_empty_lists() -> None:
    model = MLP(2, [1], seed=0)
    state = {name: 0.5 for name in model.state_dict()}
    result = model.load_state_dict(state)
    assert result == ([], []) and repr(result) == "<All keys matched successfully>"
    # torch's wording and type (RuntimeError); still a ValueError, as before.
    with pytest.raises(ValueError, match='Unexpected key\\(s\\) in state_dict: "x". '):
        model.load_state_dict({**state, "x": 1.0})
    first = next(iter(state))
    del state[first]
    with pytest.raises(RuntimeError, match=f'Missing key\\(s\\) in state_dict: "{first}". '):
        model.load_state_dict(state, strict=True)
    with pytest.raises(TypeError, match="strict must be True or False"):
        model.load_state_dict(state, strict=0)  # type: ignore[arg-type]


def test_strict_false_matches_torch_on_the_same_names() -> None:
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Linear(2, 1)
    result = theirs.load_state_dict({"weight": torch.zeros(1, 2), "other": torch.zeros(1)}, strict=False)
    ours = MLP(2, [1], seed=0).load_state_dict({"layers.0.neurons.0.b": 0.0, "other": 0.0}, strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (["bias"], ["other"])
    assert (len(ours.missing_keys), ours.unexpected_keys) == (2, ["other"])
    assert ours._fields == result._fields
    assert repr(ours).startswith("IncompatibleKeys(missing_keys=['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1']")
    assert repr(torch.nn.Linear(1, 1).load_state_dict(torch.nn.Linear(1, 1).state_dict())) == repr(
        MLP(1, [1]).load_state_dict(MLP(1, [1]).state_dict()))


@pytest.mark.parametrize("model", [[1, 2], {"w": 1.0}, None, "model"])
def test_save_and_load_need_a_module(tmp_path, model) -> None:
    path = tmp_path / "x.json"
    with pytest.raises(TypeError, match="save needs an nn.Module"):
        save(model, path)
    assert not path.exists()
    save(MLP(1, [1]), path)
    before = path.read_bytes()
    with pytest.raises(TypeError, match="load needs an nn.Module"):
        load(model, path)
    assert path.read_bytes() == before


def test_save_and_load_need_an_optimizer_or_none(tmp_path) -> None:
    model = MLP(1, [1])
    path = tmp_path / "x.json"
    with pytest.raises(TypeError, match="optimizer must be an nn optimizer"):
        save(model, path, optimizer={"lr": 0.1})  # type: ignore[arg-type]
    save(model, path, SGD(model.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="optimizer must be an nn optimizer"):
        load(model, path, optimizer="SGD")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "make", [lambda ps: AdamW(ps, lr=0.05), lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True)]
)
def test_new_optimizers_save_load_and_continue_exactly(tmp_path, make) -> None:
    def run(model: MLP, opt, steps: int) -> None:
        for _ in range(steps):
            opt.zero_grad()
            model([0.5, -1.0]).backward()
            opt.step()

    a = MLP(2, [3, 1], seed=4)
    opt_a = make(a.parameters())
    run(a, opt_a, 3)
    save(a, tmp_path / "m.json", opt_a)
    b = MLP(2, [3, 1], seed=9)
    opt_b = make(b.parameters())
    load(b, tmp_path / "m.json", opt_b)
    run(a, opt_a, 2)
    run(b, opt_b, 2)
    assert a.state_dict() == b.state_dict()  # exactly: same floats, same state, same steps
    with pytest.raises(ValueError, match="optimizer"):
        load(b, tmp_path / "m.json", Adam(b.parameters()))  # an Adam is not an AdamW, and not an SGD


def test_a_group_dict_mixed_into_a_list_of_values_is_refused_by_name() -> None:
    # Groups are supported now (tests/test_param_groups.py); a dict among Values is still a mistake, named.
    model = MLP(1, [1])
    with pytest.raises(TypeError, match="parameter groups"):
        SGD([model.parameters()[0], {"params": model.parameters()[1:]}], lr=0.1)  # type: ignore[list-item]
