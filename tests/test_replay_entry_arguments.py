"""A tape's entry points name an argument that is not a sequence (None, a string, a lone Value, a number),
rather than failing deep inside with "'NoneType' object is not iterable" (found by hostile19)."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import record
from nn import MLP


def tape_and_model():
    model = MLP(2, [3, 1], seed=0)
    tape = record(lambda a, b: model([a, b]), example=[0.0, 0.0], parameters=model.parameters())
    return tape, model


@pytest.mark.parametrize("bad", [None, "ab", 3.0, Value(1.0)])
def test_run_many_names_rows_that_are_not_a_sequence(bad: object) -> None:
    tape, _ = tape_and_model()
    with pytest.raises(TypeError, match=r"run_many: rows must be a sequence of input rows, got"):
        tape.run_many(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, "ab", 3.0, Value(1.0)])
def test_check_parameters_names_what_is_not_a_list_of_values(bad: object) -> None:
    tape, _ = tape_and_model()
    with pytest.raises(TypeError, match=r"check_parameters: parameters must be a sequence of Values, got"):
        tape.check_parameters(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [None, "ab", 3.0])
def test_run_batch_names_columns_that_are_not_a_sequence(bad: object) -> None:
    pytest.importorskip("numpy")
    tape, _ = tape_and_model()
    with pytest.raises(TypeError, match=r"run_batch: columns must be a sequence of input columns, got"):
        tape.run_batch(bad)  # type: ignore[arg-type]


def test_good_arguments_still_work_and_generators_are_read_once() -> None:
    # run_many over a generator of rows equals the sum of single runs (the eager loss, summed by hand).
    tape, model = tape_and_model()
    rows = [[0.5, -1.0], [2.0, 0.25]]
    expected = sum(model(row).data for row in rows)
    model.zero_grad()
    assert tape.run_many(row for row in rows) == pytest.approx(expected, rel=1e-12)
    tape.check_parameters(p for p in model.parameters())  # the recorded parameters: no error
