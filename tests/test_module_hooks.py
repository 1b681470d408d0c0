"""Module forward hooks and pre-hooks: one script run on torch 2.13's modules and on ours, the logs equal."""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
from autograd import Value  # noqa: E402


def _num(x: Any) -> Any:
    """A Value or a 0-d tensor as a float; tuples and lists of them element by element."""
    if isinstance(x, (tuple, list)):
        return [_num(v) for v in x]
    if isinstance(x, dict):
        return {k: _num(v) for k, v in x.items()}
    return float(x.item()) if hasattr(x, "item") else x


def hook_script(module: Any, make: Any) -> list[Any]:
    """Register, call, replace, reorder and remove hooks on ``module``; log what every hook sees."""
    log: list[Any] = []
    a = module.register_forward_pre_hook(lambda m, args: log.append(("pre a", _num(args))))
    b = module.register_forward_pre_hook(lambda m, args: args[0] * 2.0)  # one value: becomes the 1-tuple
    c = module.register_forward_hook(lambda m, args, out: log.append(("fwd c", _num(args), _num(out))))
    d = module.register_forward_hook(lambda m, args, out: out + 1.0)
    e = module.register_forward_hook(lambda m, args, out: log.append(("fwd e first", _num(out))), prepend=True)
    log.append(("out", _num(module(make(3.0)))))
    b.remove()
    b.remove()  # a second remove does nothing
    log.append(("out", _num(module(make(3.0)))))
    with module.register_forward_pre_hook(lambda m, args, kwargs: ((args[0] - 1.0,), kwargs), with_kwargs=True):
        log.append(("out", _num(module(make(3.0)))))
    log.append(("out after with", _num(module(make(3.0)))))
    f = module.register_forward_hook(lambda m, args, kwargs, out: log.append(("fwd f", _num(args), kwargs)),
                                     with_kwargs=True)
    log.append(("out", _num(module(make(5.0)))))
    for handle in (a, c, d, e, f):
        handle.remove()
    log.append(("no hooks", _num(module(make(5.0)))))
    log.append(("ids differ", len({h.id for h in (a, b, c, d, e, f)})))
    return log


def test_hooks_on_identity_log_as_torch() -> None:
    ours = hook_script(nn.Identity(), Value)
    theirs = hook_script(torch.nn.Identity(), lambda x: torch.tensor(x, dtype=torch.float64))
    assert ours == theirs
    assert ("out", 7.0) in ours  # 3 doubled by the pre-hook, then + 1 by a forward hook


def test_always_call_hook_runs_when_forward_raises_and_the_error_is_kept() -> None:
    class Failing(nn.Module):
        def forward(self, x: Any) -> Any:
            raise ArithmeticError("inside forward")

    seen: list[str] = []
    m = Failing()
    m.register_forward_hook(lambda mod, args, out: seen.append("plain"))
    m.register_forward_hook(lambda mod, args, out: seen.append(f"always {out}"), always_call=True)
    with pytest.raises(ArithmeticError, match="inside forward"):
        m(Value(1.0))
    assert seen == ["always None"]  # torch: only always_call hooks run, with output None


def test_hooks_on_a_layer_neuron_and_sequential_children_fire_when_the_parent_is_called() -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.Tanh())
    mlp = nn.MLP(2, [3, 1], seed=4)
    calls: list[str] = []
    model[1].register_forward_hook(lambda m, args, out: calls.append("tanh"))
    mlp.layers[0].neurons[1].register_forward_hook(lambda m, args, out: calls.append(f"neuron {out.data:.6f}"))
    plain = nn.MLP(2, [3, 1], seed=4).layers[0].neurons[1]([0.5, -1.0])
    model([1.0, 2.0])
    mlp([0.5, -1.0])
    assert calls == ["tanh", f"neuron {plain.data:.6f}"]


def test_a_forward_hook_can_replace_a_layers_output_and_gradients_follow_it() -> None:
    layer = nn.Linear(1, 1, seed=3)
    handle = layer.register_forward_hook(lambda m, args, out: [o * 3.0 for o in out])
    x = Value(2.0)
    (y,) = layer([x])
    y.backward()
    assert x.grad == pytest.approx(3.0 * layer.weight[0][0].data, rel=1e-15)
    handle.remove()
    assert layer([Value(2.0)])[0].data == pytest.approx(y.data / 3.0, rel=1e-15)


def test_hooks_are_not_parameters_state_or_children() -> None:
    model = nn.Sequential(nn.Linear(2, 1, seed=0))
    before = (model.state_dict(), [n for n, _ in model.named_parameters()], repr(model))
    model.register_forward_hook(lambda m, a, o: None)
    model.register_forward_pre_hook(lambda m, a: None)
    assert (model.state_dict(), [n for n, _ in model.named_parameters()], repr(model)) == before


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda m: m.register_forward_hook(3), TypeError, "a hook must be callable"),
    (lambda m: m.register_forward_pre_hook(print, prepend=1), TypeError, "prepend must be True or False"),
    (lambda m: m.register_forward_hook(print, always_call="yes"), TypeError, "always_call must be True or False"),
])
def test_bad_registrations_are_named(call: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call(nn.Identity())


def test_a_with_kwargs_pre_hook_returning_a_bad_result_is_torchs_runtime_error() -> None:
    m = nn.Identity()
    m.register_forward_pre_hook(lambda mod, args, kwargs: "nonsense", with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\)"):
        m(Value(1.0))
