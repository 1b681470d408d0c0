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
