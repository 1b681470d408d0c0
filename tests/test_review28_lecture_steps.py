"""The lecture's counts and indices take any integer type where they are new today, and name a huge int safely.

Before: `vanishing_factors` and `bptt_general_rows` (two copies of one check, merged the same day) refused
numpy.int64(3) as "not a whole number", and all three checks built their message with repr()/str() of the int,
which for one past 4,300 digits raised "Exceeds the limit (4300 digits) for integer string conversion" in place
of the message; `mlp_hessian` refused numpy's ints in its weight pairs.
"""

from __future__ import annotations

import numpy as np
import pytest

from lecture.bptt_slides import bptt_general_rows
from lecture.hello_rnn import number_table
from lecture.mlp_hessian import HESSIAN_WEIGHTS, mlp_hessian
from lecture.newton import newton_minimise
from lecture.slides_mlp import batch_loss, row_graph, slides_network
from lecture.tanh_derivatives import tanh_derivatives_at
from lecture.vanishing_factors import vanishing_factors


@pytest.mark.parametrize("who, f", [("vanishing_factors", vanishing_factors), ("bptt_general_rows", bptt_general_rows)])
def test_a_huge_step_is_named_by_its_size(who, f) -> None:
    wanted = rf"^{who}: step T must be a whole number in 1\.\.4, got an int of about 5,001"
    with pytest.raises(ValueError, match=wanted):
        f(10**5000)


def test_numpy_step_is_a_step() -> None:
    report = vanishing_factors(np.int64(3))
    assert report.step == 3 and [s.t for s in report.steps] == [3, 2, 1]
    assert all(s.agrees for s in report.steps)
    assert all(row.agrees for row in bptt_general_rows(np.int32(2)))


def test_numpy_weight_indices_are_indices() -> None:
    given = tuple((np.int64(i), np.int64(k)) for i, k in HESSIAN_WEIGHTS)
    hessian = mlp_hessian(given)
    assert hessian.weights == HESSIAN_WEIGHTS and all(type(n) is int for pair in hessian.weights for n in pair)
    # the engine's Hessian against its central difference (the lecture's own check, independent of the engine)
    for row, check in zip(hessian.engine, hessian.central):
        assert row == pytest.approx(check, abs=1e-6)


def test_a_huge_weight_index_is_named_by_its_size() -> None:
    with pytest.raises(ValueError, match=r"^w1\[an int of about 5,001 digits,1\] is not a weight"):
        mlp_hessian(((10**5000, 1),))


def test_the_films_counts_take_numpy_ints_and_name_a_huge_one() -> None:
    from lecture.training_film import slides_mlp_film

    with pytest.raises(ValueError, match=r"^epochs must be an integer in 1\.\.5000, got an int of about 5,001 digits"):
        slides_mlp_film(epochs=10**5000)
    _, frames = slides_mlp_film(epochs=np.int64(2))
    assert len(frames) == 3  # epoch 0 (the starting weights), then one frame per epoch


@pytest.mark.parametrize(("call", "wanted"), [
    (lambda n: number_table([[1.0]], ["a"], ["b"], decimals=n),
     r"^number_table: decimals must be a whole number in 0\.\.17, got an int of about 5,001 digits"),
    (lambda n: newton_minimise(max_steps=-n),
     r"^newton: max_steps must be a whole number >= 0, got an int of about 5,001 digits"),
    (lambda n: row_graph(slides_network(), n), r"^row r must be in 1\.\.6, got an int of about 5,001 digits"),
    (lambda n: batch_loss(slides_network(), n),
     r"^rows must be a whole number in 1\.\.6 \(the slides' data rows\), got an int of about 5,001 digits"),
    (lambda n: tanh_derivatives_at(0.5, order=n),
     r"^order must be a whole number in 0\.\.10, got an int of about 5,001 digits"),
], ids=["number_table", "newton", "row_graph", "batch_loss", "tanh_derivatives_at"])
def test_the_other_lecture_counts_name_a_huge_int_by_its_size(call, wanted) -> None:
    # These messages showed the int by repr(), which raises past 4,300 digits ("Exceeds the limit ...").
    with pytest.raises(ValueError, match=wanted):
        call(10**5000)
