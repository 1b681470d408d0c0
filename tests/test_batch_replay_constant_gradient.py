"""run_batch sums a gradient that is the same for every sample (a plain number in the generated code) n
times: d/dw of sum_s (3 w + x_s) over n samples is 3 n, as eager backward over the samples gives."""

from __future__ import annotations

import pytest

from autograd import Value
from autograd.replay import record

pytest.importorskip("numpy")


@pytest.mark.parametrize("n", [1, 4, 7])
def test_a_gradient_independent_of_the_inputs_is_summed_over_every_sample(n: int) -> None:
    w = Value(0.5)
    tape = record(lambda x: w * 3.0 + x, [0.0], [w])
    xs = [float(i) - 2.0 for i in range(n)]
    losses, grads = tape.run_batch([xs])
    assert list(losses) == [1.5 + x for x in xs]
    assert grads == [3.0 * n]
    eager = Value(0.5)
    for x in xs:
        (eager * 3.0 + x).backward()
    assert grads == [eager.grad]


def test_finish_refuses_gradients_returned_both_per_parameter_and_summed() -> None:
    from autograd.replay.batch_numpy import finish

    np = pytest.importorskip("numpy")
    # Generated code returns one form or the other; a mix used to be added up by a branch no code reached.
    with pytest.raises(ValueError, match="both per parameter and summed"):
        finish(np.zeros(3), [1.0], np.zeros(1), 3, "sum", str)
    losses, totals = finish(np.zeros(3), [1.0, np.array([1.0, 2.0, 3.0])], None, 3, "sum", str)
    assert totals == [3.0, 6.0]  # a plain number is every sample's gradient: n times it
