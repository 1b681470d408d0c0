"""``Value.register_hook`` against torch 2.13's ``Tensor.register_hook``: the same scripts, the same logs."""

from __future__ import annotations

import gc
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from autograd import Value, grad, no_grad  # noqa: E402
from autograd.backward import VALUE_HOOKS  # noqa: E402


def _t(x: float) -> Any:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def _f(g: Any) -> float:
    """A gradient as a float; a tensor or Value with a graph (create_graph) is detached first."""
    return float(g.detach()) if hasattr(g, "detach") else float(g)


def _close(ours: list[Any], theirs: list[Any]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a[0] == b[0]
        assert a[1:] == pytest.approx(b[1:], rel=1e-13), (a, b)


def hooks_script(make: Any) -> list[Any]:
    """Hooks that log, replace (interior and leaf), run on the root, then are removed."""
    log: list[Any] = []
    x, w = make(0.7), make(-1.3)
    h = x * w
    y = h.tanh()
    z = y * y + h * 3.0
    h.register_hook(lambda g: log.append(("h sees", float(g))))
    doubling = h.register_hook(lambda g: g * 2.0)
    h.register_hook(lambda g: log.append(("h after doubling", float(g))))
    x.register_hook(lambda g: log.append(("x sees", float(g))))
    w.register_hook(lambda g: g + 10.0)  # a leaf's hook changes what is accumulated
    z.register_hook(lambda g: log.append(("root sees", float(g))))
    z.backward()
    log.append(("grads", float(x.grad), float(w.grad)))
    doubling.remove()
    doubling.remove()
    z2 = (x * w).tanh() * x
    z2.backward()
    log.append(("grads accumulated, hook on the old h gone", float(x.grad), float(w.grad)))
    return log


def test_hooks_log_and_replace_gradients_as_torch() -> None:
    _close(hooks_script(Value), hooks_script(_t))


def test_grad_and_create_graph_call_the_hooks_as_torch() -> None:
    def script(make: Any, gradient: Any) -> list[Any]:
        log: list[Any] = []
        x = make(0.4)
        h = x * x
        h.register_hook(lambda g: g * 3.0)
        x.register_hook(lambda g: log.append(("x sees", _f(g))))
        (dx,) = gradient(h.tanh() + h, x)
        log.append(("dx", _f(dx)))
        return log

    ours = script(Value, lambda out, x: grad(out, [x]))
    theirs = script(_t, lambda out, x: torch.autograd.grad(out, [x]))
    _close(ours, theirs)
    ours_graph = script(Value, lambda out, x: grad(out, [x], create_graph=True))
    theirs_graph = script(_t, lambda out, x: torch.autograd.grad(out, [x], create_graph=True))
    _close(ours_graph, theirs_graph)


def test_a_hook_on_a_leaf_that_is_the_root_and_a_with_block() -> None:
    x, t = Value(2.0), _t(2.0)
    with x.register_hook(lambda g: g * 3.0):
        x.backward()
    t.register_hook(lambda g: g * 3.0)
    t.backward()
    assert x.grad == t.grad.item() == 3.0
    x.backward()  # the with block removed the hook
    assert x.grad == 4.0


def test_hooks_do_not_keep_a_freed_graph_alive() -> None:
    assert not VALUE_HOOKS
    x = Value(0.5)
    for _ in range(50):
        h = (x * 2.0).tanh()
        h.register_hook(lambda g: g)
        h.backward()
    del h
    gc.collect()
    assert not VALUE_HOOKS  # every hooked node was freed with its graph, and its entry with it


@pytest.mark.parametrize(("make", "error", "words"), [
    (lambda: Value(1.0) * 2.0, TypeError, "register_hook needs a function of the gradient, got int"),
])
def test_a_hook_that_is_no_function_is_refused(make: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        make().register_hook(3)


def test_values_that_get_no_gradient_refuse_hooks_as_torch() -> None:
    with pytest.raises(RuntimeError, match="doesn't require gradient: it is a constant"):
        (Value(1.0) * 2.0).parents[1].register_hook(print)
    with no_grad():
        frozen = Value(1.0) * 2.0
    with pytest.raises(RuntimeError, match="doesn't require gradient: it is computed under no_grad"):
        frozen.register_hook(print)


@pytest.mark.parametrize(("result", "error", "words"), [
    ("0.5", TypeError, "returned str '0.5': return a number"),
    (float("nan"), FloatingPointError, "returned nan, not finite"),
    (Value(1.0), TypeError, "returned Value"),
])
def test_a_hook_returning_no_finite_number_is_named(result: Any, error: type, words: str) -> None:
    x = Value(0.5, label="x")
    h = x * 2.0
    h.register_hook(lambda g: result)
    with pytest.raises(error, match=words):
        h.backward()
    x.register_hook(lambda g: result)
    with pytest.raises(error, match=words):
        (x * 3.0).backward()


@pytest.mark.parametrize(("result", "error", "words"), [
    ("0.5", TypeError, "returned str '0.5': return a number"),
    (True, TypeError, "returned bool True"),
    (float("nan"), FloatingPointError, "returned nan, not finite"),
])
def test_a_hook_returning_no_finite_number_is_named_in_a_create_graph_pass(result: Any, error: type,
                                                                           words: str) -> None:
    """The create_graph pass named the hook too (it raised "constant must be a real number" from inside)."""
    x = Value(0.5, label="x")
    h = x * x
    h.register_hook(lambda g: result)
    with pytest.raises(error, match=words):
        grad(h * 3.0, [x], create_graph=True)


def test_a_hook_may_return_a_number_or_a_value_in_a_create_graph_pass() -> None:
    def script(make: Any, replace: Any) -> list[float]:
        x = make(0.5)
        h = x * x
        h.register_hook(replace)
        (gx,) = (torch.autograd.grad if not isinstance(x, Value) else grad)(h * h, [x], create_graph=True)
        (gxx,) = (torch.autograd.grad if not isinstance(x, Value) else grad)(gx, [x])
        return [_f(gx), _f(gxx)]

    assert script(Value, lambda g: g * g) == pytest.approx(script(_t, lambda g: g * g), rel=1e-15)


class _HookFailed(Exception):
    pass


def _raise(g: Any) -> None:
    raise _HookFailed


@pytest.mark.parametrize("where", ["leaf", "interior"])
def test_a_hook_that_raises_leaves_a_hooked_leafs_gradient_as_torch(where: str) -> None:
    """torch runs a leaf's hooks before accumulating: when one raises, the leaf's .grad is what it was (ours
    was set to this pass's sum alone, the earlier 1.0 lost, when a leaf's own hook raised)."""

    def script(make: Any) -> float:
        x = make(2.0)
        x.grad = 1.0 if isinstance(x, Value) else torch.tensor(1.0, dtype=torch.float64)
        h = x * x
        (x if where == "leaf" else h).register_hook(_raise)
        if where == "interior":
            x.register_hook(lambda g: g * 10.0)
        with pytest.raises(_HookFailed):
            (h * 3.0).backward()
        return float(x.grad)

    assert script(Value) == script(_t) == 1.0


def test_a_leaf_hook_that_raises_then_is_removed_accumulates_as_torch() -> None:
    def script(make: Any) -> float:
        x = make(2.0)
        handle = x.register_hook(_raise)
        with pytest.raises(_HookFailed):
            (x * x).backward()
        handle.remove()
        (x * x).backward()
        return float(x.grad)

    assert script(Value) == script(_t) == 4.0


def test_removing_the_last_hook_empties_the_hook_table() -> None:
    """With no hook left anywhere the backward pass takes the sweep without hook checks (an empty entry kept
    the table non-empty, so every later pass in the process took the slower one), and a new hook still works."""
    x = Value(2.0)
    before = dict(VALUE_HOOKS)
    first, second = x.register_hook(lambda g: g), x.register_hook(lambda g: g * 3.0)
    first.remove()
    assert id(x) in VALUE_HOOKS
    second.remove()
    second.remove()
    assert VALUE_HOOKS == before
    again = x.register_hook(lambda g: g * 3.0)
    first.remove()  # a stale handle leaves the new hook alone
    (x * x).backward()
    assert x.grad == 12.0  # 3 * d(x^2)/dx at 2
    again.remove()
    assert VALUE_HOOKS == before


def test_a_hooked_leaf_whose_grad_is_none_is_named_and_left_none() -> None:
    """As an unhooked leaf's: the hooked sweep raised a bare 'unsupported operand' TypeError and set .grad to 1."""
    x = Value(2.0, label="x")
    x.register_hook(lambda g: g)
    x.grad = None
    with pytest.raises(TypeError, match="leaf node 'x'.*NoneType None, not a number"):
        (x * Value(1.0)).backward()
    assert x.grad is None
