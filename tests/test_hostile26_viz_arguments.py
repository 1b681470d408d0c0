"""viz names hostile arguments whatever their repr (hostile26).

Before: ``groups_from_parameters(root, None)`` (or a number) failed inside with "'NoneType' object is not
iterable"; an int past str()'s 4,300 digits as decimals=, a picture format or a step list made the message
itself fail ("Exceeds the limit (4300 digits) for integer string conversion"), and an argument whose
``__repr__`` raises replaced the error with its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import viz
from autograd import Value

HUGE = 10**5000


class BadRepr(float):
    """A number whose repr raises."""

    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


def _root() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    return (a * b).tanh()


@pytest.mark.parametrize("named", [None, 3, 2.5, "layers.0.w", Value(1.0)])
def test_groups_from_parameters_names_what_is_no_named_parameters(named: Any) -> None:
    with pytest.raises(TypeError, match=r"groups_from_parameters takes a module's named_parameters\(\)"):
        viz.groups_from_parameters(_root(), named)


@pytest.mark.parametrize(("call", "words"), [
    (lambda h: viz.draw_graph(_root(), decimals=h), "decimals must be an integer in 0..12"),
    (lambda h: viz.step_through_page(_root(), decimals=h), "decimals must be an integer in 0..12"),
    (lambda h: viz.render_source(viz.draw_graph(_root()).source, h), "unknown picture format"),
    (lambda h: viz.render_to_file(viz.draw_graph(_root()).source, "g", h), "unknown picture format"),
    (lambda h: viz.groups_by_time_step(h), "groups_by_time_step takes a sequence of steps"),
])
@pytest.mark.parametrize("hostile", [HUGE, BadRepr(0.5)], ids=["huge-int", "bad-repr"])
def test_viz_messages_survive_huge_ints_and_failing_reprs(call: Callable[[Any], Any], words: str,
                                                          hostile: Any) -> None:
    with pytest.raises((TypeError, ValueError)) as info:
        call(hostile)
    message = str(info.value)
    assert words in message and "4300 digits" not in message, message
    if isinstance(hostile, int):
        assert "an int of about 5,001 digits" in message
