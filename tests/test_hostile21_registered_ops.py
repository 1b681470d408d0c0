"""Hostile input, round 21: an op registered by the user whose expression gives no real number is named.

The engine's hot paths check only finiteness (``v - v != 0.0``), which a complex number passes: a row whose
helper returned ``cmath.sqrt(-1.0)`` made ``Value(data=1j)`` and complex gradients, silently, and a row
giving a string or None failed deep inside the engine ("unsupported operand type(s) for -: 'str' and
'str'"). Now `register_op` makes the row's forward and derivatives check their results, naming the op, the
expression and the point.
"""

from __future__ import annotations

import cmath
import math

import pytest

from autograd import Op, Value, grad, helper, register_op


def _op(name: str, forward: str, derivative: str) -> Op:
    return register_op(Op(name=name, symbol=name, forward=forward, derivatives=(derivative,)))


def _complex_sqrt() -> None:
    @helper
    def csqrt(a: float) -> complex:
        """A helper that, by mistake, returns a complex number."""
        return cmath.sqrt(a)


@pytest.mark.usefixtures("clean_table")
@pytest.mark.parametrize(("forward", "error", "got"), [
    ("csqrt(a)", TypeError, "must be a real number, got complex 1j (complex numbers are not supported)"),
    ('"x"', TypeError, "must be a real number, got str 'x'"),
    ("None", TypeError, "must be a real number, got NoneType None"),
    ("10 ** 400", OverflowError, ": an int of 401 digits is too large for a float"),
])
def test_a_forward_that_gives_no_real_number_is_named(forward: str, error: type[Exception], got: str) -> None:
    _complex_sqrt()
    op = _op("own", forward, "1.0")
    for call in (lambda: Value(-1.0).own(), lambda: Value(-1.0).apply(op)):  # type: ignore[attr-defined]
        with pytest.raises(error) as caught:
            call()
        assert str(caught.value) == f"op own: {forward!r} at a = -1.0{'' if got.startswith(':') else ' '}{got}"


@pytest.mark.usefixtures("clean_table")
@pytest.mark.parametrize(("derivative", "error", "got"), [
    ("csqrt(-a)", TypeError, "must be a real number, got complex 1j (complex numbers are not supported)"),
    ('"x"', TypeError, "must be a real number, got str 'x'"),
    ("None", TypeError, "must be a real number, got NoneType None"),
])
def test_a_derivative_that_gives_no_real_number_is_named_and_no_gradient_changes(derivative: str,
                                                                                 error: type[Exception],
                                                                                 got: str) -> None:
    _complex_sqrt()
    op = _op("own", "a * a", derivative)
    message = f"op own: derivative {derivative!r} at a = 1.0 {got}"
    x = Value(1.0)
    with pytest.raises(error) as caught:
        x.apply(op).backward()
    assert str(caught.value) == message
    assert x.grad == 0.0
    with pytest.raises(error) as caught:
        grad(x.apply(op) * 2.0, [x])
    assert str(caught.value) == message


@pytest.mark.usefixtures("clean_table")
def test_an_int_or_a_comparison_result_counts_as_its_float() -> None:
    # A step derivative written as a comparison, "a > 0", multiplied as 1.0 or 0.0 before and still does.
    op = _op("ramp", "relu(a)", "a > 0")
    x = Value(2.5)
    y = x.apply(op) * 3.0
    y.backward()
    assert y.data == 7.5 and x.grad == 3.0
    assert type(x.grad) is float
    one = _op("one", "1", "0")
    z = Value(4.0).apply(one)
    assert z.data == 1.0 and type(z.data) is float


@pytest.mark.usefixtures("clean_table")
def test_a_good_registered_op_gives_the_closed_form() -> None:
    # softplus: log(1 + e^a), derivative sigmoid(a); at a = 0.5 the closed forms below.
    op = register_op(Op(name="softplus_", symbol="sp", forward="log1pexp(a)", derivatives=("sigmoid(a)",)))
    x = Value(0.5)
    y = x.apply(op)
    y.backward()
    assert y.data == pytest.approx(math.log(1.0 + math.exp(0.5)), rel=1e-15)
    assert x.grad == pytest.approx(1.0 / (1.0 + math.exp(-0.5)), rel=1e-15)


_PER_INPUT = "op own: derivatives must be a tuple of expressions (str), one per input,"


@pytest.mark.parametrize(("fields", "message"), [
    (dict(name=3), "an op's name must be a non-empty str, got int 3"),
    (dict(symbol=None), "op own: symbol must be a str (the gate's label), got NoneType"),
    (dict(forward=3), "op own: forward must be an expression (a str), got int 3"),
    (dict(derivatives="1.0"), f"{_PER_INPUT} got str '1.0'"),
    (dict(derivatives=(1.0,)), f"{_PER_INPUT} got tuple (1.0,)"),
])
def test_a_row_field_of_the_wrong_kind_is_named(fields: dict[str, object], message: str) -> None:
    row: dict[str, object] = dict(name="own", symbol="o", forward="a", derivatives=("1.0",))
    row.update(fields)
    with pytest.raises(TypeError) as caught:
        Op(**row)  # type: ignore[arg-type]
    assert str(caught.value) == message
