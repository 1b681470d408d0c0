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


@pytest.mark.parametrize("n", [1, 5])
def test_a_constant_gradient_beside_a_layers_matrix_products_is_summed_over_every_sample(n: int) -> None:
    # With a layer in the graph the batch code sums gradients by matrix products and adds the other ones
    # through add_sample_sums: a plain number there still counts once per sample.
    from nn import Linear

    layer = Linear(3, 4, seed=0)
    w = Value(0.25)

    def loss(a: Value, b: Value, c: Value) -> Value:
        return sum((h.tanh() for h in layer([a, b, c])), w * 2.0)

    params = [*layer.parameters(), w]
    tape = record(loss, [0.1, 0.2, 0.3], params, vectorize=True)
    columns = [[0.1 * i - 0.2, 0.3 - 0.05 * i, 0.02 * i] for i in range(n)]
    losses, grads = tape.run_batch([list(col) for col in zip(*columns)])
    for p in params:
        p.grad = 0.0
    for row in columns:
        loss(*(Value(x) for x in row)).backward()
    assert grads[-1] == pytest.approx(2.0 * n, rel=1e-12)
    assert grads == pytest.approx([p.grad for p in params], rel=1e-12, abs=1e-15)


def test_batch_replay_names_an_exp_that_overflows_in_one_sample() -> None:
    w = Value(1.0)
    tape = record(lambda x: (w * x).exp(), [0.0], [w])
    with pytest.raises(OverflowError, match=r"exp: result too large in exp\(800\.0\)"):
        tape.run_batch([[1.0, 800.0, 2.0]])
