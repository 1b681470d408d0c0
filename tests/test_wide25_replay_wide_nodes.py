"""Replay of wide n-ary nodes (round 25): a softmax or cross-entropy over thousands of classes records and runs in O(n).

The softmax family's shift is one ``largest`` node (torch.amax) whose every derivative expression names every
input (the tie count), so a tape that pasted or compiled one expression per input was O(n^2): recording a
2,000-logit cross-entropy took 46 s and its first run 56 s, and 30,000 logits hung. Past `INLINE_BACKWARD_UP_TO`
inputs every replay mode now takes all partials from one call (`amax_shares`, the op's ``wide_derivative``, as
the eager engine does), and the level interpreter runs wide ``largest`` and ``logsumexp`` nodes as float steps.

Checked here: every mode equals the eager engine bit for bit (batch mode, whose numpy ``exp`` may differ from
``math.exp`` in the last bit, to 1e-15 except for the largest node alone, which is exact), the eager engine
equals torch, ties split as torch.amax splits them, a tape recorded with the largest logit at one index gives the
eager numbers where it moved, a recorded comparison still refuses a changed branch, and the work planned is
linear in the width (no timing: the per-input expressions are never generated, and the source grows as n).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from autograd import Value, sum_of
from autograd.functional import largest
from autograd.op import INLINE_BACKWARD_UP_TO
from autograd.replay import BranchChanged, record
from nn.functional import cross_entropy

np = pytest.importorskip("numpy")

from autograd.replay import levels  # noqa: E402 - needs numpy

TARGET = 5


def _logits(n: int) -> list[float]:
    # Ties at the largest value (every 97th logit is 1.5), as a saturated network's logits have.
    return [math.sin(i) if i % 97 else 1.5 for i in range(n)]


def _eager(data: list[float]) -> tuple[float, list[float]]:
    xs = [Value(x) for x in data]
    loss = cross_entropy(xs, TARGET)
    loss.backward()
    return loss.data, [x.grad for x in xs]


def _record(params: list[Value], vectorize: bool | None) -> object:
    return record(lambda: cross_entropy(params, TARGET), example=[], parameters=params, vectorize=vectorize)


@pytest.mark.parametrize("n", [2_000, 20_000])
def test_wide_cross_entropy_replays_as_eager_in_every_one_sample_mode(n: int, no_wide_expressions: None) -> None:
    data = _logits(n)
    loss, grads = _eager(data)
    params = [Value(x) for x in data]
    tape = _record(params, None)
    assert tape.strategy == "levels"  # type: ignore[attr-defined]
    assert tape.evaluate() == (loss, grads)  # type: ignore[attr-defined]  # the level interpreter
    tape.compile()  # type: ignore[attr-defined]
    assert tape.strategy == "vectorized"  # type: ignore[attr-defined]
    assert tape.evaluate() == (loss, grads)  # type: ignore[attr-defined]
    scalar = _record(params, False)
    assert scalar.evaluate() == (loss, grads)  # type: ignore[attr-defined]


def test_eager_wide_cross_entropy_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    data = _logits(2_000)
    loss, grads = _eager(data)
    t = torch.tensor(data, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(t.unsqueeze(0), torch.tensor([TARGET]))
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-13)
    assert grads == pytest.approx(t.grad.tolist(), abs=1e-15)


def _shifted_model(params: list[Value]) -> Callable[..., Value]:
    """Logits x_i + b_i: the inputs x move the largest logit, the parameters b collect dL/dz_i."""
    return lambda *xs: cross_entropy([x + b for x, b in zip(xs, params)], TARGET)


def _moved(n: int) -> list[float]:
    # The largest now at 1234 and 1700 (a tie of two), no longer at the multiples of 97.
    return [3.0 if i in (1234, 1700) else math.cos(i) for i in range(n)]


@pytest.mark.parametrize("vectorize", [None, True, False])
def test_a_tape_recorded_with_the_largest_logit_elsewhere_follows_it(vectorize: bool | None,
                                                                    no_wide_expressions: None) -> None:
    n = 2_000
    bias = [0.001 * (i % 5) for i in range(n)]
    params = [Value(b) for b in bias]
    tape = record(_shifted_model(params), example=_logits(n), parameters=params, vectorize=vectorize)
    moved = _moved(n)
    eager = [Value(b) for b in bias]
    loss = _shifted_model(eager)(*[Value(x) for x in moved])
    loss.backward()
    assert tape.evaluate(moved) == (loss.data, [b.grad for b in eager])
    if vectorize is None:  # the level interpreter above; then the code it compiles to
        tape.compile()
        assert tape.evaluate(moved) == (loss.data, [b.grad for b in eager])


def test_batch_replay_of_a_wide_cross_entropy_follows_each_samples_largest(no_wide_expressions: None) -> None:
    n = 2_000
    bias = [0.001 * (i % 5) for i in range(n)]
    params = [Value(b) for b in bias]
    tape = record(_shifted_model(params), example=_logits(n), parameters=params)
    samples = [_logits(n), _moved(n)]
    losses, grads = tape.run_batch([list(column) for column in zip(*samples)], reduce="none")
    for k, sample in enumerate(samples):
        eager = [Value(b) for b in bias]
        loss = _shifted_model(eager)(*[Value(x) for x in sample])
        loss.backward()
        # numpy's exp may differ from math.exp in the last bit: the logsumexp's terms are not bit-identical.
        assert losses[k] == pytest.approx(loss.data, rel=1e-15)
        assert [float(g[k]) for g in grads] == pytest.approx([b.grad for b in eager], rel=1e-13, abs=1e-18)


def test_batch_replay_of_a_wide_largest_splits_each_samples_tie_as_torch_amax(no_wide_expressions: None) -> None:
    torch = pytest.importorskip("torch")
    n = 1_000
    params = [Value(0.0) for _ in range(n)]
    tape = record(lambda *xs: largest([x + b for x, b in zip(xs, params)]), example=[0.0] * n, parameters=params)
    samples = [_logits(n), _moved(n), [2.0] * n]  # 11 tied, 2 tied, all tied
    losses, grads = tape.run_batch([list(column) for column in zip(*samples)], reduce="none")
    for k, sample in enumerate(samples):
        t = torch.tensor(sample, dtype=torch.float64, requires_grad=True)
        top = torch.amax(t)
        top.backward()
        assert float(losses[k]) == top.item()
        assert [float(g[k]) for g in grads] == t.grad.tolist()  # 1/k exactly for each of k tied inputs


@pytest.mark.parametrize("vectorize", [None, True, False])
def test_a_wide_tape_still_refuses_a_changed_branch(vectorize: bool | None, no_wide_expressions: None) -> None:
    # A model that compares the wide largest node itself: the tape records the comparison and re-checks it on
    # every run, so logits whose largest passes the threshold (the other branch) are refused, not mis-replayed.
    n = 2_000

    def model(params: list[Value]) -> Callable[..., Value]:
        def loss_of(*xs: Value) -> Value:
            z = [x + b for x, b in zip(xs, params)]
            top = largest(z)
            loss = cross_entropy(z, TARGET) + top * 0.0  # the compared node is part of the loss's graph
            return loss * 2.0 if top > 2.0 else loss
        return loss_of

    params = [Value(0.0) for _ in range(n)]
    tape = record(model(params), example=_logits(n), parameters=params, vectorize=vectorize)
    same_branch = [x - 0.25 for x in _logits(n)]
    eager = [Value(0.0) for _ in range(n)]
    loss = model(eager)(*[Value(x) for x in same_branch])
    loss.backward()
    assert tape.evaluate(same_branch) == (loss.data, [b.grad for b in eager])
    with pytest.raises(BranchChanged):
        tape.evaluate(_moved(n))  # its largest is 3.0


def _source_length(make: Callable[[list[Value]], Value], n: int, vectorize: bool) -> int:
    params = [Value(x) for x in _logits(n)]
    tape = record(lambda: make(params), example=[], parameters=params, vectorize=vectorize)
    return len(tape.source)


@pytest.mark.parametrize("vectorize", [True, False])
@pytest.mark.parametrize("make", [lambda ps: cross_entropy(ps, TARGET), lambda ps: largest(ps) * 2.0,
                                  lambda ps: sum_of(ps) * 2.0], ids=["cross_entropy", "largest", "sum"])
def test_generated_source_grows_linearly_with_the_width(make: Callable[[list[Value]], Value], vectorize: bool,
                                                         no_wide_expressions: None) -> None:
    small, large = _source_length(make, 300, vectorize), _source_length(make, 3_000, vectorize)
    # Ten times the inputs: about ten times the source (names grow a digit); n expressions naming every input
    # made it a hundred times.
    assert large < 14 * small


def test_the_level_interpreter_compiles_no_partial_per_input_of_a_wide_node(no_wide_expressions: None) -> None:
    n = 3_000
    levels._PARTIALS.clear()
    params = [Value(x) for x in _logits(n)]
    tape = _record(params, None)
    assert tape.evaluate() == _eager(_logits(n))  # type: ignore[attr-defined]
    widths = {key[1] for key in levels._PARTIALS}
    assert max(widths, default=0) <= INLINE_BACKWARD_UP_TO  # no logsumexp or largest partial of n arguments
