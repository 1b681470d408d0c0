"""Hostile input, round 21: nn functions taking sequences name a 0-d array, None or a lone Value.

Each used to fail inside ``list()`` or iteration: ``parameters_to_vector(None)`` with "'NoneType' object is
not iterable", ``vector_to_parameters(np.array(1.0), ps)`` with "object of type 'float' has no len()",
``sequence_loss(np.array(1), ...)`` and ``Vocabulary.decode(np.array(1))`` with numpy's "iteration over a 0-d
array". An int past the float range in a vector was called "not a real number" (a TypeError); it is a real
number too large for a float (a ValueError). ``two_moons(np.int64(5))`` was refused as no whole number.
"""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value
from nn import MLP, CharModel, Vocabulary, parameters_to_vector, two_moons, vector_to_parameters


@pytest.mark.parametrize(("call", "message"), [
    (lambda ps: parameters_to_vector(None), "parameters_to_vector: parameters must be a sequence, got NoneType None"),
    (lambda ps: parameters_to_vector(np.array(1.0)),
     "parameters_to_vector: parameters must be a sequence, got ndarray array(1.)"),
    (lambda ps: parameters_to_vector(Value(1.0)),
     "parameters_to_vector: parameters must be a sequence, got Value Value(data=1, grad=0)"),
    (lambda ps: vector_to_parameters(None, ps), "vector_to_parameters: vector must be a sequence, got NoneType None"),
    (lambda ps: vector_to_parameters(np.array(1.0), ps),
     "vector_to_parameters: vector must be a sequence of numbers, got a 0-d ndarray holding 1.0"),
])
def test_the_vector_functions_name_what_is_no_sequence(call, message: str) -> None:  # type: ignore[no-untyped-def]
    model = MLP(2, [1], seed=0)
    before = parameters_to_vector(model.parameters())
    with pytest.raises(TypeError) as caught:
        call(model.parameters())
    assert str(caught.value) == message
    assert parameters_to_vector(model.parameters()) == before


def test_an_int_past_the_float_range_in_a_vector_is_a_value_error_and_changes_nothing() -> None:
    model = MLP(2, [1], seed=0)
    before = parameters_to_vector(model.parameters())
    with pytest.raises(ValueError, match=r"^vector_to_parameters: number 1, an integer of 401 digits, is too large "
                                         r"for a float$"):
        vector_to_parameters([0.0, 10**400, 0.0], model.parameters())
    assert parameters_to_vector(model.parameters()) == before
    vector_to_parameters(np.array([1.0, 2.0, 3.0]), model.parameters())
    assert parameters_to_vector(model.parameters()) == [1.0, 2.0, 3.0]


def test_a_0d_array_of_time_steps_or_indices_is_named() -> None:
    with pytest.raises(TypeError, match=r"^inputs must be a sequence of time steps .*got ndarray array\(1\)$"):
        CharModel(5, 4, seed=0).sequence_loss(np.array(1), np.array(2))
    with pytest.raises(TypeError, match=r"^decode needs a sequence of class indices, got ndarray array\(1\)$"):
        Vocabulary("abc").decode(np.array(1))
    assert Vocabulary("abc").decode(np.array([2, 0])) == "ca"


def test_two_moons_takes_a_numpy_integer_count_as_that_int() -> None:
    assert two_moons(np.int64(6), seed=3) == two_moons(6, seed=3)
    with pytest.raises(ValueError, match="^two_moons needs a positive whole number of points"):
        two_moons(np.float64(6.0))
