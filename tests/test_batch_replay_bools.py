"""run_batch refuses a bool as the eager engine and tape.run do (numpy would read True as 1.0)."""

from __future__ import annotations

from typing import Any

import pytest

from autograd import Value
from autograd.replay import record

np = pytest.importorskip("numpy")


def _tape() -> Any:
    w = Value(2.0)
    return record(lambda x: x * w, example=[0.5], parameters=[w])


@pytest.mark.parametrize("column, where, shown", [
    ([True], "sample 0", "True"),
    ([1.0, 2.0, False], "sample 2", "False"),
    ([0.5, np.True_], "sample 1", "np.True_"),
    (np.array([1.0, True], dtype=object), "sample 1", "True"),
])
def test_a_bool_in_a_batch_column_is_refused_with_the_eager_wording(column: Any, where: str, shown: str) -> None:
    tape = _tape()
    with pytest.raises(TypeError) as eager:
        Value(True)
    with pytest.raises(TypeError) as single:
        tape.run([True])
    # tape.run names the input as run_batch names the column, then the eager engine's own wording.
    assert str(eager.value) == "Value data must be a real number, got bool True"
    assert str(single.value) == f"tape input 0: {eager.value}"
    with pytest.raises(TypeError, match=f"batch column 0, {where}: Value data must be a real number, got bool {shown}"):
        tape.run_batch([column])


def test_a_bool_array_is_refused_and_numbers_still_run() -> None:
    tape = _tape()
    with pytest.raises(TypeError, match="batch column 0: Value data must be a real number, got bool array"):
        tape.run_batch([np.array([True, False])])
    losses, (g,) = tape.run_batch([[1.0, 3, np.float64(0.5)]])
    assert list(losses) == [2.0, 6.0, 1.0] and g == 4.5
    losses, (g,) = tape.run_batch([np.array([1.0, -1.0])])
    assert list(losses) == [2.0, -2.0] and g == 0.0
