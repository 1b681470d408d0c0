"""run_batch's gradients of powers, square roots and exponentials against their closed forms.

Summed over samples x_s: d/dw sum x_s^w = sum x_s^w ln x_s, d/dw sum w^x_s = sum x_s w^(x_s - 1),
d/dw sum (w x_s)^3 = sum 3 x_s (w x_s)^2, d/dw sum sqrt(w x_s) = sum x_s / (2 sqrt(w x_s)),
d/dw sum exp(w x_s) = sum x_s exp(w x_s); each also equal to eager backward sample by sample.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value
from autograd.replay import record

pytest.importorskip("numpy")

XS = [0.5, 1.5, 2.0, 3.25]
W = 1.3

CASES: list[tuple[str, Callable[[Value, Value], Value], Callable[[float, float], float]]] = [
    ("x ** w", lambda w, x: x ** w, lambda w, x: x ** w * math.log(x)),
    ("w ** x", lambda w, x: w ** x, lambda w, x: x * w ** (x - 1.0)),
    ("(w x) ** 3", lambda w, x: (w * x) ** 3, lambda w, x: 3.0 * x * (w * x) ** 2),
    ("sqrt(w x)", lambda w, x: (w * x).sqrt(), lambda w, x: x / (2.0 * math.sqrt(w * x))),
    ("exp(w x)", lambda w, x: (w * x).exp(), lambda w, x: x * math.exp(w * x)),
]


@pytest.mark.parametrize(("name", "f", "derivative"), CASES, ids=[c[0] for c in CASES])
def test_batch_gradient_equals_the_closed_form_summed_over_samples(
    name: str, f: Callable[[Value, Value], Value], derivative: Callable[[float, float], float]
) -> None:
    w = Value(W)
    tape = record(lambda x: f(w, x), [1.0], [w])
    losses, grads = tape.run_batch([XS])
    assert list(losses) == pytest.approx([f(Value(W), Value(x)).data for x in XS], rel=1e-14)
    assert grads == pytest.approx([math.fsum(derivative(W, x) for x in XS)], rel=1e-13)
    eager = Value(W)
    for x in XS:
        f(eager, Value(x)).backward()
    assert grads == pytest.approx([eager.grad], rel=1e-13)


def test_batch_exp_of_a_large_but_finite_argument_is_not_refused() -> None:
    # exp(700) = 1.01e304 is finite (the overflow limit is ln(max float) = 709.78): no error, the closed form.
    w = Value(1.0)
    tape = record(lambda x: (w * x).exp(), [1.0], [w])
    losses, grads = tape.run_batch([[700.0, 1.0]])
    assert list(losses) == pytest.approx([math.exp(700.0), math.e], rel=1e-14)
    assert grads == pytest.approx([700.0 * math.exp(700.0) + math.e], rel=1e-13)
    with pytest.raises((OverflowError, FloatingPointError), match="exp"):
        tape.run_batch([[710.0, 1.0]])  # exp(710) overflows: named, as the scalar engine does
