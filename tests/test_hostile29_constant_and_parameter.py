"""Hostile input, round 29: a Value given as a constant and also as a parameter or an input is refused.

``record(fn, [2.0], [w, b], constants=[b])`` was taken silently with b trained as a parameter (its .grad set
by run) although it was also declared a fixed number; ``Tape(loss, [x], [w, b], constants=[x])`` likewise.
Which one was meant cannot be known: the tape names the Value and both roles.
"""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import ReplayError, Tape, record


def test_a_parameter_also_given_as_a_constant_is_refused_by_record() -> None:
    w, b = Value(0.5), Value(0.1, label="b")
    with pytest.raises(ReplayError, match=r"^constant 0 \(Value 'b'\) is also parameter 1: a Value is either "
                                          r"trained or fixed; pass it in one of them$"):
        record(lambda x: w * x + b, [2.0], [w, b], constants=[b])
    assert b.grad == 0.0


def test_an_input_also_given_as_a_constant_is_refused_by_tape() -> None:
    w, b, x = Value(0.5), Value(0.1), Value(1.0)
    with pytest.raises(ReplayError, match=r"^constant 0 \(Value\(data=1\.0\)\) is also input 0: an input is "
                                          r"replaced on every run, a constant never; pass it in one of them$"):
        Tape(w * x + b, [x], [w, b], constants=[x])


def test_distinct_constants_still_record_and_replay_their_number() -> None:
    w, c = Value(0.5), Value(3.0)
    tape = record(lambda x: w * x + c, [2.0], [w], constants=[c])
    assert tape.run([4.0]) == 0.5 * 4.0 + 3.0 and w.grad == 4.0
