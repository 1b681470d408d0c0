"""The softmax family on extreme finite logits (a difference z_j - max beyond the float range), against torch.

Reference: torch float64. Where torch's answer is finite ours equals it
(softmax [1e308, -1e308] = [1, 0], a cross-entropy of 0 when the target is
the largest logit); where torch's is -inf or inf (a log-probability or a loss
truly beyond the float range) ours is an OverflowError naming it.
"""

from __future__ import annotations

import pytest

import nn.functional as F
from autograd import Value, logsumexp
from autograd.replay import record
from nn.losses import softmax_cross_entropy

torch = pytest.importorskip("torch")
TF = torch.nn.functional

CASES = [
    [1e308, -1e308],
    [-1e308, 1e308, 0.0],
    [1.7e308, 1.7e308, -1.7e308, 3.0],
    [-1e308, -1e308],  # equal: nothing overflows
    [1e308, -1e308, -5e307],
]


def ours(fn, logits):
    z = [Value(x) for x in logits]
    out = fn(z)
    out = out if isinstance(out, list) else [out]
    weights = [0.5 + k for k in range(len(out))]
    total = out[0] * weights[0]
    for w, o in zip(weights[1:], out[1:]):
        total = total + o * w
    total.backward()
    return [o.data for o in out], [v.grad for v in z]


def theirs(fn, logits):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    out = fn(z).reshape(-1)
    (out * torch.tensor([0.5 + k for k in range(len(out))], dtype=torch.float64)).sum().backward()
    return out.tolist(), z.grad.tolist()


@pytest.mark.parametrize("logits", CASES)
def test_softmax_of_finite_logits_never_overflows(logits: list[float]) -> None:
    values, grads = ours(F.softmax, logits)
    t_values, t_grads = theirs(lambda z: TF.softmax(z, 0), logits)
    assert values == pytest.approx(t_values, rel=1e-15, abs=1e-300)
    assert grads == pytest.approx(t_grads, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("logits", CASES)
def test_logsumexp_of_finite_logits(logits: list[float]) -> None:
    values, grads = ours(logsumexp, logits)
    t_values, t_grads = theirs(lambda z: torch.logsumexp(z, 0), logits)
    assert values == pytest.approx(t_values, rel=1e-15)
    assert grads == pytest.approx(t_grads, rel=1e-15, abs=1e-300)


@pytest.mark.parametrize("logits", CASES)
@pytest.mark.parametrize("loss", ["softmax_cross_entropy", "F.cross_entropy"])
def test_a_cross_entropy_is_torchs_where_finite_and_a_named_overflow_where_inf(logits: list[float], loss: str) -> None:
    for target in range(len(logits)):
        t_value, t_grads = theirs(lambda z, t=target: TF.cross_entropy(z, torch.tensor(t)), logits)
        fn = ((lambda z, t=target: softmax_cross_entropy(z, t)) if loss == "softmax_cross_entropy"
              else (lambda z, t=target: F.cross_entropy(z, t)))
        if t_value[0] == float("inf"):
            with pytest.raises(OverflowError, match=f"{target}.*torch gives"):
                ours(fn, logits)
            continue
        value, grads = ours(fn, logits)
        assert value == pytest.approx(t_value, rel=1e-15, abs=1e-300)
        assert grads == pytest.approx(t_grads, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("logits", CASES)
def test_log_softmax_is_torchs_or_names_the_entry_below_the_float_range(logits: list[float]) -> None:
    t_values, t_grads = theirs(lambda z: TF.log_softmax(z, 0), logits)
    if float("-inf") in t_values:
        with pytest.raises(OverflowError, match=f"log_softmax: log-probability {t_values.index(float('-inf'))} is "
                                                f"below the float range"):
            ours(F.log_softmax, logits)
        return
    values, grads = ours(F.log_softmax, logits)
    assert values == pytest.approx(t_values, rel=1e-15, abs=1e-300)
    assert grads == pytest.approx(t_grads, rel=1e-12, abs=1e-300)


def test_a_tape_is_not_recorded_on_extreme_logits_silently() -> None:
    pytest.importorskip("numpy")
    from autograd.replay.errors import ReplayError

    w = Value(1.0)

    def fn(x: Value) -> Value:
        return F.softmax([x * w, -x * w])[1] * 3.0

    # The dropped difference is a comparison the tape could not check again (replayed on x = 1.0 it would be a
    # real one): refused by name when recording, never replayed as 0.
    with pytest.raises(ReplayError, match="compared"):
        record(fn, [1e308], [w])
    tape = record(fn, [1.0], [w])  # recorded on ordinary logits, and given extreme ones: the difference overflows
    with pytest.raises(OverflowError):
        tape.evaluate([1e308])
