"""Issue 9 item 1, second half: one step with numpy targets used to turn the shared constant 1.0 into
``np.float64(1.0)``, and every tape recorded afterwards failed with ``NameError: name 'np' is not defined``."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import record


def test_a_tape_recorded_after_numpy_operands_runs() -> None:
    np = pytest.importorskip("numpy")
    target = np.float64(1.0)
    x = Value(2.0)
    ((x - target) ** 2).backward()  # the numpy 1.0 becomes the constant every later `- 1.0` shares
    w = Value(0.5, label="w")
    tape = record(lambda v: (w * v - 1.0) ** 2, example=[1.0], parameters=[w])
    assert "np." not in tape.source and "float64" not in tape.source
    loss, (g,) = tape.evaluate([3.0])
    assert loss == (0.5 * 3.0 - 1.0) ** 2 and g == 2 * (0.5 * 3.0 - 1.0) * 3.0
