"""A tape names the op that overflowed, as eager does, when a square follows it.

parity27 made ``x ** 2`` one product (``pow_const``'s n = 2 branch) and refused a product that is not finite. In
a replayed tape an op that may overflow without a check of its own (``x * w``: a non-finite result propagates to
the next op's check) hands inf to the square, and the square's refusal came first: "pow: result too large in
inf ** 2.0", where eager (and the tape before) says "mul: result inf is not finite for inputs (1e+200, 1e+200)"
(generated code: "an input of a pow node is not finite: an op before it overflowed").
"""

from __future__ import annotations

import math

import pytest

from autograd import Value
from autograd.helpers import pow_const
from autograd.replay import record


def _square_of_product(w: Value, n: float = 2):  # type: ignore[no-untyped-def]
    return lambda x: (x * w) ** n


def test_eager_names_the_product() -> None:
    w = Value(1e200)
    with pytest.raises(OverflowError, match=r"^mul: result inf is not finite"):
        _square_of_product(w)(Value(1e200))


@pytest.mark.parametrize("n", [2, 3, -2])  # parity28's other exponents computed by products, as the square
@pytest.mark.parametrize("vectorize", [None, True, False])
@pytest.mark.parametrize("compiled", [False, True])
def test_every_tape_mode_names_the_product_not_the_square(vectorize: bool | None, compiled: bool, n: float) -> None:
    w = Value(1e200, label="w")
    tape = record(_square_of_product(w, n), [3e-300], [w], vectorize=vectorize)
    if compiled:
        tape.compile()
    # Run node by node, the tape names the product as eager does; generated code, which checks a node's inputs
    # rather than each product, says that an op before the square overflowed.
    named = (r"^(mul: result inf is not finite for inputs \(1e\+200, 1e\+200\)"
             r"|replay: an input of a pow node is not finite: an op before it overflowed)")
    with pytest.raises(OverflowError, match=named):
        tape.run([1e200])
    assert w.grad == 0.0  # nothing added


def test_a_finite_square_past_float_range_is_still_the_squares_overflow() -> None:
    with pytest.raises(OverflowError, match=r"^pow: result too large in 1e\+200 \*\* 2"):
        pow_const(1e200, 2.0)
    assert pow_const(-3.0, 2) == 9.0
    assert pow_const(math.inf, 2.0) == math.inf  # passed on for the check that names its source
    assert math.isnan(pow_const(math.nan, 2.0))
    with pytest.raises(OverflowError, match=r"^pow: result too large in 1e\+200 \*\* 3"):
        pow_const(1e200, 3.0)
    assert pow_const(math.inf, 3.0) == math.inf and pow_const(math.inf, -2.0) == 0.0
