"""A bad operand of an arithmetic operator is a TypeError naming the operator the user wrote, in Python's words.

``"a" + x`` said "constant must be a real number" and ``"a" / x`` "operand of mul" (the reflected methods
wrapped the number before the op was known, and ``number / x`` is computed as ``x.reciprocal() * number``).
Python's own message for an operand it cannot combine is ``unsupported operand type(s) for +: 'str' and
'Value'`` (the left operand first), and a comparison's is ``'<' not supported between instances of ...``.
"""

from __future__ import annotations

import operator

import pytest

from autograd import Value

BINARY = [
    (operator.add, "+"), (operator.sub, "-"), (operator.mul, "*"), (operator.truediv, "/"),
    (operator.pow, "** or pow()"),
]


class Opaque:
    """No arithmetic of its own: Python leaves the operator to Value."""


@pytest.mark.parametrize("fn, symbol", BINARY)
@pytest.mark.parametrize("bad", [None, Opaque(), 1j])
def test_reflected_operator_names_the_operator(fn, symbol: str, bad: object) -> None:
    kind = type(bad).__name__
    with pytest.raises(TypeError, match=rf"^unsupported operand type\(s\) for {__import__('re').escape(symbol)}: "
                                        rf"'{kind}' and 'Value'"):
        fn(bad, Value(2.0))


@pytest.mark.parametrize("fn, symbol", BINARY)
@pytest.mark.parametrize("bad", [None, "a", Opaque(), 1j])
def test_operator_names_the_operator(fn, symbol: str, bad: object) -> None:
    kind = type(bad).__name__
    with pytest.raises(TypeError, match=rf"^unsupported operand type\(s\) for {__import__('re').escape(symbol)}: "
                                        rf"'Value' and '{kind}'"):
        fn(Value(2.0), bad)


@pytest.mark.parametrize("fn, symbol", [(operator.sub, "-"), (operator.mul, "*"), (operator.truediv, "/"),
                                        (operator.pow, "** or pow()")])
def test_a_str_on_the_left_names_the_operator(fn, symbol: str) -> None:
    # str has no numeric slot for these, so Python hands them to Value's reflected method (str + x is
    # str's own concatenation, which Python reports itself, as it does for torch).
    with pytest.raises(TypeError, match=rf"^unsupported operand type\(s\) for {__import__('re').escape(symbol)}: "
                                        rf"'str' and 'Value'"):
        fn("a", Value(2.0))


def test_str_plus_value_is_pythons_concatenation_error() -> None:
    with pytest.raises(TypeError, match=r"concatenate str \(not \"Value\"\) to str|unsupported operand type\(s\) "
                                        r"for \+: 'str' and 'Value'"):
        "a" + Value(2.0)  # type: ignore[operator]


def test_the_old_detail_is_kept() -> None:
    with pytest.raises(TypeError, match="complex numbers are not supported"):
        1j / Value(2.0)
    with pytest.raises(TypeError, match=r"got NoneType None"):
        None * Value(2.0)  # type: ignore[operator]


@pytest.mark.parametrize("fn, name", [(operator.add, "add"), (operator.sub, "sub"), (operator.mul, "mul"),
                                      (operator.truediv, "div")])
def test_a_reflected_nan_names_the_op(fn, name: str) -> None:
    with pytest.raises(ValueError, match=f"^operand of {name} must be finite, got nan"):
        fn(float("nan"), Value(2.0))


@pytest.mark.parametrize("written, symbol", [(lambda x: "a" < x, "<"), (lambda x: x > "a", ">"),
                                             (lambda x: None >= x, ">="), (lambda x: x <= None, "<=")])
def test_a_comparison_names_the_operator_written(written, symbol: str) -> None:
    # "a" < x is tried as x > "a": Value's __gt__ cannot know, so it gives way, and Python names the "<".
    with pytest.raises(TypeError, match=f"^'{symbol}' not supported between instances of"):
        written(Value(2.0))


def test_numbers_still_combine() -> None:
    x = Value(2.0)
    assert (1 + x).data == 3.0 and (1 - x).data == -1.0 and (3 * x).data == 6.0
    assert (1 / x).data == 0.5 and (2 ** x).data == 4.0 and (x ** 2).data == 4.0
    assert 1 < x and x > 1.5 and not (x < 1)


def test_three_argument_pow_is_pythons_unsupported_operand() -> None:
    # It said "Value.__pow__() takes 2 positional arguments but 3 were given" (torch: Python's words, as here).
    with pytest.raises(TypeError, match=r"^unsupported operand type\(s\) for \*\* or pow\(\): 'Value', 'int', 'int'$"):
        pow(Value(2.5), 2, 3)  # type: ignore[call-overload]
    assert pow(Value(2.5), 2).data == 6.25
