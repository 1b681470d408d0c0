"""Hostile arguments to the losses (nn/losses.py, elementwise_losses.py, class_losses.py, loss_modules.py):
0-d arrays are numbers (as torch's 0-d tensors), and everything else wrong is named at the door with the argument
it came in (found by hostile21: "iteration over a 0-d array", HuberLoss(delta=0) accepted, "input of input must be
a real number", a NaN target reported as the "operand of sub")."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograd import Value
from nn import functional as F
from nn.loss_modules import CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss
from nn.losses import half_sum_squared_error, mean_squared_error, softmax_cross_entropy

NAN, INF = math.nan, math.inf


def test_a_0d_array_is_one_number() -> None:
    # torch: F.mse_loss(tensor(1.), tensor(3.)) = (1 - 3)^2 = 4.
    assert mean_squared_error(np.array(1.0), np.array(3.0)).data == 4.0
    assert half_sum_squared_error(np.array(1.0), 3.0).data == 2.0
    assert F.mse_loss(np.array(1.0), np.array(3.0)).data == 4.0
    assert F.l1_loss([np.array(1.0), 2.0], [3.0, np.array(5.0)]).data == 2.5  # (2 + 3) / 2
    # torch's huber at |d| = 2 > delta = 1: delta * (|d| - delta / 2) = 1.5
    assert F.huber_loss(np.array(1.0), np.array(3.0)).data == 1.5
    # -log softmax([0, 1])[1] = log(1 + e^-1), a 0-d integer array as the class index (torch's 0-d target).
    expected = math.log1p(math.exp(-1.0))
    assert softmax_cross_entropy([0.0, 1.0], np.array(1)).data == pytest.approx(expected, rel=1e-15)
    assert F.cross_entropy([0.0, 1.0], np.array(1)).data == pytest.approx(expected, rel=1e-15)
    assert F.cross_entropy(np.array([[0.0, 1.0]]), np.array([1])).data == pytest.approx(expected, rel=1e-15)


def test_an_infinite_huber_delta_is_half_the_square_as_torch() -> None:
    # torch 2.13: HuberLoss(delta=inf)(tensor([1.]), tensor([4.])) = 0.5 * 3^2 = 4.5.
    assert HuberLoss(delta=INF)([1.0], [4.0]).data == 4.5


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        # torch refuses these deltas and betas when called ("does not support non-positive values for delta");
        # the modules refuse them when made, as they refuse a bad reduction.
        (lambda: HuberLoss(delta=0.0), ValueError, "non-positive values for delta, got 0.0"),
        (lambda: HuberLoss(delta=NAN), ValueError, "non-positive values for delta, got nan"),
        (lambda: HuberLoss(delta=-1), ValueError, "non-positive values for delta"),
        (lambda: HuberLoss(delta="1"), TypeError, "delta must be a real number, got str"),
        (lambda: F.huber_loss([1.0], [2.0], delta=0.0), ValueError, "non-positive values for delta"),
        (lambda: SmoothL1Loss(beta=-1.0), ValueError, "negative values for beta"),
        (lambda: SmoothL1Loss(beta="a"), TypeError, "beta must be a real number, got str"),
        (lambda: CrossEntropyLoss(label_smoothing=2.0), ValueError, "label_smoothing must be between 0.0 and 1.0"),
        (lambda: CrossEntropyLoss(label_smoothing=NAN), ValueError, "label_smoothing must be finite"),
        (lambda: CrossEntropyLoss(ignore_index="x"), TypeError, "ignore_index must be an integer, got str"),
        (lambda: NLLLoss(ignore_index=1.5), TypeError, "ignore_index must be an integer, got float"),
        (lambda: NLLLoss(ignore_index=True), TypeError, "ignore_index must be an integer, got bool"),
        (lambda: MSELoss(reduction="avg"), ValueError, "avg is not a valid value for reduction"),
        # Which argument, and what came.
        (lambda: L1Loss()("a", "b"), TypeError, "^input must be a number, a Value or .* got str 'a'"),
        (lambda: F.binary_cross_entropy([0.5], "1"), TypeError, "^target must be a number, a Value or .* got str"),
        (lambda: F.cross_entropy([0.0, 1.0], 0, weight=np.array(1.0)), TypeError,
         "weight must be a sequence of one number per class, got ndarray"),
        (lambda: L1Loss()([1.0], ["b"]), TypeError, r"^target\[0\] must be a number, a Value or .* got str 'b'"),
        (lambda: F.mse_loss([[1.0], [2.0]], [[1.0], [NAN]]), ValueError, r"^target\[1\]\[0\] must be finite"),
        (lambda: F.mse_loss([1.0, 2.0], [1.0]), ValueError, "input has 2 entries but target 1"),
        (lambda: F.mse_loss({1.0}, {1.0}), TypeError, "got set .* no order"),
        (lambda: F.binary_cross_entropy([0.5], [1.0], weight=[NAN]), ValueError, r"^weight\[0\] must be finite"),
        (lambda: F.binary_cross_entropy([0.5], [1.0], weight=np.array(NAN)), ValueError,
         r"^weight\[0\] must be finite"),
        (lambda: mean_squared_error([1.0], [NAN]), ValueError, "^target 0 must be finite, got nan"),
        (lambda: mean_squared_error([1.0, INF], [1.0, 2.0]), ValueError, "^prediction 1 must be finite, got inf"),
        (lambda: mean_squared_error([1.0], [None]), TypeError, "^target 0 must be a real number, got NoneType"),
        (lambda: mean_squared_error(["a"], [1.0]), TypeError, "^prediction 0 must be a real number, got str"),
        (lambda: mean_squared_error([True], [1.0]), TypeError, "^prediction 0 must be a real number, got bool"),
        (lambda: mean_squared_error({"a": 1}, [1.0]), TypeError, "^predictions must be a number, a Value or a seq"),
        (lambda: half_sum_squared_error([1.0], "1"), TypeError, "^targets must be a number, a Value or a sequence"),
        (lambda: half_sum_squared_error([1.0], [1.0, 2.0]), ValueError, "1 predictions but 2 targets"),
        (lambda: softmax_cross_entropy(None, 0), TypeError, "softmax_cross_entropy takes a sequence of logits"),
        (lambda: softmax_cross_entropy(np.array(1.0), 0), TypeError, "takes a sequence of logits"),
        (lambda: softmax_cross_entropy("ab", 0), TypeError, "logits must be .*got str"),
        (lambda: softmax_cross_entropy([0.0, NAN], 0), ValueError, "softmax_cross_entropy logit 1 must be finite"),
    ],
)
def test_a_hostile_argument_is_named(call: Callable[[], Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        call()


def test_values_still_pass_unchecked_and_keep_their_gradient() -> None:
    p = Value(3.0)
    loss = mean_squared_error([p], [np.float32(1.0)])
    loss.backward()
    assert loss.data == 4.0 and p.grad == 4.0  # d/dp (p - 1)^2 = 2 (p - 1)


def test_a_shape_mismatch_says_what_torch_does() -> None:
    """torch's F.mse_loss broadcasts a 0-d input over a target of one entry (2.25 here, with a UserWarning); ours
    refuses by design (docs/torch_parity.md), and the message said 'torch needs equal shapes here too'."""
    torch = pytest.importorskip("torch")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.functional.mse_loss(torch.tensor(0.5, dtype=torch.float64),
                                              torch.tensor([2.0], dtype=torch.float64))
    assert theirs.item() == 2.25  # torch accepts it: (0.5 - 2)^2
    with pytest.raises(ValueError, match="differ in shape") as caught:
        F.mse_loss(np.array(0.5), [2.0])
    assert "torch needs" not in str(caught.value) and "torch would broadcast" in str(caught.value)
