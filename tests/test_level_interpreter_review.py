"""Hostile cases for the level interpreter (issue 12), found by a second reading: each compares a tape with the
eager engine, whose behaviour is the reference (its value, its gradient, or the error it raises)."""

from __future__ import annotations

import math

import pytest

from autograd import Value, dot, no_grad, sum_of
from autograd.replay import ReplayError, TracerWarning, record

np = pytest.importorskip("numpy")
levels = pytest.importorskip("autograd.replay.levels")

# Small graphs built to exercise the numpy groups are planned in groups, as a large graph is (conftest.py).
pytestmark = pytest.mark.usefixtures("small_graphs_planned_in_groups")



@pytest.fixture(params=[1, 10**9], ids=["numpy-groups", "float-steps"])
def small_group(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Run every group through numpy, or every node on floats."""
    monkeypatch.setattr(levels, "SMALL_GROUP", request.param)
    return int(request.param)


@pytest.mark.parametrize("hidden", [lambda v: v.tanh(), lambda v: 1.0 / v, lambda v: (-v).exp()],
                         ids=["tanh", "reciprocal", "exp"])
def test_an_overflow_the_loss_hides_raises_naming_the_op(small_group: int, hidden) -> None:
    # x * 1e308 overflows for x = 800; tanh(inf) = 1 and 1/inf = 0 are finite, so only the node itself shows it.
    q = Value(1.0, label="q")

    def fn(x: Value) -> Value:
        return hidden(x * q * 1e308)

    with pytest.raises(OverflowError, match="mul") as eager_error:
        fn(Value(800.0))
    tape = record(fn, [1.0], [q])
    assert tape.strategy == "levels"
    with pytest.raises(OverflowError, match="mul: result inf is not finite") as replay_error:
        tape.evaluate([800.0])
    assert "800" in str(replay_error.value) and "800" in str(eager_error.value)
    assert tape.evaluate([0.5])[0] == pytest.approx(hidden(Value(0.5) * 1e308).data, rel=1e-12)


@pytest.mark.parametrize("vectorize", [False, True])
@pytest.mark.parametrize("hidden", [lambda v: v.tanh(), lambda v: 1.0 / v, lambda v: (-v).exp(),
                                    lambda v: v.sigmoid(), lambda v: (-v).relu()],
                         ids=["tanh", "reciprocal", "exp", "sigmoid", "relu"])
def test_compiled_code_refuses_an_overflow_the_loss_hides_too(vectorize: bool, hidden) -> None:
    # Generated code checks the inputs of every op that can turn inf into an ordinary number, one sample or batch.
    q = Value(1.0, label="q")

    def fn(x: Value) -> Value:
        return hidden(x * q * 1e308)

    tape = record(fn, [1.0], [q], vectorize=vectorize)
    with pytest.raises(OverflowError, match="not finite: an op before it overflowed"):
        tape.evaluate([800.0])
    with pytest.raises(OverflowError, match="not finite: an op before it overflowed"):
        tape.run_batch([[0.5, 800.0]])
    assert tape.evaluate([0.5])[0] == pytest.approx(hidden(Value(0.5) * 1e308).data, rel=1e-12)
    losses, _ = tape.run_batch([[0.5, 0.25]])
    assert list(losses) == pytest.approx([hidden(Value(x) * 1e308).data for x in (0.5, 0.25)], rel=1e-12)


def test_compiled_vector_groups_refuse_an_overflow_they_would_hide() -> None:
    # Forty tanh nodes over one layer's outputs run as one array op in compiled code: their input is checked.
    rows = [[Value(0.01 * (k + 1), label=f"w{k}"), Value(0.0, label=f"b{k}")] for k in range(40)]
    ws = [w for row in rows for w in row]

    def fn(x: Value) -> Value:
        layer = [dot(row, [x, 1.0]) for row in rows]  # one matrix product
        return sum_of([(y * 1e308).tanh() for y in layer])  # two vector groups over its rows

    tape = record(fn, [1.0], ws, vectorize=True)
    assert "nonfinite(" in tape.source
    with pytest.raises(OverflowError, match="tanh node is not finite"):
        tape.evaluate([900.0])
    with pytest.raises(OverflowError, match="tanh node is not finite"):
        tape.run_batch([[0.5, 900.0]])


def test_an_overflowing_loss_names_the_op_too(small_group: int) -> None:
    q = Value(1.0, label="q")
    tape = record(lambda x: x * q * 1e308, [1.0], [q])
    with pytest.raises(OverflowError, match="mul: result inf"):
        tape.evaluate([800.0])


def test_a_nan_parameter_is_named_not_spread(small_group: int) -> None:
    q = Value(1.0, label="q")
    tape = record(lambda x: (x * q).tanh() * 0.0 + x, [1.0], [q])
    q.data = math.nan
    with pytest.raises(ValueError, match="NaN"):
        tape.evaluate([1.0])


def test_a_parameter_listed_twice_is_refused_as_by_the_optimizers() -> None:
    # Run would add its gradient twice into the one .grad (eager backward adds it once).
    p = Value(0.7, label="p")
    for vectorize in (None, False):
        with pytest.raises(ReplayError, match="parameter 1 .*same Value as parameter 0"):
            record(lambda x: (p * x) ** 2, [0.5], [p, p], vectorize=vectorize)


def test_detach_of_a_computed_value_warns_that_it_is_baked_in() -> None:
    q = Value(0.8, label="q")

    def fn(x: Value) -> Value:
        return (x * q).detach() * q + x * q

    with pytest.warns(TracerWarning, match="detach") as caught:
        record(fn, [1.0], [q])
    assert caught[0].filename == __file__  # the line of the recorded function, not the engine's


def test_no_grad_arithmetic_on_an_input_warns_that_it_is_baked_in() -> None:
    q = Value(0.8, label="q")

    def fn(x: Value) -> Value:
        with no_grad():
            c = x * 3.0
        return c * q

    with pytest.warns(TracerWarning, match="no_grad"):
        record(fn, [1.0], [q])


def test_leaves_made_inside_from_numbers_stay_quiet_constants() -> None:
    # A recurrent model's zero state (also under no_grad, also detached) is a constant: no warning.
    import warnings

    q = Value(0.8, label="q")

    def fn(x: Value) -> Value:
        h0 = Value(0.0)
        with no_grad():
            h1 = Value(0.5) * 2.0
        return (x * q + h0 + h1.detach()).tanh()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tape = record(fn, [1.0], [q])
    assert tape.evaluate([0.3])[0] == pytest.approx(math.tanh(0.3 * 0.8 + 1.0), rel=1e-12)


@pytest.mark.parametrize("vectorize", [None, False, True], ids=["levels", "scalar", "vectorized"])
def test_a_loss_that_is_a_parameter_or_an_input_itself(vectorize: bool | None) -> None:
    # The loss is a leaf numbered among the inputs and parameters, not the last node: d q/d q = 1, d q/d r = 0.
    q, r = Value(0.8, label="q"), Value(-0.3, label="r")
    assert record(lambda x: q, [1.0], [q, r], vectorize=vectorize).evaluate([2.0]) == (0.8, [1.0, 0.0])
    assert record(lambda x: x, [1.0], [q, r], vectorize=vectorize).evaluate([2.0]) == (2.0, [0.0, 0.0])
    assert record(lambda: r, [], [q, r], vectorize=vectorize).evaluate([]) == (-0.3, [0.0, 1.0])


@pytest.mark.parametrize("vectorize", [None, False], ids=["levels", "scalar"])
def test_a_parameter_that_is_an_op_node_gets_its_gradient(small_group: int, vectorize: bool | None) -> None:
    # h = 3x is computed from an input only; as a parameter it still needs d loss/d h (eager's h.grad).
    from autograd.replay import Tape

    x, c = Value(0.3, label="x"), Value(2.0, label="c")
    h = x * 3.0
    loss = (h * c).tanh() * h
    tape = Tape(loss, [x], [h, c], vectorize=vectorize)
    got_loss, (got_h, got_c) = tape.evaluate([0.3])
    loss.backward()
    assert got_loss == pytest.approx(loss.data, rel=1e-12)
    assert got_h == pytest.approx(h.grad, rel=1e-12) and h.grad != 0.0
    assert got_c == pytest.approx(c.grad, rel=1e-12)


def test_powers_whose_exponents_are_parameters_or_inputs_each_use_their_own(small_group: int) -> None:
    # A power's exponent is a constant argument (no gradient), but when it is a parameter or an input it is
    # a new number every run: a numpy group must not read one row's exponent for all.
    from autograd import OPS, apply, sum_of

    q, e1, e2 = Value(1.3, label="q"), Value(2.0, label="e1"), Value(3.0, label="e2")
    pow_op = OPS["pow"]

    def fn(x: Value, y: Value) -> Value:
        b = x * q
        return sum_of([apply(pow_op, b, e1), apply(pow_op, b, e2), apply(pow_op, b, x), apply(pow_op, b, y)] * 10)

    tape = record(fn, [1.5, 2.0], [q, e1, e2])
    for x, y in ((1.5, 2.0), (1.1, 4.0)):
        loss, grads = tape.evaluate([x, y])
        b = x * 1.3
        assert loss == pytest.approx(10 * (b**2 + b**3 + b**x + b**y), rel=1e-12)
        dq = 10 * x * (2 * b + 3 * b**2 + x * b ** (x - 1) + y * b ** (y - 1))
        assert grads == pytest.approx([dq, 0.0, 0.0], rel=1e-12)


def test_recording_under_no_grad_is_refused_by_name() -> None:
    # No graph is built under no_grad: the tape would be a constant loss with zero gradients.
    q = Value(1.3, label="q")
    with no_grad(), pytest.raises(ReplayError, match="no_grad"):
        record(lambda x: (x * q).tanh(), [0.5], [q])


def test_replay_arguments_are_checked_by_name() -> None:
    # Found by a new-user trial: each gave a silent NaN gradient or an error from deep inside.
    w = Value(2.0, label="w")
    tape = record(lambda a: (a * w).tanh(), [1.0], [w])
    w.grad = 0.0
    with pytest.raises(ValueError, match="scale must be finite, got nan"):
        tape.run([2.0], scale=float("nan"))
    with pytest.raises(ValueError, match="scale must be finite, got inf"):
        tape.run_many([[2.0]], scale=float("inf"))
    with pytest.raises(TypeError, match="scale must be a real number, got str"):
        tape.run([2.0], scale="2")  # type: ignore[arg-type]
    assert w.grad == 0.0  # nothing was added by the refused calls
    with pytest.raises(TypeError, match="tape inputs must be a sequence of 1 numbers, got float"):
        tape.run(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parameters must be Values, got float at position 0"):
        record(lambda a, b: a * b, [0.0, 0.0], [1.0])  # type: ignore[list-item]


def test_a_batch_loss_that_overflows_names_the_sample() -> None:
    w = Value(1.0, label="w")
    tape = record(lambda a: a * w * 1e300, [1.0], [w], vectorize=True)
    with pytest.raises(FloatingPointError, match=r"the loss is inf in sample 1 \(and 0 more\)"):
        tape.run_batch([[1.0, 1e10]])
