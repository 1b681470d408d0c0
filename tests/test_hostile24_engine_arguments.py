"""Hostile input, round 24: engine helpers given something that is not what they take.

``topological_order(2.0)`` failed inside the walk ("'float' object has no attribute 'parents'") and
``helper(1.5)`` or ``helper(f, name=3)`` inside the registration ("'float' object has no attribute
'__name__'", "'int' object has no attribute 'isidentifier'"); a callable without a ``__name__`` (a
functools.partial) failed the same way. Each is now a TypeError naming the call and what came.
"""

from __future__ import annotations

import functools
import math
import re

import pytest

from autograd import Value, helper, topological_order
from autograd.helpers import HELPERS


@pytest.mark.parametrize(("root", "shown"), [(2.0, "float 2.0"), (None, "NoneType None"), ([1], "list [1]"),
                                             ("x", "str 'x'")])
def test_topological_order_of_what_is_not_a_value_is_a_type_error(root: object, shown: str) -> None:
    message = f"topological_order takes a Value (the root of a graph), got {shown}"
    with pytest.raises(TypeError, match="^" + re.escape(message)):
        topological_order(root)  # type: ignore[arg-type]


def test_topological_order_still_lists_parents_before_children() -> None:
    a, b = Value(2.0), Value(3.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert order[-1] is d
    assert order.index(c) > order.index(a) and order.index(c) > order.index(b)


@pytest.mark.parametrize("thing", [1.5, "exp", [math.exp], {}])
def test_helper_of_what_is_not_callable_is_a_type_error(thing: object, clean_table: None) -> None:
    with pytest.raises(TypeError, match=r"^helper registers a function, got "):
        helper(thing, name="something")  # type: ignore[call-overload]
    assert "something" not in HELPERS


def test_helper_name_that_is_not_a_str_is_a_type_error(clean_table: None) -> None:
    def triple(a: float) -> float:
        return 3 * a

    with pytest.raises(TypeError, match=r"^helper name must be a str, got int 3"):
        helper(triple, name=3)  # type: ignore[arg-type]
    assert "triple" not in HELPERS and 3 not in HELPERS


def test_a_callable_without_a_name_asks_for_one(clean_table: None) -> None:
    two_to_the = functools.partial(math.pow, 2.0)
    with pytest.raises(TypeError, match=r"^helper: partial has no __name__; pass name="):
        helper(two_to_the)
    assert helper(two_to_the, name="two_to_the") is two_to_the
    assert HELPERS["two_to_the"](3.0) == 8.0
