"""Tied weights are one parameter; optimizers follow their written formulas (PyTorch's by default)."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import SGD, Adagrad, Adam, Module
from nn.serialization import load, save


class Tied(Module):
    """Two attribute paths to one weight, and one sub-module reachable twice."""

    def __init__(self) -> None:
        self.w = Value(0.5)
        self.alias = self.w
        self.inner = Scalar(1.5)
        self.again = self.inner
        self.bias = Value(-0.25)

    def forward(self, x: float) -> Value:
        return self.w * x + self.alias * x + self.inner.v + self.bias


class Scalar(Module):
    def __init__(self, v: float) -> None:
        self.v = Value(v)


def test_a_tied_weight_is_listed_once_under_its_first_name() -> None:
    model = Tied()
    names = [name for name, _ in model.named_parameters()]
    # torch's order: a module's own parameters, then its sub-modules' (torch prints the same lists for this module)
    assert names == ["w", "bias", "inner.v"]
    assert model.parameters() == [model.w, model.bias, model.inner.v]
    assert model.num_parameters() == 3
    every = [name for name, _ in model.named_parameters(remove_duplicate=False)]
    assert every == ["w", "alias", "bias", "inner.v", "again.v"]
    assert list(model.state_dict()) == every


def test_sgd_moves_a_tied_weight_by_exactly_lr_times_grad_once() -> None:
    model = Tied()
    model(3.0).backward()
    assert model.w.grad == 6.0  # d/dw of w*3 + w*3
    SGD(model.parameters(), lr=0.125).step()
    assert model.w.data == 0.5 - 0.125 * 6.0  # -0.25; stepping twice gave -1.0
    assert model.inner.v.data == 1.5 - 0.125 * 1.0


def test_an_optimizer_refuses_a_value_listed_twice() -> None:
    w = Value(1.0)
    with pytest.raises(ValueError, match="parameter 1 is the same Value as parameter 0"):
        SGD([w, w], lr=0.1)


def test_a_module_that_contains_itself_is_walked_once() -> None:
    model = Scalar(2.0)
    model.me = model  # type: ignore[attr-defined]
    model.loop = [model.v]  # type: ignore[attr-defined]
    model.loop.append(model.loop)  # type: ignore[attr-defined]
    assert [name for name, _ in model.named_parameters()] == ["v"]
    assert [name for name, _ in model.named_parameters(remove_duplicate=False)] == ["v", "loop.0"]


def test_state_dict_names_every_path_and_tied_entries_must_agree(tmp_path) -> None:
    model = Tied()
    assert model.state_dict() == {"w": 0.5, "alias": 0.5, "inner.v": 1.5, "again.v": 1.5, "bias": -0.25}
    state = model.state_dict()
    state.update(w=2.0, alias=2.0)
    model.load_state_dict(state)
    assert model.w.data == model.alias.data == 2.0
    before = model.state_dict()
    state["alias"] = 3.0
    with pytest.raises(ValueError, match="'w' and 'alias' name one tied weight"):
        model.load_state_dict(state)
    assert model.state_dict() == before
    save(model, tmp_path / "tied.json")
    fresh = Tied()
    load(fresh, tmp_path / "tied.json")
    assert fresh.state_dict() == before and fresh.w is fresh.alias


def _run(optimizer: type, grads: list[float], start: float = 1.0, **options: object) -> list[float]:
    w = Value(start)
    opt = optimizer([w], **options)
    trace = []
    for g in grads:
        w.grad = g
        opt.step()
        trace.append(w.data)
    return trace


def test_adagrad_default_is_pytorchs_formula() -> None:
    # w -= lr * g / (sqrt(G) + eps) with eps 1e-10; G the running sum of g*g
    grads = [1e-6, -3e-6, 2e-6]
    expected, w, total = [], 1.0, 0.0
    for g in grads:
        total += g * g
        w -= 0.01 * (g / (math.sqrt(total) + 1e-10))
        expected.append(w)
    assert _run(Adagrad, grads) == pytest.approx(expected, rel=1e-15)
    # With g = 1e-6 the first step is lr * 1e-6 / (1e-6 + 1e-10), about lr: not 100x smaller.
    assert 1.0 - _run(Adagrad, [1e-6], lr=0.1)[0] == pytest.approx(0.1 / (1 + 1e-4), rel=1e-9)


def test_adagrad_min_char_rnn_form_keeps_the_lecture_formula() -> None:
    # min-char-rnn: mem += g*g; w += -lr * g / sqrt(mem + 1e-8)
    grads = [4.0, -1.0, 0.5]
    expected, w, mem = [], 0.3, 0.0
    for g in grads:
        mem += g * g
        w += -0.1 * g / math.sqrt(mem + 1e-8)
        expected.append(w)
    assert _run(Adagrad, grads, start=0.3, lr=0.1, form=Adagrad.MIN_CHAR_RNN) == expected  # bit for bit
    assert Adagrad([Value(0.0)], form="min-char-rnn").eps == 1e-8
    assert Adagrad([Value(0.0)]).eps == 1e-10
    first_step = 1.0 - _run(Adagrad, [1e-6], lr=0.1, form="min-char-rnn")[0]
    assert first_step == pytest.approx(0.1 * 1e-6 / math.sqrt(1e-12 + 1e-8))  # about lr / 100


def test_adagrad_lr_decay_weight_decay_and_initial_accumulator() -> None:
    grads = [0.5, -0.25, 1.0]
    lr, decay, wd, g0, eps = 0.2, 0.5, 0.1, 0.75, 1e-6
    expected, w, total = [], 1.0, g0
    for step, g in enumerate(grads, start=1):
        clr = lr / (1 + (step - 1) * decay)
        g = g + wd * w
        total += g * g
        w -= clr * g / (math.sqrt(total) + eps)
        expected.append(w)
    got = _run(Adagrad, grads, lr=lr, lr_decay=decay, weight_decay=wd, initial_accumulator_value=g0, eps=eps)
    assert got == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"eps": 0.0}, "eps must be positive"), ({"lr_decay": -1.0}, "lr_decay must be non-negative"),
     ({"form": "torch"}, "form must be"), ({"weight_decay": math.inf}, "weight_decay must be finite"),
     ({"initial_accumulator_value": True}, "initial_accumulator_value must be a real number")],
)
def test_adagrad_rejects_bad_options(options: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Adagrad([Value(0.0)], **options)


def test_sgd_momentum_and_adam_follow_their_formulas() -> None:
    grads = [1.0, -2.0, 0.5]
    expected, w, v = [], 1.0, 0.0
    for g in grads:
        v = 0.9 * v + g
        w -= 0.1 * v
        expected.append(w)
    assert _run(SGD, grads, lr=0.1, momentum=0.9) == pytest.approx(expected, rel=1e-15)
    expected, w, m, s = [], 1.0, 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        m = 0.8 * m + 0.2 * g
        s = 0.99 * s + 0.01 * g * g
        w -= 0.05 * (m / (1 - 0.8**t)) / (math.sqrt(s / (1 - 0.99**t)) + 1e-8)
        expected.append(w)
    assert _run(Adam, grads, lr=0.05, betas=(0.8, 0.99)) == pytest.approx(expected, rel=1e-15)


def test_a_non_finite_gradient_stops_the_step_before_anything_moves() -> None:
    a, b = Value(1.0), Value(2.0)
    opt = Adam([a, b], lr=0.1)
    a.grad, b.grad = 1.0, math.nan
    with pytest.raises(ValueError, match="parameter 1 has gradient nan"):
        opt.step()
    assert (a.data, b.data, opt.steps, opt.m) == (1.0, 2.0, 0, [0.0, 0.0])


def test_adam_with_eps_zero_is_refused_rather_than_dividing_zero_by_zero() -> None:
    with pytest.raises(ValueError, match="eps must be positive"):
        Adam([Value(1.0)], eps=0.0)
    with pytest.raises(ValueError, match=r"betas\[1\] must be in \[0, 1\)"):
        Adam([Value(1.0)], betas=(0.9, 1.0))
