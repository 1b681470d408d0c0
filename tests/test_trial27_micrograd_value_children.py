"""micrograd's ``Value(data, _children, _op)`` (how its lecture writes a new op) is refused, saying how (trial 27).

Before: ``Value(t, (x,), 'tanh')`` was Python's "takes from 2 to 3 positional arguments but 4 were given",
and ``Value(t, (x,))`` silently made a leaf labelled "(Value(...),)", with no parent and no gradient path.
"""

import math

import pytest

from autograd import Value, register_op  # noqa: F401  (named by the message)


def test_micrograds_three_argument_constructor_says_how_ops_are_made_here():
    x = Value(0.5)
    with pytest.raises(TypeError) as caught:
        Value(math.tanh(0.5), (x,), "tanh")
    message = str(caught.value)
    assert "micrograd's Value(data, _children, _op)" in message
    assert "autograd.register_op" in message and "docs/adding_an_op.md" in message


@pytest.mark.parametrize("children", [lambda x: (x,), lambda x: [x, x], lambda x: {x}, lambda x: frozenset([x])])
def test_children_where_the_label_goes_are_refused_not_stored_as_a_label(children):
    x = Value(0.5)
    with pytest.raises(TypeError, match=r"Value\(data, label\) makes a leaf"):
        Value(1.0, children(x))


def test_what_the_message_points_to_gives_the_gradient_micrograd_would():
    # The lecture's hand-written tanh op, done the way the message says: through the op, d tanh = 1 - tanh^2.
    x = Value(0.5)
    y = x.tanh()
    y.backward()
    assert x.grad == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)
    assert y.parents == (x,)


def test_labels_and_leaves_are_as_before():
    assert Value(2.0, "a").label == "a"
    assert Value(2.0, label="b").label == "b"
    assert Value(2.0, label=5).label == "5"  # the constructor's str(), unchanged
    assert Value(2.0).parents == () and Value(2.0).data == 2.0
