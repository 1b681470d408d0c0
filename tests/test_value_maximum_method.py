"""``Value.maximum(other)``: the op table's ``maximum`` row as a method, against torch's ``Tensor.maximum``.

References: torch's value and gradients (float64), and the op table's own
row (the method makes the same node as `autograd.maximum`).
"""

from __future__ import annotations

import pytest

from autograd import OPS, Value, maximum


@pytest.mark.parametrize(("a", "b"), [(2.0, 3.0), (3.0, 2.0), (2.5, 2.5), (-0.0, 0.0), (-7.0, -1e300)])
def test_the_method_is_torchs_maximum_value_and_gradient(a: float, b: float) -> None:
    torch = pytest.importorskip("torch")
    x, y = Value(a), Value(b)
    out = x.maximum(y) * 3.0
    out.backward()
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    (tx.maximum(ty) * 3.0).backward()
    assert out.data == (tx.maximum(ty) * 3.0).item()
    assert (x.grad, y.grad) == (tx.grad.item(), ty.grad.item())


def test_a_number_operand_and_the_same_node_as_the_function() -> None:
    x = Value(1.5)
    node = x.maximum(4)  # a plain number becomes a constant, as in x * 4
    assert node.data == 4.0 and node._op is OPS["maximum"] and node._op == maximum(x, 4)._op
    node.backward()
    assert x.grad == 0.0
    assert Value(5.0).maximum(4).data == 5.0
    with pytest.raises(TypeError):
        Value(1.0).maximum("2")  # type: ignore[arg-type]
