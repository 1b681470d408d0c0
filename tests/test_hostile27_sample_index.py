"""Hostile input, round 27: `nn.sample_index` given logits that are no flat list of numbers.

Before: a numpy array of logits failed with numpy's "truth value of an array with more than one element is
ambiguous", an iterator with max()'s "arg is an empty sequence", None with "needs at least one logit", 5 with
"'int' object is not iterable", a logit of 10**400 with float()'s bare "int too large to convert to float";
``True`` was taken as logit 1 and a dict's keys as logits. Now arrays and iterables of numbers are read as lists,
what is no sequence is a TypeError, and a logit that is no finite real number is named.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from autograd import Value
from nn import sample_index


def test_a_numpy_array_or_an_iterator_of_logits_is_read_as_a_list() -> None:
    for logits in (np.array([0.1, 3.0, -1.0]), iter([0.1, 3.0, -1.0]), (0.1, 3.0, -1.0), np.array([0.1, 3.0, -1.0],
                                                                                                dtype=np.float32)):
        assert sample_index(logits, 0, random.Random(0)) == 1  # temperature 0: the argmax
    draws = [sample_index(np.array([0.0, 0.0]), 1.0, random.Random(s)) for s in range(40)]
    assert draws == [sample_index([0.0, 0.0], 1.0, random.Random(s)) for s in range(40)]


@pytest.mark.parametrize("logits", [None, 5, 1.5, "ab", {0: 1.0, 1: 2.0}, {1.0, 2.0}, np.array(1.0),
                                    np.array([[1.0, 2.0]])])
def test_what_is_no_sequence_of_logits_is_a_type_error(logits: object) -> None:
    with pytest.raises(TypeError, match="^sample_index: logits must be a sequence of numbers, got "):
        sample_index(logits, 1.0, random.Random(0))  # type: ignore[arg-type]


@pytest.mark.parametrize(("logits", "shown"), [([True, 1.0], "True"), ([1.0, 10**400], "an integer of 401 digits"),
                                               ([Value(1.0)], r"Value\(data=1"), ([1.0, "2"], "'2'"),
                                               ([1.0, None], "None")])
def test_a_logit_that_is_no_finite_number_is_named(logits: list, shown: str) -> None:
    with pytest.raises(ValueError, match=f"^sample_index: logit [01] is {shown}"):
        sample_index(logits, 1.0, random.Random(0))
