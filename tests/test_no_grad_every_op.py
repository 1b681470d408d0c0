"""Under no_grad() every op, by every route that builds a node (operators, methods, `apply`, the n-ary
`sum_of` and `dot`), gives a result with no parents whose backward() is refused, as torch's
"does not require grad"; its value is the same as with gradients on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from autograd import OPS, Value, apply, dot, no_grad, sum_of


def _via_apply(name: str) -> Callable[[Value, Value], Value]:
    """``apply`` of the op table's row ``name`` to its arity's inputs (four for the n-ary ops: dot needs pairs; a mean
    loss two elements of ``a``, in [0, 1] as its probabilities must be, then ``b`` for each trailing constant)."""
    op = OPS[name]
    if op.arity is None and (op.inputs_per_term > 1 or op.constant_args):
        return lambda a, b: apply(op, *[a] * (2 * op.inputs_per_term), *[b] * op.constant_args)
    return lambda a, b: apply(op, *([a, b, b, a][: op.arity or 4]))


ROUTES: dict[str, Callable[[Value, Value], Value]] = {
    "mul": lambda a, b: a * b,
    "tanh method": lambda a, b: a.tanh(),
    "pow operator": lambda a, b: a**3,
    "value pow": lambda a, b: a**b,
    "sum_of": lambda a, b: sum_of([a, b, a]),
    "dot": lambda a, b: dot([a, b], [b, a]),
    **{f"apply {name}": _via_apply(name) for name in OPS if name != "pow"},
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_no_grad_result_has_no_parents_and_refuses_backward(route: str) -> None:
    a, b = Value(0.75), Value(1.5)
    want = ROUTES[route](a, b).data
    with no_grad():
        out = ROUTES[route](a, b)
    assert out.data == want
    assert not out._prev
    with pytest.raises(RuntimeError, match="under no_grad"):
        out.backward()
    assert a.grad == 0.0 and b.grad == 0.0
