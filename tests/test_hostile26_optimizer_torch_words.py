"""Optimizer options out of range carry torch's words as well as the range (hostile26).

torch.optim says "Invalid learning rate: -1", "Invalid beta parameter at index 0: 1.0" ...; ours said only
"learning rate must be a finite number >= 0, got -1", so a program (or a test) written against torch that
looks for torch's words found nothing. Both are in the message now; each case is checked against torch's own
error for the same argument.
"""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
from autograd import Value  # noqa: E402

CASES = [
    ("SGD", {"lr": -1}), ("SGD", {"lr": 0.1, "momentum": -1}), ("SGD", {"lr": 0.1, "weight_decay": -1}),
    ("Adam", {"lr": -1}), ("Adam", {"eps": -1}), ("Adam", {"betas": (1.0, 0.999)}), ("Adam", {"betas": (0.9, 1.0)}),
    ("Adam", {"betas": (-0.1, 0.9)}), ("Adam", {"betas": (0.9, float("nan"))}), ("Adam", {"weight_decay": -1}),
    ("AdamW", {"lr": float("nan")}), ("AdamW", {"weight_decay": -1}), ("Adagrad", {"lr_decay": -1}),
    ("Adagrad", {"initial_accumulator_value": -1}), ("Adagrad", {"eps": -1}), ("Adagrad", {"weight_decay": -1}),
]


@pytest.mark.parametrize(("name", "options"), CASES)
def test_out_of_range_options_say_what_torch_says(name: str, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError) as ours:
        getattr(nn, name)([Value(0.0)], **options)
    assert str(theirs.value) in str(ours.value), (str(theirs.value), str(ours.value))
    assert "must be" in str(ours.value)  # and our own words for the range


def test_a_group_option_names_its_group_and_torch_words() -> None:
    with pytest.raises(ValueError, match=r"param_groups\[1\] momentum must be in \[0, 1\), got -1 \(torch: "
                                         r"Invalid momentum value: -1\)"):
        nn.SGD([{"params": [Value(1.0)]}, {"params": [Value(2.0)], "momentum": -1}], lr=0.1)
