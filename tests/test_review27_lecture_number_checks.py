"""The tanh-derivatives lecture names a point that is no float the way the engine does, for any size of number.

Counting an int's digits with str() raised "Exceeds the limit (4300 digits)" from inside the check, a huge
Fraction was called "an int of None digits", and a point whose ``__repr__`` raises replaced the TypeError.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from lecture.tanh_derivatives import tanh_derivatives_at


def test_an_int_past_str_limit_is_named_by_its_size() -> None:
    # 10**5000 has 5,001 digits; str() refuses ints past 4,300 digits, so the size is estimated from its bits.
    with pytest.raises(OverflowError, match=r"^tanh_derivatives_at: x = an int of about 5,001 digits is too large"):
        tanh_derivatives_at(10**5000)


def test_a_huge_fraction_is_named_by_its_repr_not_as_an_int() -> None:
    with pytest.raises(OverflowError, match=r"^tanh_derivatives_at: x = Fraction\(1000") as caught:
        tanh_derivatives_at(Fraction(10**400, 3))  # type: ignore[arg-type]
    assert "None" not in str(caught.value)


def test_a_point_whose_repr_raises_still_gets_the_type_error() -> None:
    class Hostile:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    with pytest.raises(TypeError, match="x must be a real number, got Hostile a Hostile"):
        tanh_derivatives_at(Hostile())  # type: ignore[arg-type]
