"""Hostile input, round 22: a user op (register_op) giving no real number, in a compiled tape and in run_batch.

The eager engine and the level interpreter call the op's checked forward and name the op, the expression and
the point; compiled code and run_batch inline the expression, so a helper returning a complex number failed as a
bare "must be real number, not complex" (the finiteness check) or "float() argument must be ... not 'complex'"
(inside numpy's vectorize), naming no op (found by hostile21). Now both name the registered op.
"""

from __future__ import annotations

import cmath
import math
import re

import pytest

from autograd import Op, Value, helper, register_op
from autograd.replay import record


def _tape(forward: str) -> tuple[object, Value]:
    @helper
    def csq(a: float) -> complex:
        """A square root that, by mistake, gives a complex number below 0."""
        return cmath.sqrt(a) if a < 0 else math.sqrt(a)

    @helper
    def none_below(a: float) -> float | None:
        """A helper that, by mistake, gives None below 0."""
        return None if a < 0 else math.sqrt(a)

    op = register_op(Op(name="own", symbol="own", forward=forward, derivatives=("0.5 / csq(a)",)))
    w = Value(1.0)
    return record(lambda x: (x * w).apply(op), [4.0], [w]), w


@pytest.mark.usefixtures("clean_table")
@pytest.mark.parametrize("forward", ["csq(a)", "none_below(a)"])
def test_a_compiled_tape_and_run_batch_name_the_registered_op(forward: str) -> None:
    tape, w = _tape(forward)
    # sqrt(4 w) at w = 1 is 2, its derivative 0.5 * 4 / sqrt(4) = 1.
    assert tape.evaluate([4.0]) == (2.0, [1.0])  # type: ignore[attr-defined]
    # (The level interpreter, until the tape compiles itself, names the op as eager does; when it compiles
    # depends on timing, so that is not asserted here.)
    tape.compile()  # type: ignore[attr-defined]
    assert tape.evaluate([9.0]) == (3.0, [9.0 / 6.0])  # type: ignore[attr-defined]
    named = rf"^replay: a result is no real number \(.*\): the tape holds op own \('{re.escape(forward)}'.*register_op"
    with pytest.raises(TypeError, match=named):
        tape.run([-4.0])  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=named):
        tape.run_many([[4.0], [-4.0]])  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match=named):
        tape.run_batch([[4.0, -4.0]])  # type: ignore[attr-defined]
    assert w.grad == 0.0  # no failed run touched a gradient
    with pytest.raises(TypeError, match="^tape input 0: Value data must be a real number, got str"):
        tape.run(["4"])  # type: ignore[attr-defined]  # a bad input is named as before, not blamed on the op
