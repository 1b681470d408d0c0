"""``nn.init``'s fillers on lists that are no tensor: one that contains itself, or nested past Python's recursion.

torch cannot even build a tensor from such a list; here each is a ValueError
naming the function (it was a RecursionError from deep inside the shape walk),
and no Value has changed. A list holding the same row twice is still a tensor.
"""

from __future__ import annotations

import pytest

import nn.init as init
from autograd import Value

FILLERS = [init.zeros_, init.ones_, init.normal_, init.uniform_, init.xavier_uniform_, init.kaiming_normal_,
           init.eye_, lambda t: init.constant_(t, 2.0)]


@pytest.mark.parametrize("fill", FILLERS)
def test_a_list_that_contains_itself_is_a_named_value_error(fill) -> None:
    v = Value(7.0)
    row: list = [v, v]
    table: list = [row, row]
    row.append(table)  # row -> table -> row ...
    with pytest.raises(ValueError, match="contains itself"):
        fill(table)
    assert v.data == 7.0


def test_the_brief_case_and_a_deep_nesting() -> None:
    x: list = [Value(1.0)]
    x.append(x)
    with pytest.raises(ValueError, match=r"nn\.init\.zeros_: the list contains itself"):
        init.zeros_(x)
    deep: list = [Value(0.5)]
    for _ in range(50_000):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deep"):
        init.zeros_(deep)


def test_a_row_shared_twice_is_still_a_tensor() -> None:
    v = Value(3.0)
    row = [v, v]
    assert init.ones_([row, row]) == [row, row] and v.data == 1.0
