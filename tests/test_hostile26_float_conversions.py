"""A number type whose ``__float__`` raises or returns no float is named as the argument it was given as.

Before: clip_grad_norm_'s max_norm and norm_type, clip_grad_value_'s clip_value, get_total_norm's entries,
CyclicLR's scale_fn result and ReduceLROnPlateau.step's metric went through a bare ``float()``, so such a number
failed with Python's own "__float__ returned non-float (type str)" or the type's own exception, naming no argument.
They now use `nn.numbers_in_messages.checked_float`, as the rest of nn does: a TypeError naming the argument.
The same held for a LambdaLR/MultiplicativeLR factor and a gradient of such a type in an optimizer's step.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import nn
from autograd import Value
from nn import optim


class RaisingFloat(float):
    """A float (so a numbers.Real that compares as one) whose conversion to float fails."""

    def __float__(self) -> float:
        raise RuntimeError("no conversion")


class StrFloat(float):
    """A float whose ``__float__`` returns a str: float() refuses that with its own TypeError."""

    def __float__(self) -> float:
        return "1.0"  # type: ignore[return-value]


def _parameters() -> list[Value]:
    model = nn.Linear(2, 1)
    for p in model.parameters():
        p.grad = 3.0
    return list(model.parameters())


def _cyclic(scale: float) -> optim.CyclicLR:
    optimizer = optim.SGD(_parameters(), lr=0.1, momentum=0.9)
    return optim.CyclicLR(optimizer, 0.01, 0.1, step_size_up=2, scale_fn=lambda x: scale)


def _plateau_step(metric: float) -> None:
    scheduler = optim.ReduceLROnPlateau(optim.SGD(_parameters(), lr=0.1))
    scheduler.step(metric)


CALLS: list[tuple[str, Callable[[float], object]]] = [
    ("max_norm", lambda bad: optim.clip_grad_norm_(_parameters(), bad)),
    ("norm_type", lambda bad: optim.clip_grad_norm_(_parameters(), 1.0, norm_type=bad)),
    ("max_norm", lambda bad: optim.clip_grads_with_norm_(_parameters(), bad, 2.0)),
    ("max_norm", lambda bad: optim.clip_grad_norm(_parameters(), bad)),
    ("clip_value", lambda bad: optim.clip_grad_value_(_parameters(), bad)),
    ("get_total_norm: entry 1", lambda bad: optim.get_total_norm([1.0, bad])),
    ("scale_fn's result", _cyclic),
    ("the measured quantity", _plateau_step),
]


@pytest.mark.parametrize("bad_type", [RaisingFloat, StrFloat])
@pytest.mark.parametrize(("name", "call"), CALLS, ids=[f"{i}-{c[0]}" for i, c in enumerate(CALLS)])
def test_a_failing_float_conversion_names_the_argument(name: str, call: Callable[[float], object],
                                                       bad_type: type[float]) -> None:
    bad = bad_type(2.0)
    with pytest.raises(TypeError, match=rf"{name}.*: float\(\) of {bad_type.__name__} 2\.0 failed") as info:
        call(bad)
    # the type's own error is kept as the cause (float() refuses a str result with a TypeError of its own)
    assert isinstance(info.value.__cause__, RuntimeError if bad_type is RaisingFloat else TypeError)


def test_inf_still_passes_where_torch_takes_it() -> None:
    # torch: norm_type=inf is the largest |g|; clip_value=inf and an inf metric change nothing
    params = _parameters()
    assert optim.clip_grad_norm_(params, 1.0, norm_type=float("inf")) == 3.0
    params = _parameters()
    optim.clip_grad_value_(params, float("inf"))
    assert [p.grad for p in params] == [3.0, 3.0, 3.0]
    _plateau_step(float("inf"))


@pytest.mark.parametrize("bad_type", [RaisingFloat, StrFloat])
def test_an_lr_lambda_result_or_gradient_whose_float_fails_is_named(bad_type: type[float]) -> None:
    optimizer = optim.SGD(_parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"lr_lambda for param_groups\[0\] returned .* at epoch 0: float\(\) of it "
                                        "failed"):
        optim.LambdaLR(optimizer, lambda epoch: bad_type(0.5))
    params = _parameters()
    params[1].grad = bad_type(2.0)  # Value.grad keeps the number as given
    with pytest.raises(TypeError, match=rf"has gradient 2\.0: float\(\) of its {bad_type.__name__} failed"):
        optim.SGD(params, lr=0.1).step()
