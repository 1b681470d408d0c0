"""backward() from a loss computed under no_grad() is an error, as in PyTorch; micrograd's leaves still work."""

from __future__ import annotations

import copy
import pickle

import pytest

from autograd import Value, no_grad
from autograd.higher_order import grad
from nn import MLP


def test_backward_of_a_loss_computed_under_no_grad_raises_as_torch_does() -> None:
    torch = pytest.importorskip("torch")
    w = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        torch_loss = (w * 3.0 - 1.0) ** 2
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch_loss.backward()

    v = Value(0.5)
    with no_grad():
        loss = (v * 3.0 - 1.0) ** 2
    with pytest.raises(RuntimeError, match=r"computed by pow under no_grad\(\)") as refused:
        loss.backward()
    assert "does not require grad" in str(refused.value)
    assert v.grad == 0.0 and loss.grad == 0.0  # nothing was touched
    with pytest.raises(RuntimeError, match="under no_grad"):
        loss.backward(create_graph=True)
    with pytest.raises(RuntimeError, match="under no_grad"):
        loss.backward(2.0)


def test_a_model_evaluated_under_no_grad_refuses_backward_and_leaves_every_gradient() -> None:
    model = MLP(2, [4, 1])
    with no_grad():
        out = model([0.3, -0.7])
        loss = (out - 1.0) ** 2 if isinstance(out, Value) else (out[0] - 1.0) ** 2
    with pytest.raises(RuntimeError, match="no_grad"):
        loss.backward()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_micrograd_leaves_still_backpropagate() -> None:
    # micrograd's own code calls backward() on a plain leaf (PyTorch would refuse a tensor that does not require
    # grad; every Value made by the user records gradients, as in micrograd).
    a = Value(3.0)
    a.backward()
    assert a.grad == 1.0
    b = Value(-4.0)
    (b * 1.0).backward()
    assert b.grad == 1.0
    d = Value(2.0).detach()  # a detached value is a plain leaf, as a user's leaf
    d.backward()
    assert d.grad == 1.0


def test_a_no_grad_value_used_in_a_recorded_graph_is_a_leaf_as_in_torch() -> None:
    torch = pytest.importorskip("torch")
    tx = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        tc = tx * tx
    (tc * tx).backward()
    x = Value(3.0)
    with no_grad():
        c = x * x
    (c * x).backward()
    assert x.grad == tx.grad.item() == 9.0


def test_requires_grad_reads_as_torch() -> None:
    torch = pytest.importorskip("torch")
    tx = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    x = Value(1.5)
    with torch.no_grad():
        t_off = tx.tanh()
    with no_grad():
        off = x.tanh()
    assert (x.requires_grad, x.tanh().requires_grad, off.requires_grad) == (
        tx.requires_grad, tx.tanh().requires_grad, t_off.requires_grad) == (True, True, False)
    assert (x * 2.0).parents[1].requires_grad is False  # the engine's constant 2.0
    assert off.is_leaf and off.parents == () and repr(off) == "Value(data=0.905148, grad=0)"


def test_a_copied_or_pickled_no_grad_value_still_refuses() -> None:
    x = Value(0.25)
    with no_grad():
        y = x.exp()
    for clone in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert clone.data == y.data
        with pytest.raises(RuntimeError, match="computed by exp under no_grad"):
            clone.backward()


def test_grad_of_a_no_grad_output_raises_as_torch_autograd_grad() -> None:
    torch = pytest.importorskip("torch")
    tx = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        ty = tx.sigmoid()
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.autograd.grad(ty, [tx])
    x = Value(0.4)
    with no_grad():
        y = x.sigmoid()
    with pytest.raises(RuntimeError, match="computed by sigmoid under no_grad"):
        grad(y, [x])
