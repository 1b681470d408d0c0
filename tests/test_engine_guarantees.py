"""Issue 9's engine guarantees: immutable constants, thread-local grad mode, finite leaf gradients,
wide ops, and truthiness as in PyTorch. Each test failed before its fix."""

from __future__ import annotations

import threading

import pytest

from autograd import Value, dot, no_grad, sum_of
from autograd.grad_mode import is_grad_enabled
from autograd.value import constant


def test_a_constant_cannot_be_changed_and_later_graphs_keep_their_numbers() -> None:
    with pytest.raises(AttributeError, match="constant 2.0 is shared"):
        constant(2.0).data = 7.0
    x = Value(3.0)
    assert (x * 2.0).data == 6.0


def test_updating_every_leaf_of_a_graph_by_hand_leaves_constants_alone() -> None:
    from autograd import topological_order

    w = Value(0.5)
    loss = (w * 3.0 - 1.0) ** 2
    loss.backward()
    for node in topological_order(loss):
        if node.is_leaf:
            node.data -= 0.1 * node.grad  # constants have grad 0, so this sets them to what they hold
    assert w.data == pytest.approx(0.5 - 0.1 * 2 * (1.5 - 1.0) * 3.0)
    assert (Value(1.0) * 3.0).data == 3.0


def test_constants_never_accumulate_gradient_across_graphs() -> None:
    for _ in range(3):
        x = Value(1.5)
        (x * 0.37).backward()
        assert x.grad == 0.37
    assert constant(0.37).grad == 0.0


def test_a_numpy_operand_is_stored_as_a_plain_float() -> None:
    np = pytest.importorskip("numpy")
    y = Value(1.0) * np.float64(2.5)
    assert type(y.data) is float and type(y.parents[1].data) is float
    assert type(Value(np.float64(4.0)).data) is float
    assert type(constant(np.float64(1.0)).data) is float


def test_no_grad_in_one_thread_does_not_switch_recording_off_in_another() -> None:
    inside = threading.Event()
    checked = threading.Event()
    seen: dict[str, object] = {}

    def evaluator() -> None:
        with no_grad():
            inside.set()
            checked.wait(5)

    def trainer() -> None:
        inside.wait(5)
        x = Value(3.0)
        y = x * x
        y.backward()
        seen["grad"] = x.grad
        seen["enabled"] = is_grad_enabled()
        checked.set()

    threads = [threading.Thread(target=evaluator), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"grad": 6.0, "enabled": True}
    assert is_grad_enabled()


def test_overlapping_no_grad_blocks_in_two_threads_leave_grad_mode_on() -> None:
    barrier = threading.Barrier(2)

    def worker(first: bool) -> None:
        # Enter and leave in interleaved order: with one process-wide flag, the second exit restored "off".
        with no_grad():
            barrier.wait(5)
            if first:
                return
            barrier.wait(5)

    a = threading.Thread(target=worker, args=(True,))
    b = threading.Thread(target=worker, args=(False,))
    a.start()
    b.start()
    a.join(10)
    barrier.wait(5)
    b.join(10)
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_a_new_thread_starts_with_recording_on_even_inside_no_grad() -> None:
    result: list[bool] = []
    with no_grad():
        t = threading.Thread(target=lambda: result.append(is_grad_enabled()))
        t.start()
        t.join(10)
        assert not is_grad_enabled()
    assert result == [True]


def test_a_leaf_gradient_that_overflows_is_an_error_naming_the_leaf() -> None:
    x = Value(1e-10, label="x")
    y = x * 1e308 + x * 1e308  # finite value (2e298); dy/dx = 2e308 overflows
    with pytest.raises(FloatingPointError, match="accumulated in leaf node 'x'"):
        y.backward()


def test_a_leaf_root_whose_gradient_overflows_is_an_error() -> None:
    x = Value(1.0)
    x.grad = 1.7e308
    from autograd.backward import backpropagate

    with pytest.raises(FloatingPointError, match="not finite"):
        backpropagate(x, 1.7e308)


@pytest.mark.parametrize("width", [65, 3000, 5000])
def test_wide_sums_and_dots_compute_without_recursion(width: int) -> None:
    xs = [Value(float(i % 7) - 3.0) for i in range(width)]
    s = sum_of([x * x for x in xs])
    s.backward()
    assert s.data == sum((float(i % 7) - 3.0) ** 2 for i in range(width))
    assert all(x.grad == 2.0 * x.data for x in xs)
    ws = [Value(0.25 * (i % 3)) for i in range(width)]
    d = dot(ws, xs)
    d.backward()
    assert d.data == pytest.approx(sum(0.25 * (i % 3) * (float(i % 7) - 3.0) for i in range(width)))
    assert all(w.grad == x.data for w, x in zip(ws, xs))


def test_a_wide_sum_adds_left_to_right_like_the_chain_it_replaces() -> None:
    values = [0.1 * (i + 1) for i in range(100)]
    chained = 0.0 + values[0]
    for v in values[1:]:
        chained = chained + v
    assert sum_of([Value(v) for v in values]).data == chained


def test_a_wide_dot_replays_eagerly_and_in_batch() -> None:
    np = pytest.importorskip("numpy")
    from autograd.replay import record

    ws = [Value(0.5) for _ in range(3000)]
    tape = record(lambda *v: dot(ws, list(v)), example=[1.0] * 3000, parameters=ws)
    assert tape.run([2.0] * 3000) == 3000.0
    assert ws[0].grad == 2.0
    losses = tape.run_batch([np.array([2.0, 1.0])] * 3000)[0]
    assert list(losses) == [3000.0, 1500.0]


def test_truth_of_a_value_follows_pytorch() -> None:
    assert not Value(0.0)
    assert not Value(-0.0)
    assert Value(1e-300)
    assert Value(-2.0)
