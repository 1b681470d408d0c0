"""Issue 9 items 3 and 11 at the issue's own sizes.

- A trainer thread beside a ``no_grad`` evaluator thread, their steps forced to overlap by barriers:
  3,000 graphs, none lost (with one process-wide flag 2,952 of 3,000 were lost without an error).
- Sums, dot products and a `Neuron` of 5,000 inputs, eager and replayed (single and batch).
"""

from __future__ import annotations

import threading

import pytest

from autograd import Value, dot, no_grad, sum_of
from autograd.replay import record
from nn import Neuron

GRAPHS = 3000


def test_a_trainer_beside_a_no_grad_evaluator_loses_no_graph() -> None:
    # Each round: the evaluator enters no_grad, then both meet; the trainer builds and differentiates a
    # graph while the evaluator is still inside its block; they meet again before the evaluator leaves.
    inside = threading.Barrier(2, timeout=10)
    done = threading.Barrier(2, timeout=10)
    lost: list[int] = []
    wrong_mode: list[int] = []
    errors: list[BaseException] = []

    def evaluator() -> None:
        try:
            w = Value(0.5)
            for i in range(GRAPHS):
                with no_grad():
                    inside.wait()
                    y = w * float(i)  # evaluation: no graph in this thread
                    if not y.is_leaf:
                        wrong_mode.append(i)
                    done.wait()
        except BaseException as error:  # a broken barrier must fail the test, not hang it
            errors.append(error)
            inside.abort()
            done.abort()

    def trainer() -> None:
        try:
            for i in range(GRAPHS):
                inside.wait()
                x = Value(1.0 + i % 7)
                y = x * x + 3.0 * x  # dy/dx = 2x + 3
                y.backward()
                if x.grad != 2.0 * x.data + 3.0:
                    lost.append(i)
                done.wait()
        except BaseException as error:
            errors.append(error)
            inside.abort()
            done.abort()

    threads = [threading.Thread(target=evaluator), threading.Thread(target=trainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    assert lost == [] and wrong_mode == []


WIDTH = 5000


def _inputs() -> list[float]:
    return [((i * 37) % 11 - 5) / 4.0 for i in range(WIDTH)]


def test_sum_of_5000_inputs_eager_and_replayed() -> None:
    np = pytest.importorskip("numpy")
    xs = _inputs()
    ws = [Value(0.1 * (i % 5), label=f"w{i}") for i in range(WIDTH)]

    def fn(*v: Value) -> Value:
        return sum_of([w * x for w, x in zip(ws, v)])

    want = 0.0
    for w, x in zip(ws, xs):
        want = want + w.data * x  # left to right, as the engine adds
    eager = fn(*[Value(x) for x in xs])
    eager.backward()
    assert eager.data == want and all(w.grad == x for w, x in zip(ws, xs))
    # Float operations in the eager engine's order: the same bits; the level interpreter to 1e-12 (issue 12).
    loss, grads = record(fn, example=[0.0] * WIDTH, parameters=ws, vectorize=False).evaluate(xs)
    assert loss == want and grads == xs
    tape = record(fn, example=[0.0] * WIDTH, parameters=ws)
    loss, grads = tape.evaluate(xs)
    assert loss == pytest.approx(want, rel=1e-12) and grads == xs
    losses, summed = tape.run_batch([np.array([x, 2 * x]) for x in xs])
    assert list(losses) == pytest.approx([want, 2 * want], rel=1e-12)
    assert summed == pytest.approx([3 * x for x in xs], rel=1e-12)


def test_dot_of_5000_inputs_eager_and_replayed() -> None:
    np = pytest.importorskip("numpy")
    xs = _inputs()
    ws = [Value(0.25 - 0.01 * (i % 50)) for i in range(WIDTH)]
    want = 0.0
    for w, x in zip(ws, xs):
        want = want + w.data * x
    out = dot(ws, [Value(x) for x in xs])
    out.backward()
    assert out.data == want and [w.grad for w in ws] == xs
    assert record(lambda *v: dot(ws, list(v)), example=[0.0] * WIDTH, parameters=ws,
                  vectorize=False).evaluate(xs) == (want, xs)
    tape = record(lambda *v: dot(ws, list(v)), example=[0.0] * WIDTH, parameters=ws)
    loss, grads = tape.evaluate(xs)
    assert loss == pytest.approx(want, rel=1e-12) and grads == xs
    losses, summed = tape.run_batch([np.array([x, -x]) for x in xs])
    assert list(losses) == pytest.approx([want, -want], rel=1e-12)
    assert summed == pytest.approx([0.0] * WIDTH, abs=1e-12)


def test_a_neuron_of_5000_inputs_eager_and_replayed() -> None:
    np = pytest.importorskip("numpy")
    import math

    neuron = Neuron(WIDTH, activation="tanh", seed=4)
    xs = _inputs()
    s = neuron.b.data
    for w, x in zip(neuron.w, xs):
        s = s + w.data * x
    out = neuron([Value(x) for x in xs])
    assert out.data == pytest.approx(math.tanh(s), rel=1e-12)
    neuron.zero_grad()
    out.backward()
    slope = 1.0 - math.tanh(s) ** 2
    assert [w.grad for w in neuron.w] == pytest.approx([slope * x for x in xs], rel=1e-12, abs=1e-15)
    assert neuron.b.grad == pytest.approx(slope, rel=1e-12)
    params = neuron.parameters()
    loss, _ = record(lambda *v: neuron(list(v)), example=[0.0] * WIDTH, parameters=params,
                     vectorize=False).evaluate(xs)
    assert loss == out.data
    tape = record(lambda *v: neuron(list(v)), example=[0.0] * WIDTH, parameters=params)
    loss, grads = tape.evaluate(xs)
    assert loss == pytest.approx(out.data, rel=1e-12)
    assert grads == pytest.approx([p.grad for p in params], rel=1e-12, abs=1e-15)
    losses, _ = tape.run_batch([np.array([x, 0.0]) for x in xs])
    assert list(losses) == pytest.approx([out.data, math.tanh(neuron.b.data)], rel=1e-12)


def test_a_recording_in_one_thread_sees_nothing_of_another_thread() -> None:
    """The replay recorder is thread-local too: another thread's comparisons and float() calls, made while
    this one records, are neither baked into this tape as branch checks nor warned about there."""
    import warnings

    inside = threading.Barrier(2, timeout=10)
    done = threading.Barrier(2, timeout=10)
    other: dict[str, object] = {}

    def other_thread() -> None:
        inside.wait()
        v = Value(2.0)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            other["branch"] = v > 1.0  # a comparison while the first thread records
            other["number"] = float(v) + v.item()
            other["sorted"] = sorted([v, Value(1.0)], key=lambda u: u.data)[0].data
        other["warnings"] = [str(c.message) for c in caught]
        # and a recording of its own at the same time is not "nested"
        w2 = Value(3.0)
        other["tape"] = record(lambda x: x * w2 if x > 0 else x, example=[1.0], parameters=[w2])
        done.wait()

    w = Value(0.5)

    def recorded(x: Value) -> Value:
        inside.wait()
        done.wait()  # the other thread compared, converted and recorded meanwhile
        return x * w

    t = threading.Thread(target=other_thread)
    t.start()
    tape = record(recorded, example=[1.0], parameters=[w])
    t.join(10)
    assert other["branch"] is True and other["number"] == 4.0 and other["sorted"] == 1.0
    assert other["warnings"] == []
    assert "branch_changed" not in tape.source  # none of the other thread's comparisons
    assert "branch_changed" in other["tape"].source  # its own comparison, in its own tape
    assert tape.evaluate([3.0]) == (1.5, [3.0])
