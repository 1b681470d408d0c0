"""`clip_grad_norm_` reads ``max_norm`` and ``norm_type`` as torch does: by ``float()``.

torch's ``clip_grad_norm_(ps, "2")`` clips to 2 (it calls ``float(max_norm)``), True is 1 and False 0, inf
leaves the gradients alone, None is a TypeError and "abc" a ValueError; ``norm_type`` may be any float
torch's ``vector_norm`` takes (0 counts the non-zero gradients, -inf is the smallest size, a negative p is the
power mean). valuegrad refused all of these with "must be a finite number >= 0" / "must be a number > 0". Kept
refused, unlike torch: a NaN (torch makes every gradient NaN, silently) and a negative ``max_norm`` (torch
flips every gradient). Each expected number is torch's own, computed here.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import clip_grad_norm_, get_total_norm

torch = pytest.importorskip("torch")

GRADS = [3.0, -4.0, 0.0, 0.5]


def _ours(grads: list[float]) -> list[Value]:
    params = [Value(1.0) for _ in grads]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def _torch(grads: list[float], **kw: object) -> tuple[float, list[float]]:
    # one tensor per Value, as our parameters are each their own number
    ts = [torch.nn.Parameter(torch.tensor(1.0, dtype=torch.float64)) for _ in grads]
    for t, g in zip(ts, grads):
        t.grad = torch.tensor(g, dtype=torch.float64)
    norm = torch.nn.utils.clip_grad_norm_(ts, **kw)
    return norm.item(), [t.grad.item() for t in ts]


@pytest.mark.parametrize("max_norm", ["2", " 1.5 ", "inf", True, False, math.inf, 2])
def test_max_norm_is_read_as_torch_reads_it(max_norm: object) -> None:
    params = _ours(GRADS)
    norm = clip_grad_norm_(params, max_norm)  # type: ignore[arg-type]
    their_norm, their_grads = _torch(GRADS, max_norm=max_norm)
    assert norm == pytest.approx(their_norm, rel=1e-15)
    assert [p.grad for p in params] == pytest.approx(their_grads, rel=1e-15, abs=0.0)


@pytest.mark.parametrize("norm_type", ["2", "1", "inf", "-inf", True, False, 0, 0.0, -1.0, -2.5, -math.inf, 3])
def test_norm_type_is_read_as_torch_reads_it(norm_type: object) -> None:
    params = _ours(GRADS)
    norm = clip_grad_norm_(params, 1.0, norm_type=norm_type)  # type: ignore[arg-type]
    their_norm, their_grads = _torch(GRADS, max_norm=1.0, norm_type=norm_type)
    assert norm == pytest.approx(their_norm, rel=1e-14)
    assert [p.grad for p in params] == pytest.approx(their_grads, rel=1e-14, abs=0.0)


@pytest.mark.parametrize("norm_type", [0, -1.0, -math.inf, -3.0])
def test_get_total_norm_of_a_non_positive_order_is_torchs(norm_type: float) -> None:
    grads = [3.0, -4.0, 0.5]
    theirs = torch.nn.utils.get_total_norm([torch.tensor(g, dtype=torch.float64) for g in grads],
                                           norm_type=norm_type).item()
    assert get_total_norm(grads, norm_type=norm_type) == pytest.approx(theirs, rel=1e-15)


@pytest.mark.parametrize("name", ["max_norm", "norm_type"])
def test_none_is_a_type_error_and_an_unreadable_string_a_value_error(name: str) -> None:
    kw: dict[str, object] = {"max_norm": 1.0}
    for bad, kind in [(None, TypeError), ([1.0], TypeError), ("abc", ValueError), ("", ValueError)]:
        params = _ours(GRADS)
        kw[name] = bad
        with pytest.raises(kind, match=f"^{name}"):
            clip_grad_norm_(params, **kw)  # type: ignore[arg-type]
        assert [p.grad for p in params] == GRADS
        with pytest.raises(kind):  # torch raises the same kind of error, from float()
            _torch(GRADS, **kw)


@pytest.mark.parametrize("kw, words", [
    ({"max_norm": math.nan}, "max_norm must not be NaN"),
    ({"max_norm": "nan"}, "max_norm must not be NaN"),
    ({"max_norm": -1.0}, "max_norm must be >= 0"),
    ({"max_norm": "-2"}, "max_norm must be >= 0"),
    ({"max_norm": 1.0, "norm_type": math.nan}, "norm_type must not be NaN"),
    ({"max_norm": 1.0, "norm_type": "nan"}, "norm_type must not be NaN"),
])
def test_nan_and_a_negative_bound_stay_refused(kw: dict[str, object], words: str) -> None:
    params = _ours(GRADS)
    with pytest.raises(ValueError, match=f"^{words}"):
        clip_grad_norm_(params, **kw)  # type: ignore[arg-type]
    assert [p.grad for p in params] == GRADS
