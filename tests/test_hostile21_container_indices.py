"""Hostile input, round 21: Sequential and ModuleList take numpy integer indices, and a huge one is shown short.

``Sequential(...)[np.int64(0)]`` was refused ("indices must be integers or slices, not int64"); torch takes
any integer through ``operator.index``, as a list does. An index of 401 digits was printed in full in the
IndexError.
"""

from __future__ import annotations

import numpy as np
import pytest

from nn import Linear, ModuleList, ReLU, Sequential


def test_numpy_integer_indices_pick_the_same_module_as_ints() -> None:
    first, second = Linear(1, 1), ReLU()
    model = Sequential(first, second)
    assert model[np.int64(1)] is second and model[np.int32(-2)] is first
    layers = ModuleList([first, second])
    assert layers[np.int64(0)] is first
    model.insert(np.int64(1), ReLU())
    assert len(model) == 3 and model[2] is second


def test_a_huge_index_is_shown_short() -> None:
    # A bool is an index (True is 1), as torch's: see tests/test_hostile29_bool_indices.py.
    model = Sequential(Linear(1, 1), ReLU())
    with pytest.raises(IndexError, match="^index an integer of 401 digits is out of range$"):
        model[10**400]
    with pytest.raises(IndexError, match="^Index out of range: an integer of 31 digits$"):
        model.insert(10**30, ReLU())
