"""Hostile input, round 29: replay's run_many names the row at fault, and record's constants refuse a dict.

``tape.run_many(rows)`` with one short row, or a NaN, among thousands said "the tape takes 2 inputs, got 1"
or "tape input 0: ... nan" without saying which row (run_batch names its column and sample). And
``record(..., constants={v: 1})`` silently took the dict's keys as the constants, where ``parameters`` as a
dict is refused.
"""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import ReplayError, record


def _tape():  # type: ignore[no-untyped-def]
    w, b = Value(0.5), Value(0.1)
    return record(lambda x, y: (w * x + b * y - 1.0) ** 2, [1.0, 2.0], [w, b]), w, b


def test_a_short_row_is_named_by_its_position() -> None:
    tape, w, _ = _tape()
    with pytest.raises(ReplayError, match=r"^run_many row 2: the tape takes 2 inputs, got 1$"):
        tape.run_many([[1.0, 2.0], [3.0, 4.0], [1.0]])
    assert w.grad == 0.0  # nothing was added before the bad row was found


def test_a_nan_in_a_row_is_named_by_row_and_input() -> None:
    tape, w, _ = _tape()
    with pytest.raises(ValueError, match=r"^run_many row 1: tape input 1: Value data must be finite, got nan$"):
        tape.run_many([[1.0, 2.0], [3.0, float("nan")]])
    with pytest.raises(TypeError, match=r"^run_many row 0: tape inputs must be a sequence of 2 numbers, got float$"):
        tape.run_many([1.0, 2.0])
    assert w.grad == 0.0


def test_good_rows_still_sum_as_runs_do() -> None:
    tape, w, b = _tape()
    rows = [[1.0, 2.0], [3.0, -1.0]]
    total = tape.run_many(rows)
    expected = 0.0
    for x, y in rows:  # closed form of (w x + b y - 1)^2 at w = 0.5, b = 0.1
        expected += (0.5 * x + 0.1 * y - 1.0) ** 2
    assert total == pytest.approx(expected)


def test_constants_as_a_dict_are_refused_as_parameters_are() -> None:
    w, b = Value(0.5), Value(0.1)
    with pytest.raises(TypeError, match=r"^record: constants must be a list of Values, got dict$"):
        record(lambda x: w * x + b, [1.0], [w], constants={b: 1})
