"""A gradient of a wide softmax built while a tape records logs no branch checks, as a narrow one does.

largest's derivative on Values (``create_graph=True``) is a constant mask, compared by the inputs' numbers
(`value_helpers.amax_share`). hostile24's O(n) ``wide_derivative``, used past `INLINE_BACKWARD_UP_TO` inputs,
compared the Values themselves, and a Value comparison made while recording is a branch check re-made on every
run: a softmax over 300 logits recorded 600 of them where one over 256 recorded none.
"""

from __future__ import annotations

import math

import pytest

from autograd import Value, grad, softmax
from autograd.op import INLINE_BACKWARD_UP_TO
from autograd.replay import record


def _softmax_slope_tape(n: int):  # type: ignore[no-untyped-def]
    ps = [Value(math.sin(i) if i % 7 else 1.5) for i in range(n)]

    def slope() -> Value:
        (g,) = grad(softmax(ps)[3], [ps[3]], create_graph=True)
        return g

    return record(slope, [], ps), ps


@pytest.mark.parametrize("n", [INLINE_BACKWARD_UP_TO, INLINE_BACKWARD_UP_TO + 1, INLINE_BACKWARD_UP_TO + 44])
def test_wide_softmax_gradient_records_no_branch_checks(n: int) -> None:
    tape, ps = _softmax_slope_tape(n)
    assert repr(tape).endswith(" 0 branch checks)"), repr(tape)
    value, _ = tape.evaluate([])
    # d softmax_3 / d z_3 = p_3 (1 - p_3), in 60-digit-free float arithmetic from an fsum of the exponentials
    top = max(p.data for p in ps)
    total = math.fsum(math.exp(p.data - top) for p in ps)
    p3 = math.exp(ps[3].data - top) / total
    assert value == pytest.approx(p3 * (1.0 - p3), rel=1e-13)
