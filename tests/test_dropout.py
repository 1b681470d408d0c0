"""Dropout as torch's: inverted scaling by torch's 1 / (1 - p), identity in eval, p checked, seedable masks.

The masks cannot equal torch's (another random generator); the checks are the scale torch multiplies by,
the gradients (the scale or 0), the share of dropped entries against the binomial law, and reproducibility.
"""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402
import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.replay import record  # noqa: E402


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_kept_entries_are_scaled_as_torch_and_gradients_are_the_scale_or_zero(p: float) -> None:
    torch_scale = {v for v in torch.nn.functional.dropout(torch.ones(4000, dtype=torch.float64), p).tolist() if v}
    assert len(torch_scale) == 1
    xs = [Value(1.0) for _ in range(4000)]
    out = F.dropout(xs, p, generator=7)
    total = out[0]
    for o in out[1:]:
        total = total + o
    total.backward()
    kept = [(o.data, x.grad) for o, x in zip(out, xs) if o.data != 0.0]
    dropped = [x.grad for o, x in zip(out, xs) if o.data == 0.0]
    assert {data for data, _ in kept} == torch_scale
    assert {grad for _, grad in kept} == torch_scale
    assert set(dropped) == {0.0}
    # The share dropped is binomial(n, p): within 4.5 standard deviations (the seed is fixed: no flakiness).
    share = len(dropped) / len(xs)
    assert abs(share - p) <= 4.5 * math.sqrt(p * (1 - p) / len(xs))


def test_eval_mode_and_training_false_return_the_input_itself() -> None:
    xs = [Value(0.5), Value(-2.0)]
    assert F.dropout(xs, 0.9, training=False) is xs
    d = nn.Dropout(0.9)
    d.eval()
    assert d(xs) is xs
    assert d.training is False and d.train().training is True


def test_p_zero_keeps_everything_and_p_one_drops_everything() -> None:
    xs = [Value(float(k) - 3.5) for k in range(8)]
    assert [o.data for o in F.dropout(xs, 0.0)] == [x.data for x in xs]
    ones = F.dropout(xs, 1.0)
    assert [o.data for o in ones] == [0.0] * 8  # torch: zeros too
    ones[0].backward()
    assert xs[0].grad == 0.0


def test_the_same_seed_gives_the_same_mask_and_random_seed_fixes_a_modules_masks() -> None:
    def mask(out: list[Value]) -> list[bool]:
        return [o.data != 0.0 for o in out]

    xs = [Value(1.0) for _ in range(64)]
    assert mask(F.dropout(xs, 0.5, generator=3)) == mask(F.dropout(xs, 0.5, generator=random.Random(3)))
    assert mask(F.dropout(xs, 0.5, generator=3)) != mask(F.dropout(xs, 0.5, generator=4))
    random.seed(11)
    first = nn.Dropout(0.5)
    random.seed(11)
    second = nn.Dropout(0.5)
    assert mask(first(xs)) == mask(second(xs))
    assert mask(first(xs)) != mask(first(xs))  # each call draws a new mask


def test_a_model_in_eval_mode_equals_the_model_without_dropout() -> None:
    model = nn.Sequential(nn.Linear(3, 8, seed=1), nn.ReLU(), nn.Dropout(0.5, generator=2), nn.Linear(8, 1, seed=3))
    plain = nn.Sequential(model[0], model[1], model[3])
    x = [0.3, -1.2, 2.0]
    model.eval()
    assert model(x)[0].data == plain(x)[0].data
    model.train()
    outputs = {model(x)[0].data for _ in range(10)}
    assert len(outputs) > 1


def test_repr_equals_torchs() -> None:
    for ours, theirs in [(nn.Dropout(), torch.nn.Dropout()), (nn.Dropout(0.3, True), torch.nn.Dropout(0.3, True)),
                         (nn.Dropout(p=0), torch.nn.Dropout(p=0))]:
        assert repr(ours) == repr(theirs)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: nn.Dropout(1.5), ValueError, "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda: nn.Dropout(-0.1), ValueError, "dropout probability has to be between 0 and 1, but got -0.1"),
    (lambda: F.dropout([Value(1.0)], 2.0), ValueError, "dropout probability has to be between 0 and 1, but got 2.0"),
    (lambda: F.dropout([Value(1.0)], math.nan), ValueError, "between 0 and 1, but got nan"),
    (lambda: nn.Dropout("a"), TypeError, "dropout probability must be a real number, got str"),
    (lambda: F.dropout([Value(1.0)], 0.5, training="yes"), TypeError, "training must be True or False"),
    (lambda: nn.Dropout(0.5, generator=1.5), TypeError, "seed must be an int, a random.Random or None"),
    (lambda: F.dropout("abc", 0.5), TypeError, "dropout expects a Value, a number or a list"),
])
def test_bad_arguments_are_named(call, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call()


def test_recording_dropout_in_training_mode_is_refused_and_eval_mode_records() -> None:
    model = nn.Sequential(nn.Linear(2, 4, seed=5), nn.Dropout(0.5, generator=1), nn.Linear(4, 1, seed=6))

    def loss(x0: Value, x1: Value) -> Value:
        return model([x0, x1])[0]

    with pytest.raises(RuntimeError, match="cannot be recorded by autograd.replay"):
        record(loss, [0.5, 0.5], model.parameters())
    model.eval()
    tape = record(loss, [0.5, 0.5], model.parameters())
    value, _ = tape.evaluate([0.5, 0.5])
    assert value == loss(Value(0.5), Value(0.5)).data
