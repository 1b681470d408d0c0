"""binary_cross_entropy's out-of-range error names the number, in torch's words: "all elements of input should
be between 0 and 1" (torch's RuntimeError), then "got 1.5", not "got Value(data=1.5, grad=0)" as it did."""

from __future__ import annotations

import re

import pytest

import nn
import nn.functional as F
from autograd import Value


@pytest.mark.parametrize(("input", "target", "words"), [
    ([Value(1.5)], [1.0], "all elements of input should be between 0 and 1, got 1.5"),
    ([1.5], [1.0], "all elements of input should be between 0 and 1, got 1.5"),
    (Value(-0.25), 1.0, "all elements of input should be between 0 and 1, got -0.25"),
    ([0.5], [2.0], "all elements of target should be between 0 and 1, got 2.0"),
    ([[0.5, 0.5]], [[Value(-1e-300), 1.0]], "all elements of target should be between 0 and 1, got -1e-300"),
])
def test_the_message_names_the_number(input, target, words: str) -> None:
    for loss in (F.binary_cross_entropy, nn.BCELoss()):
        with pytest.raises(ValueError) as caught:
            loss(input, target)
        assert str(caught.value) == words
        assert "Value(" not in str(caught.value)


def test_the_words_are_torchs() -> None:
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0]))
    with pytest.raises(ValueError) as ours:
        F.binary_cross_entropy([Value(1.5)], [1.0])
    assert re.sub(r", got .*", "", str(ours.value)) in str(theirs.value)


def test_a_probability_target_names_the_number() -> None:
    with pytest.raises(ValueError, match=r"^target probability 0 is 1\.5: probabilities lie in \[0, 1\]$"):
        nn.softmax_cross_entropy([1.0, 2.0], [Value(1.5), Value(-0.5)])
