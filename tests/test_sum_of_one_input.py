"""The n-ary sum with a single input is that input (gradient 1), eagerly and replayed.

The op table writes one input's sum differently from two or more (``a + 0.0``), so the central-difference
tests over two and more inputs do not reach it.
"""

from __future__ import annotations

import pytest

from autograd import OPS, Value, apply
from autograd.replay import record


@pytest.mark.parametrize("x0", [1.5, -2.25, 7.0])
def test_sum_of_one_input_is_the_input_with_gradient_one(x0: float) -> None:
    x = Value(x0)
    y = apply(OPS["sum"], x)
    y.backward()
    assert (y.data, x.grad) == (x0, 1.0)


def test_sum_of_one_input_replayed_is_the_input() -> None:
    w = Value(2.0)
    tape = record(lambda a: apply(OPS["sum"], a * w), [3.0], [w])
    # d(a w)/dw = a
    assert tape.evaluate([3.0]) == (6.0, [3.0])
    assert tape.evaluate([-0.5]) == (-1.0, [-0.5])
