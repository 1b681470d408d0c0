"""A negative limit is a ValueError naming it, not a refusal "over the limit of -1" or a timeout "within -1 s".

``backward_steps(root, max_steps=-1)`` raised GraphTooLarge ("the graph has 2 steps, over the limit of -1") and
``render_source(source, timeout=-1)`` RenderTimeout ("did not finish ... within the -1 s limit"): each blamed
the graph for what was a bad argument (draw_graph's max_nodes=-1 is already refused by name). 0 stays
meaningful for both: no step at all (a leaf has none), a deadline that has passed.
"""

from __future__ import annotations

import pytest

from autograd import Value
from viz import backward_steps, render_source


def _graph() -> Value:
    return (Value(2.0, label="a") * Value(3.0, label="b")).tanh()


@pytest.mark.parametrize("bad", [-1, -10**30])
def test_a_negative_max_steps_is_refused_by_name(bad: int) -> None:
    with pytest.raises(ValueError, match=r"^backward_steps: max_steps must be >= 0, got -"):
        backward_steps(_graph(), max_steps=bad)


def test_zero_max_steps_still_takes_a_leaf_and_counts_steps() -> None:
    assert backward_steps(Value(1.0), max_steps=0) == []
    assert len(backward_steps(_graph(), max_steps=2)) == 2  # the tanh, then the multiply


@pytest.mark.parametrize("bad", [-1, -0.5, float("-inf")])
def test_a_negative_timeout_is_refused_by_name(bad: float) -> None:
    with pytest.raises(ValueError, match=r"^timeout must be a number of seconds >= 0, got -"):
        render_source("digraph { a -> b }", timeout=bad)
