"""MultiplicativeLR given something that is not a function says so in torch 2.13's words, then names the value.

Before: "lr_lambda must be callable (a function of the epoch), got float 0.5", where torch says
"lr_lambda should be a function, but got float". The message now starts with torch's (same type, TypeError).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import nn
from nn.optim.factor_schedulers import MultiplicativeLR

torch = pytest.importorskip("torch")


def _decay(epoch: int) -> float:
    return 0.9


CASES: list[tuple[str, Callable[[int], object]]] = [
    ("a float", lambda groups: 0.5),
    ("a str", lambda groups: "x"),
    ("None", lambda groups: None),
    ("a list with a float", lambda groups: [_decay, 0.5] if groups == 2 else [0.5]),
    ("a tuple with None", lambda groups: (_decay, None) if groups == 2 else (None,)),
]


@pytest.mark.parametrize("groups", [1, 2])
@pytest.mark.parametrize(("what", "make"), CASES, ids=[c[0] for c in CASES])
def test_message_starts_with_torchs(groups: int, what: str, make: Callable[[int], object]) -> None:
    weights = [torch.nn.Parameter(torch.zeros(1)) for _ in range(groups)]
    reference = torch.optim.SGD([{"params": [w]} for w in weights], lr=0.1)
    with pytest.raises(TypeError) as theirs:
        torch.optim.lr_scheduler.MultiplicativeLR(reference, make(groups))  # type: ignore[arg-type]
    model = nn.Linear(groups, 1)
    ours_optimizer = nn.optim.SGD([{"params": [p]} for p in list(model.parameters())[:groups]], lr=0.1)
    with pytest.raises(TypeError) as ours:
        MultiplicativeLR(ours_optimizer, make(groups))  # type: ignore[arg-type]
    assert str(ours.value).startswith(str(theirs.value)), (str(ours.value), str(theirs.value))
    assert str(theirs.value).startswith("lr_lambda should be a function, but got ")


def test_the_value_and_its_place_follow_torchs_words() -> None:
    model = nn.Linear(1, 1)
    optimizer = nn.optim.SGD([{"params": [model.W[0][0]]}, {"params": [model.b[0]]}], lr=0.1)
    with pytest.raises(TypeError, match=r"^lr_lambda should be a function, but got float \(0\.5 at index 1\)$"):
        MultiplicativeLR(optimizer, [_decay, 0.5])  # type: ignore[list-item]
