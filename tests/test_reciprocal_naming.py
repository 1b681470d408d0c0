"""A number over a Value is micrograd's graph (``"*"`` over ``"**-1"``), and 1 / 0 is named as the reciprocal it
is, eagerly, in a replayed tape and in batch replay (it said ``div: ... 1.0 / 0.0``, an op and a numerator the
user never wrote)."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import record


def _ops_by_depth(root: object) -> list[list[str]]:
    """Each level's ``_op`` strings, sorted (children's order is not part of the picture), leaves as ''."""
    levels, frontier = [], [root]
    while frontier:
        levels.append(sorted(str(n._op or "") for n in frontier))  # type: ignore[attr-defined]
        frontier = [c for n in frontier for c in n._prev]  # type: ignore[attr-defined]
    return levels


def test_a_number_over_a_value_is_micrograds_graph() -> None:
    engine = pytest.importorskip("micrograd.engine")
    theirs = 3.0 / engine.Value(2.0)  # micrograd: other * self**-1
    ours = 3.0 / Value(2.0)
    assert _ops_by_depth(ours) == _ops_by_depth(theirs) == [["*"], ["", "**-1"], [""]]
    assert ours.data == theirs.data == 1.5


def test_reciprocal_nodes_spell_micrograds_power() -> None:
    x = Value(4.0)
    y = x.reciprocal()
    assert y._op == "**-1" and y._op.name == "reciprocal" and y.data == 0.25  # type: ignore[union-attr]


@pytest.mark.parametrize("make", [lambda x: x.reciprocal(), lambda x: 3.0 / x], ids=["reciprocal", "number/x"])
@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_one_over_zero_names_the_reciprocal(make, zero: float) -> None:
    with pytest.raises(ZeroDivisionError, match=r"reciprocal: division by zero in 1 / -?0\.0"):
        make(Value(zero))


def test_a_replayed_reciprocal_of_zero_is_named() -> None:
    tape = record(lambda x: 3.0 / x + x, [2.0], [])
    assert tape.evaluate([4.0])[0] == 3.0 * (1.0 / 4.0) + 4.0
    with pytest.raises(ZeroDivisionError, match="reciprocal: division by zero"):
        tape.evaluate([0.0])
    pytest.importorskip("numpy")
    with pytest.raises(ZeroDivisionError, match="reciprocal: division by zero in 1 / 0.0 in a sample"):
        tape.run_batch([[1.0, 0.0]])


@pytest.mark.parametrize("make, words", [
    (lambda y: (-2.0) ** y, r"pow: math domain error in -2\.0 \*\* 2\.0: a Value exponent \(x \*\* y, or a number"),
    (lambda y: Value(-2.0) ** y, r"pow: math domain error in -2\.0 \*\* 2\.0: a Value exponent"),
])
def test_a_negative_base_under_a_value_exponent_is_named_as_written(make, words: str) -> None:
    # torch gives 4 and a NaN gradient; the engine refuses, in words that fit `number ** y` too (they said
    # "Value ** Value" for a plain number's power)
    with pytest.raises(ValueError, match=words):
        make(Value(2.0))


def test_a_second_derivative_of_zero_to_a_value_power_is_refused_in_words_that_fit() -> None:
    from autograd import grad

    y = Value(0.5)
    with pytest.raises(ZeroDivisionError, match=r"a Value exponent \(x \*\* y, or a number \*\* y\).*base 0"):
        grad(0.0 ** y, [y], create_graph=True)
