"""A leaf the recorded function makes is a constant; if it is also given as a parameter, the tape refuses it.

`record` takes the leaves its function makes as constants. They are newer than the inputs and than a parameter
list made before the call (record lists an iterable of parameters first), so they are checked for a second role
(hostile29: a Value both constant and parameter was trained silently) only where the parameters could hold
them: a list the function added to. These pin both paths with a function that makes its own weight.
"""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import ReplayError, record


def _maker(made: list[Value]):  # type: ignore[no-untyped-def]
    def fn(x: Value) -> Value:
        w = Value(2.0)
        made.append(w)
        return x * w + 1.0

    return fn


def test_a_generator_of_parameters_is_read_before_the_call_so_a_made_leaf_stays_a_constant() -> None:
    made: list[Value] = []
    tape = record(_maker(made), [1.5], (v for v in made))  # read (empty) before fn runs, as torch's optimizers
    assert tape.parameters == ()
    loss, grads = tape.evaluate([3.0])
    assert (loss, grads) == (3.0 * 2.0 + 1.0, [])


def test_a_made_leaf_given_as_parameter_through_a_list_fn_filled_is_refused() -> None:
    made: list[Value] = []
    with pytest.raises(ReplayError, match=r"^constant \d+ .* is also parameter 0"):
        record(_maker(made), [1.5], made)


def test_a_made_leaf_is_a_constant_baked_in() -> None:
    made: list[Value] = []
    b = Value(0.5)
    tape = record(lambda x: _maker(made)(x) * b, [1.5], [b])
    loss, grads = tape.evaluate([3.0])
    assert loss == (3.0 * 2.0 + 1.0) * 0.5  # the made weight 2.0 baked in
    assert grads == [3.0 * 2.0 + 1.0]  # d/db
