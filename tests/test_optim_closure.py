"""`Optimizer.step(closure)` and the optimizer's own checks, as torch.optim's."""

from __future__ import annotations

import pytest

from autograd import Value, no_grad
from nn import SGD, Adam


def test_step_returns_the_closures_loss_and_uses_its_gradients() -> None:
    w = Value(3.0)
    opt = SGD([w], lr=0.25)

    def closure() -> Value:
        opt.zero_grad()
        loss = w * w  # d/dw = 2w = 6 at w = 3
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert isinstance(loss, Value) and loss.data == 9.0
    assert w.data == 3.0 - 0.25 * 6.0
    assert opt.step() is None


def test_the_closure_records_even_inside_no_grad() -> None:
    w = Value(2.0)
    opt = SGD([w], lr=0.5)

    def closure() -> Value:
        loss = w * 3.0
        loss.backward()  # would be refused if the closure ran without recording
        return loss

    with no_grad():
        assert opt.step(closure).data == 6.0
    assert w.data == 2.0 - 0.5 * 3.0


def test_a_closure_that_is_not_callable_is_refused_before_anything_moves() -> None:
    w = Value(1.0)
    w.grad = 1.0
    opt = SGD([w], lr=0.1)
    with pytest.raises(TypeError, match="closure must be a function"):
        opt.step(3.0)  # type: ignore[arg-type]
    assert w.data == 1.0


def test_step_with_closure_matches_torch_for_adam() -> None:
    torch = pytest.importorskip("torch")
    start = [0.5, -1.25]
    ours = [Value(v) for v in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt, topt = Adam(ours, lr=0.1), torch.optim.Adam([theirs], lr=0.1)

    def our_closure() -> Value:
        opt.zero_grad()
        loss = (ours[0] - 2.0) ** 2 + ours[0] * ours[1] ** 2
        loss.backward()
        return loss

    def their_closure() -> torch.Tensor:
        topt.zero_grad()
        loss = (theirs[0] - 2.0) ** 2 + theirs[0] * theirs[1] ** 2
        loss.backward()
        return loss

    for _ in range(5):
        assert opt.step(our_closure).data == pytest.approx(topt.step(their_closure).item(), rel=1e-12, abs=1e-12)
    assert [v.data for v in ours] == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-12)


def test_add_param_group_refuses_a_parameter_already_there_in_torchs_words() -> None:
    a, b = Value(1.0), Value(2.0)
    opt = SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [b, a]})
    assert len(opt.param_groups) == 1 and opt.params == [a]
    torch = pytest.importorskip("torch")
    p = torch.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        torch.optim.SGD([p], lr=0.1).add_param_group({"params": [p]})
