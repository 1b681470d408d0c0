"""Hostile input, round 21: weight tables that are no table are a TypeError naming the weights.

``set_weight_table(None)`` failed with "'NoneType' object is not iterable", a flat numpy array with
"'numpy.float64' object is not iterable", ``set_weights({0: [...], 1: [...]})`` with "'int' object is not
iterable", ``LSTMCell.set_weights([[...]])`` with "unhashable type: 'list'", and the string "abc" was read as
three rows of one entry each. An int past the float range lost the entry's name. Nothing changes on error.
"""

from __future__ import annotations

import numpy as np
import pytest

from nn import Layer, Linear, LSTMCell, RNNCell


def _numbers(module: object) -> list[float]:
    return [p.data for p in module.parameters()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("table", "shown"), [
    (None, "got NoneType None"),
    ("abc", "got str 'abc'"),
    (np.ones(6), "got float64 np.float64(1.0) as row 0"),
    (["ab", [0.3, 0.4], [0.5, 0.6]], "got str 'ab' as row 0"),
    ({0: [0.1, 0.2]}, "got dict {0: [0.1, 0.2]}"),
    (3.0, "got float 3.0"),
])
def test_a_slide_table_that_is_no_table_is_named(table: object, shown: str) -> None:
    layer = Layer(2, 2, seed=0)
    before = _numbers(layer)
    with pytest.raises(TypeError) as caught:
        layer.set_weight_table(table)  # type: ignore[arg-type]
    assert str(caught.value) == f"w: expected 3 rows (bias row first) of 2 numbers (a list of rows of numbers), {shown}"
    assert _numbers(layer) == before


@pytest.mark.parametrize(("call", "message"), [
    (lambda m: m.set_weights({0: [1.0, 2.0], 1: [3.0, 4.0]}),
     "W: expected a 2x2 matrix (a list of rows of numbers), got dict {0: [1.0, 2.0], 1: [3.0, 4.0]}"),
    (lambda m: m.set_weights([[1.0, 2.0], [3.0, 4.0]], 5.0), "b: expected 2 numbers (a list), got float 5.0"),
    (lambda m: m.set_weights([[1.0, 2.0], 3.0]),
     "W: expected a 2x2 matrix (a list of rows of numbers), got float 3.0 as row 1"),
])
def test_linear_names_a_matrix_or_bias_that_is_no_sequence(call, message: str) -> None:  # type: ignore[no-untyped-def]
    layer = Linear(2, 2)
    before = _numbers(layer)
    with pytest.raises(TypeError) as caught:
        call(layer)
    assert str(caught.value) == message
    assert _numbers(layer) == before


def test_an_int_past_the_float_range_keeps_the_entrys_name() -> None:
    layer = Linear(2, 2)
    with pytest.raises(OverflowError, match=r"^W\[0,1\]: an int of 401 digits is too large for a float$"):
        layer.set_weights([[1.0, 10**400], [3.0, 4.0]])


def test_lstm_set_weights_of_no_dict_is_named() -> None:
    cell = LSTMCell(2, 2, seed=0)
    with pytest.raises(TypeError, match=r"^LSTMCell\.set_weights takes a dict of gate weights \(W_f, W_g, W_i, "
                                        r"W_o, b_f, b_g, b_i, b_o\), got list \[\[1\.0\]\]$"):
        cell.set_weights([[1.0]])  # type: ignore[arg-type]


def test_tables_in_any_sequence_form_still_load() -> None:
    layer = Layer(2, 2, seed=0)
    layer.set_weight_table(np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]))
    assert layer.weight_table() == [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    layer.set_weight_table(((1.0, 2.0), (3.0, 4.0), (5.0, 6.0)))
    assert layer.weight_table() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    cell = RNNCell(1, 1)
    cell.set_weights(np.array([[0.5]]), ((0.25,),), np.array([0.125]))
    assert _numbers(cell) == [0.5, 0.25, 0.125]
