"""softmax_cross_entropy with class probabilities that put 0 on a class whose logit is more than 1.8e308
under the largest: that class's term is 0 * log softmax (a finite number below the float range), exactly 0.

Before: OverflowError ("the loss is above the float range ... torch gives inf") although the loss is finite:
torch gives nan there (0 * -inf, checked below), with a finite gradient, q - p. Now the loss is its closed
form and the gradient torch's. A target probability above 0 on such a class makes a loss past the float range
(torch: inf), refused as before, now naming that probability; a Value probability there (a tape's input,
which may change on the next run) cannot be left out, and is refused by name.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import softmax_cross_entropy


def _torch(logits: list[float], target: list[float]) -> tuple[float, list[float]]:
    torch = pytest.importorskip("torch")
    x = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
    loss = torch.nn.functional.cross_entropy(x, torch.tensor([target], dtype=torch.float64))
    loss.backward()
    return loss.item(), x.grad[0].tolist()


@pytest.mark.parametrize("logits, target, loss", [
    ([1e308, -1e308], [1.0, 0.0], 0.0),  # -log softmax_0 = log(1 + e^-2e308) = 0
    ([1e308, 0.0, -1e308], [0.0, 1.0, 0.0], 1e308),  # m - z_1 + log(1 + e^-1e308) = 1e308
    ([1e308, 0.0, -1e308], [0.5, 0.5, 0.0], 0.5e308),  # 0.5 * 0 + 0.5 * 1e308
])
def test_a_zero_probability_on_a_far_class_drops_its_term(logits: list[float], target: list[float],
                                                           loss: float) -> None:
    their_loss, their_grads = _torch(logits, target)
    assert math.isnan(their_loss)  # torch's 0 * -inf
    zs = [Value(z) for z in logits]
    ours = softmax_cross_entropy(zs, target)
    assert ours.data == pytest.approx(loss, rel=1e-15)
    ours.backward()
    assert [z.grad for z in zs] == pytest.approx(their_grads, rel=1e-15, abs=1e-300)  # q - p


def test_a_positive_probability_on_a_far_class_names_it() -> None:
    assert _torch([1e308, -1e308], [0.5, 0.5])[0] == math.inf
    with pytest.raises(OverflowError, match=r"^softmax_cross_entropy: the loss is above the float range \(logit 1, "
                                            r"whose target probability is 0\.5, is more than 1\.8e308 under the "
                                            r"largest; torch gives inf\)"):
        softmax_cross_entropy([Value(1e308), Value(-1e308)], [0.5, 0.5])


def test_a_value_probability_on_a_far_class_is_refused_by_name() -> None:
    with pytest.raises(OverflowError, match=r"^softmax_cross_entropy: logit 1 is more than 1\.8e308 under the "
                                            r"largest and its target probability is a Value"):
        softmax_cross_entropy([Value(1e308), Value(-1e308)], [Value(1.0), Value(0.0)])


def test_ordinary_probabilities_are_unchanged() -> None:
    logits, target = [1.0, -2.0, 0.5], [0.2, 0.0, 0.8]
    their_loss, their_grads = _torch(logits, target)
    zs = [Value(z) for z in logits]
    ours = softmax_cross_entropy(zs, target)
    ours.backward()
    assert ours.data == pytest.approx(their_loss, rel=1e-15)
    assert [z.grad for z in zs] == pytest.approx(their_grads, rel=1e-14)


@pytest.mark.parametrize("logits, target", [([1e308, -1e308], [1.0, 0.0]), ([1e308, 0.0, -1e308], [0.0, 1.0, 0.0])])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nn_cross_entropy_drops_the_zero_term_too(logits: list[float], target: list[float], reduction: str) -> None:
    import nn

    _, their_grads = _torch(logits, target)
    zs = [Value(z) for z in logits]
    loss = nn.functional.cross_entropy([zs], [target], reduction=reduction)
    loss = loss[0] if reduction == "none" else loss
    loss.backward()
    expected = softmax_cross_entropy([Value(z) for z in logits], target).data  # the closed forms above
    assert loss.data == pytest.approx(expected, rel=1e-15)
    assert [z.grad for z in zs] == pytest.approx(their_grads, rel=1e-15, abs=1e-300)


def test_nn_cross_entropy_still_refuses_a_smoothed_far_class() -> None:
    import nn

    with pytest.raises(OverflowError, match="cross_entropy: log-probability 1 is below the float range"):
        nn.functional.cross_entropy([[Value(1e308), Value(-1e308)]], [[1.0, 0.0]], label_smoothing=0.1)
