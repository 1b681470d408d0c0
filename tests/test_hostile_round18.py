"""Hostile input, round 18: what rounds 14-16 left (each test failed, hung or leaked a bare message before its fix)."""

from __future__ import annotations

import pytest

from autograd import Value

# --- a derivative of pow that overflows: OverflowError "(34, 'Numerical result out of range')" from helpers ---

def test_pow_const_derivative_overflow_names_the_op():
    x = Value(1e-160)
    y = x**-1  # 1e160 is a float; its derivative -x**-2 = -1e320 is not
    with pytest.raises(OverflowError, match=r"pow: derivative of 1e-160 \*\* -1\.0 is too large"):
        y.backward()


def test_pow_value_base_derivative_overflow_names_the_op():
    x, n = Value(1e-160), Value(-1.0)
    y = x**n
    with pytest.raises(OverflowError, match=r"pow: derivative of 1e-160 \*\* -1\.0 in the base is too large"):
        y.backward()
