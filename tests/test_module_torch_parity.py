"""`Module` against torch.nn.Module: name order, prefix/recurse/keep_vars, buffers, strict-load errors.

The torch halves skip where torch is not installed; the rest assert hand-written expectations.
"""

from __future__ import annotations

import pytest

from autograd import Value
from nn import MLP, Linear, Module
from nn.module import StateDictError


class Mixed(Module):
    """A sub-module assigned before a module's own parameter, and a buffer: torch lists own entries first."""

    def __init__(self) -> None:
        self.lin = Linear(1, 1, seed=0)
        self.w = Value(2.0)
        self.register_buffer("running", 0.5)
        self.register_buffer("scratch", 1.0, persistent=False)

    def forward(self, x: float) -> Value:
        return self.lin([x])[0] * self.w


def _torch_mixed():  # the same module in torch, parameters named as ours are
    torch = pytest.importorskip("torch")

    class Lin(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.W = torch.nn.ParameterList([torch.nn.ParameterList([torch.nn.Parameter(torch.tensor(0.0))])])
            self.b = torch.nn.ParameterList([torch.nn.Parameter(torch.tensor(0.0))])

    class TorchMixed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = Lin()
            self.w = torch.nn.Parameter(torch.tensor(2.0))
            self.register_buffer("running", torch.tensor(0.5))
            self.register_buffer("scratch", torch.tensor(1.0), persistent=False)

    return TorchMixed()


def test_own_parameters_come_before_sub_modules_as_in_torch() -> None:
    model = Mixed()
    assert [n for n, _ in model.named_parameters()] == ["w", "lin.W.0.0", "lin.b.0"]
    assert list(model.state_dict()) == ["w", "running", "lin.W.0.0", "lin.b.0"]
    theirs = _torch_mixed()
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(model.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in model.named_buffers()] == [n for n, _ in theirs.named_buffers()] == ["running", "scratch"]


def test_prefix_recurse_and_keep_vars_as_torch() -> None:
    model = Mixed()
    assert [n for n, _ in model.named_parameters(prefix="m")] == ["m.w", "m.lin.W.0.0", "m.lin.b.0"]
    assert [n for n, _ in model.named_parameters(recurse=False)] == ["w"]
    assert model.parameters(recurse=False) == [model.w]
    assert list(model.state_dict(prefix="m.")) == ["m.w", "m.running", "m.lin.W.0.0", "m.lin.b.0"]
    kept = model.state_dict(keep_vars=True)
    assert kept["w"] is model.w and kept["running"] == 0.5
    target: dict = {"first": 1}
    assert model.state_dict(destination=target) is target and list(target)[:2] == ["first", "w"]
    theirs = _torch_mixed()
    assert [n for n, _ in theirs.named_parameters(prefix="m")] == [n for n, _ in model.named_parameters(prefix="m")]
    assert [n for n, _ in theirs.named_parameters(recurse=False)] == ["w"]
    assert list(theirs.state_dict(prefix="m.")) == list(model.state_dict(prefix="m."))


def test_buffers_are_saved_and_loaded_but_are_not_parameters() -> None:
    model = Mixed()
    assert all(p is not model.running for p in model.parameters()) and model.num_parameters() == 3
    assert model.running == 0.5 and list(model.buffers()) == [0.5, 1.0]
    model.running = 0.75  # assigning to the name sets the buffer, as torch
    assert model.state_dict()["running"] == 0.75 and "scratch" not in model.state_dict()
    state = model.state_dict()
    state["running"] = -3.0
    assert model.load_state_dict(state) == ([], [])
    assert model.running == -3.0
    del state["running"]
    assert model.load_state_dict(state, strict=False).missing_keys == ["running"]
    with pytest.raises(ValueError, match="buffer 'running' must be finite"):
        model.running = float("nan")


def test_register_checks_names_and_types_as_torch() -> None:
    model = Mixed()
    with pytest.raises(KeyError, match="attribute 'lin' already exists"):
        model.register_buffer("lin", 1.0)
    with pytest.raises(KeyError, match=r'name can.*t contain "\."'):
        model.register_parameter("a.b", Value(1.0))
    with pytest.raises(KeyError, match="be empty string"):
        model.register_buffer("", 1.0)
    with pytest.raises(TypeError, match="cannot assign 'float' object to parameter 'v'"):
        model.register_parameter("v", 1.0)  # type: ignore[arg-type]
    model.register_parameter("v", Value(4.0))
    assert [n for n, _ in model.named_parameters()] == ["w", "v", "lin.W.0.0", "lin.b.0"]


def test_strict_load_errors_are_torchs_runtime_errors() -> None:
    model = Linear(2, 1, seed=0)
    state = model.state_dict()
    with pytest.raises(RuntimeError) as missing:
        model.load_state_dict({"W.0.0": 1.0, "b.0": 0.0, "x": 2.0})
    assert str(missing.value) == ('Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: '
                                  '"W.0.1". \n\tUnexpected key(s) in state_dict: "x". ')
    assert isinstance(missing.value, StateDictError) and isinstance(missing.value, ValueError)
    assert model.state_dict() == state  # all or nothing
    result = model.load_state_dict({"W.0.0": 1.0, "y": 0.0}, strict=False)
    assert (result.missing_keys, result.unexpected_keys) == (["W.0.1", "b.0"], ["y"])
    assert model.W[0][0].data == 1.0


def test_torch_rejects_and_we_reject_the_same_keys() -> None:
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Linear(2, 1)
    with pytest.raises(RuntimeError) as their_error:
        theirs.load_state_dict({"weight": torch.zeros(1, 2), "x": torch.zeros(1)})
    ours = Linear(2, 1, seed=0)
    with pytest.raises(RuntimeError) as our_error:
        ours.load_state_dict({"W.0.0": 0.0, "W.0.1": 0.0, "x": 0.0})
    # The same text but for the names (torch's Linear has one "bias" tensor, ours one Value "b.0").
    assert str(our_error.value).replace('"b.0"', '"bias"') == str(their_error.value)


def test_tensor_entries_load_by_shape() -> None:
    torch = pytest.importorskip("torch")
    model = Linear(1, 1, seed=0)
    model.load_state_dict({"W.0.0": torch.tensor(0.25, dtype=torch.float64), "b.0": torch.tensor(-1.0)})
    assert (model.W[0][0].data, model.b[0].data) == (0.25, -1.0)
    with pytest.raises(RuntimeError, match=r"size mismatch for W.0.0: copying a param with shape \(1, 3\)"):
        model.load_state_dict({"W.0.0": torch.zeros(1, 3), "b.0": 0.0}, strict=False)
    assert model.W[0][0].data == 0.25


def test_requires_grad_true_returns_self_and_false_is_refused() -> None:
    model = MLP(2, [1], seed=0)
    assert model.requires_grad_() is model and model.requires_grad_(True) is model
    assert all(p.requires_grad for p in model.parameters())
    with pytest.raises(NotImplementedError, match="leave them out of the optimizer"):
        model.requires_grad_(False)
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        model.requires_grad_(1)  # type: ignore[arg-type]


def test_train_eval_return_self_and_set_every_flag_as_torch() -> None:
    model = MLP(2, [2, 1], seed=0)
    assert model.eval() is model and not any(m.training for m in model.modules())
    assert model.train() is model and all(m.training for m in model.modules())
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh())
    assert theirs.eval() is theirs and [m.training for m in theirs.modules()] == [False] * 3


def test_shared_sub_module_is_walked_as_torch() -> None:
    class Shared(Module):
        def __init__(self) -> None:
            self.a = Linear(1, 1, seed=0)
            self.b = self.a
            self.c = [self.a, Linear(1, 1, seed=1)]

    model = Shared()
    assert [n for n, _ in model.named_modules()] == ["", "a", "c.1"]
    assert [n for n, _ in model.named_modules(remove_duplicate=False)] == ["", "a", "b", "c.0", "c.1"]
    assert [n for n, _ in model.named_children()] == ["a", "c.1"]
    assert len(list(model.modules())) == 3
