"""Hostile input, round 21: a recurrent cell's state of the wrong shape or type, and a 0-d array as an input.

Each used to fail deep inside: an RNN state of the wrong length in `dot` ("lengths differ (6 weights, 5
inputs)", naming neither the state nor the hidden size), an LSTM state that is no pair (h, c) with
"not enough values to unpack" or "Value after * must be an iterable", a short c with an IndexError, and a
0-d numpy array given as an input vector with numpy's "iteration over a 0-d array".
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from nn import MLP, CharModel, Linear, LSTMCell, ProjectedInput, RNNCell

X = [1.0, 2.0, 3.0]


@pytest.mark.parametrize(("state", "error", "words"), [
    ([0.5], ValueError, "state h must have 2 entries (its hidden_size), got 1"),
    ([0.5, 0.5, 0.5], ValueError, "state h must have 2 entries (its hidden_size), got 3"),
    ("ab", TypeError, "state h must be a sequence of 2 numbers or Values (hidden_size), got str 'ab'"),
    (0.5, TypeError, "state h must be a sequence of 2 numbers or Values (hidden_size), got float 0.5"),
    ({0: 0.5, 1: 0.5}, TypeError, "state h must be a sequence of 2 numbers"),
    (np.array(0.5), TypeError, "state h must be a sequence of 2 numbers"),
])
def test_an_rnn_state_of_the_wrong_shape_is_named(state: object, error: type[Exception], words: str) -> None:
    cell = RNNCell(3, 2, seed=0)
    for x in (X, 1):  # a vector input, and a one-hot index (its column of Wxh)
        with pytest.raises(error, match="^" + re.escape(f"RNNCell's {words}")):
            cell(x, state)


@pytest.mark.parametrize(("state", "error", "words"), [
    (([0.0, 0.0],), TypeError, "LSTMCell's state must be a pair (h, c) of sequences of 2 numbers or Values"),
    ([0.0, 0.0, 0.0], TypeError, "LSTMCell's state must be a pair (h, c)"),
    ("hc", TypeError, "LSTMCell's state must be a pair (h, c)"),
    (0.5, TypeError, "LSTMCell's state must be a pair (h, c)"),
    ((None, [0.0, 0.0]), TypeError, "LSTMCell's state h must be a sequence of 2 numbers or Values"),
    (([0.0, 0.0], [0.0]), ValueError, "LSTMCell's state c must have 2 entries (its hidden_size), got 1"),
    (([0.0], [0.0, 0.0]), ValueError, "LSTMCell's state h must have 2 entries (its hidden_size), got 1"),
])
def test_an_lstm_state_that_is_no_pair_of_hidden_vectors_is_named(state: object, error: type[Exception],
                                                                   words: str) -> None:
    cell = LSTMCell(3, 2, seed=0)
    for x in (X, 1):
        with pytest.raises(error, match="^" + re.escape(words)):
            cell(x, state)


def test_a_char_model_names_a_start_state_of_the_wrong_size() -> None:
    with pytest.raises(ValueError, match=r"^RNNCell's state h must have 4 entries \(its hidden_size\), got 1$"):
        CharModel(5, 4, seed=0).sequence_loss([0, 1], [1, 2], [0.0])
    with pytest.raises(TypeError, match=r"^LSTMCell's state must be a pair \(h, c\)"):
        CharModel(5, 4, cell="lstm", seed=0).sequence_loss([0, 1], [1, 2], [0.0])


def test_good_states_in_any_sequence_form_give_the_same_step() -> None:
    # The same numbers as a list, a tuple, a generator and a numpy array: one result, the closed form's.
    cell = RNNCell(2, 2, seed=0)
    cell.set_weights([[0.1, 0.2], [0.3, 0.4]], [[0.5, -0.5], [0.25, 0.75]], [0.0, 0.1])
    h0 = [0.2, -0.4]
    expected = [math.tanh(0.1 * 1.0 + 0.2 * 2.0 + 0.5 * 0.2 - 0.5 * -0.4 + 0.0),
                math.tanh(0.3 * 1.0 + 0.4 * 2.0 + 0.25 * 0.2 + 0.75 * -0.4 + 0.1)]
    for state in (h0, tuple(h0), (v for v in h0), np.array(h0)):
        assert [v.data for v in cell([1.0, 2.0], state)] == pytest.approx(expected, rel=1e-15)
    lstm = LSTMCell(2, 2, seed=0)
    h_list, c_list = lstm([1.0, 2.0], ([0.2, -0.4], [0.1, 0.3]))
    h_arr, c_arr = lstm([1.0, 2.0], (np.array([0.2, -0.4]), (0.1, 0.3)))
    assert [v.data for v in h_list + c_list] == [v.data for v in h_arr + c_arr]


@pytest.mark.parametrize("module", [MLP(3, [2], seed=0), Linear(3, 2), RNNCell(3, 2), LSTMCell(3, 2)])
def test_a_0d_array_as_the_input_vector_is_a_type_error_naming_the_layer(module: object) -> None:
    name = type(module).__name__
    with pytest.raises(TypeError, match=rf"^{name} expects a sequence of 3 numbers .*got ndarray array\(1\.\)"):
        module(np.array(1.0))  # type: ignore[operator]


@pytest.mark.parametrize(("values", "error", "message"), [
    ([float("nan"), 1.0], ValueError, "ProjectedInput value 0 must be finite, got nan"),
    ([1.0, 10**400], ValueError, "ProjectedInput value 1: an integer of 401 digits is too large for a float"),
    (None, TypeError, "ProjectedInput takes a sequence of Values or numbers, got NoneType None"),
    ("ab", TypeError, "ProjectedInput takes a sequence of Values or numbers, got str 'ab'"),
])
def test_a_projected_input_names_a_bad_number_when_made(values: object, error: type[Exception], message: str) -> None:
    # A NaN was taken and refused only by the cell's add, later ("operand of add must be finite"); None
    # failed with "'NoneType' object is not iterable"; a 401-digit int was kept as it was.
    with pytest.raises(error) as caught:
        ProjectedInput(values)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_a_projected_input_of_numbers_is_the_column_added() -> None:
    cell = RNNCell(2, 2, seed=0)
    cell.set_weights([[0.1, 0.2], [0.3, 0.4]], [[0.5, -0.5], [0.25, 0.75]], [0.0, 0.1])
    h = cell(ProjectedInput(x for x in [0.3, 1]), [0.2, -0.4])
    expected = [math.tanh(0.5 * 0.2 - 0.5 * -0.4 + 0.0 + 0.3), math.tanh(0.25 * 0.2 + 0.75 * -0.4 + 0.1 + 1.0)]
    assert [v.data for v in h] == pytest.approx(expected, rel=1e-15)
