"""Hostile input, round 29: a bool indexes ModuleList and Sequential as the int it equals, as in torch 2.13.

``ModuleList([a, b])[True]`` was refused ("indices must be integers or slices, not bool"); torch takes the
index through ``operator.index`` (True is 1), for get, set, del and pop, as a Python list does. torch's
``insert(True, m)`` stores the module under the key ``'True'`` (a torch bug that breaks the numbering): ours
inserts at 1, as ``list.insert`` does.
"""

from __future__ import annotations

import pytest

from nn import ELU, ModuleList, ReLU, Sequential, Sigmoid, Tanh


def test_a_bool_index_is_the_int_it_equals_for_get_set_del_and_pop() -> None:
    for make in (lambda ms: ModuleList(ms), lambda ms: Sequential(*ms)):
        a, b, c = ReLU(), Tanh(), ELU()
        layers = make([a, b, c])
        assert layers[True] is b and layers[False] is a  # type: ignore[index]
        new = Sigmoid()
        layers[True] = new
        assert list(layers) == [a, new, c]
        del layers[True]
        assert list(layers) == [a, c]
        assert layers.pop(True) is c and list(layers) == [a]


def test_insert_at_a_bool_inserts_where_a_list_would() -> None:
    a, b, new = ReLU(), Tanh(), Sigmoid()
    layers = ModuleList([a, b])
    layers.insert(True, new)
    expected = [a, b]
    expected.insert(True, new)
    assert list(layers) == expected
    assert [name for name, _ in layers.named_children()] == ["0", "1", "2"]


def test_a_float_index_is_still_refused_as_torch_refuses_it() -> None:
    with pytest.raises(TypeError, match="^ModuleList indices must be integers or slices, not float$"):
        ModuleList([ReLU()])[1.0]  # type: ignore[call-overload]
