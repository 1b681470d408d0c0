"""Replay never differs from eager without a word (issue 9 item 6).

- The softmax family's shift is the logits' own maximum wherever it is evaluated: a tape recorded at
  logits near 0 and run at logits near -740 or -800 gives the eager engine's numbers (a shift frozen at
  record time gave 0.31352 against 0.31326 near -740, and a spurious ``log(0.0)`` error near -800).
- A tape whose recorded function now refers to a rebuilt model refuses to run, naming the variable
  (before, it trained the old parameters and the new model's gradients stayed 0).
- Converting a Value to a number inside a recorded function (``float(v)``, ``math.tanh(v)``, ``v.item()``,
  sorting by ``.data``) warns (`TracerWarning`) naming the line.
"""

from __future__ import annotations

import math
import warnings

import pytest

from autograd import Value, softmax
from autograd.replay import StructureChanged, TracerWarning, record
from nn import MLP
from nn.losses import softmax_cross_entropy

np = pytest.importorskip("numpy")

OFFSETS = [0.0, 1.3, -0.4]  # logits are x + offset: the loss does not depend on x at all
TARGET = 2


def closed_form_loss() -> float:
    """-log softmax(offsets)[target], computed with no shift (the offsets are small)."""
    return math.log(math.fsum(math.exp(c) for c in OFFSETS)) - OFFSETS[TARGET]


def closed_form_gradients() -> list[float]:
    """d loss / d offset_j = softmax_j - [j == target]."""
    total = math.fsum(math.exp(c) for c in OFFSETS)
    return [math.exp(c) / total - (1.0 if j == TARGET else 0.0) for j, c in enumerate(OFFSETS)]


def _model():
    offsets = [Value(c, label=f"c{j}") for j, c in enumerate(OFFSETS)]

    def loss(x: Value) -> Value:
        return softmax_cross_entropy([x + c for c in offsets], TARGET)

    return offsets, loss


def _eager(loss, offsets, x: float) -> tuple[float, list[float]]:
    for c in offsets:
        c.grad = 0.0
    out = loss(Value(x))
    out.backward()
    return out.data, [c.grad for c in offsets]


@pytest.mark.parametrize("x", [-740.0, -745.5, -800.0, 700.0])
def test_a_tape_recorded_near_zero_shifts_by_the_logits_it_meets(x: float) -> None:
    offsets, loss = _model()
    tape = record(loss, example=[0.0], parameters=offsets)
    got_loss, got_grads = tape.evaluate([x])
    eager_loss, eager_grads = _eager(loss, offsets, x)
    assert got_loss == eager_loss  # the same helper on the same numbers: identical
    assert got_grads == eager_grads
    # and both are right: x + offsets is exactly representable near -740 only up to rounding of x + c
    shifted = [(x + c) - x for c in OFFSETS]  # the offsets as the float sums really hold them
    want = math.log(math.fsum(math.exp(c) for c in shifted)) - shifted[TARGET]
    assert got_loss == pytest.approx(want, rel=1e-12)
    assert got_grads == pytest.approx(closed_form_gradients(), rel=1e-9, abs=1e-12)


def test_the_issue_numbers_near_minus_740() -> None:
    """Two logits one apart: -log softmax = log(1 + e^-1) = 0.31326 wherever they sit.

    The tape is recorded at x = 0; a shift frozen there (1.0) made exp(-740 - 1) subnormal and gave
    0.31352 at -740, and log(0.0) at -800.
    """
    w = Value(1.0, label="w")

    def loss(x: Value) -> Value:
        return softmax_cross_entropy([x * w, x * w + 1.0], 1)

    tape = record(loss, example=[0.0], parameters=[w])
    want = math.log1p(math.exp(-1.0))
    assert want == pytest.approx(0.31326, abs=5e-6)
    for x in (-740.0, -800.0):
        got, (dw,) = tape.evaluate([x])
        assert got == pytest.approx(want, rel=1e-12)
        w.grad = 0.0
        eager = loss(Value(x))
        eager.backward()
        assert got == eager.data and dw == w.grad
        # d loss / d w = x * (d loss/dz0 + d loss/dz1) = x * (p0 + p1 - 1) = 0 up to rounding of x * p
        assert abs(dw) <= 1e-12 * abs(x)
        losses, _ = tape.run_batch([[x, 0.0, -x]])
        assert list(losses) == pytest.approx([want] * 3, rel=1e-12)


@pytest.mark.parametrize("reduce", ["sum", "none"])
def test_run_batch_shifts_each_sample_by_its_own_logits(reduce: str) -> None:
    offsets, loss = _model()
    tape = record(loss, example=[0.0], parameters=offsets)
    xs = [0.0, -740.0, -800.0, 650.0, -1000.0]
    losses, grads = tape.run_batch([xs], reduce=reduce)
    assert list(losses) == pytest.approx([closed_form_loss()] * len(xs), rel=1e-9)
    per_sample = [_eager(loss, offsets, x) for x in xs]
    assert list(losses) == pytest.approx([lo for lo, _ in per_sample], rel=1e-12)
    for k in range(len(OFFSETS)):
        column = [g[k] for _, g in per_sample]
        want = sum(column) if reduce == "sum" else column
        assert np.asarray(grads[k]).tolist() == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_softmax_itself_replays_at_new_logits() -> None:
    w = [Value(0.2), Value(-0.7), Value(0.4)]
    tape = record(lambda x: softmax([wi + x for wi in w])[0], example=[0.0], parameters=w)
    for x in (-800.0, 800.0):
        got, grads = tape.evaluate([x])
        z = [wi.data for wi in w]
        total = math.fsum(math.exp(c) for c in z)
        p = [math.exp(c) / total for c in z]
        assert got == pytest.approx(p[0], rel=1e-12)
        # d p0 / d z_j = p0 (delta_0j - p_j)
        assert grads == pytest.approx([p[0] * ((1.0 if j == 0 else 0.0) - p[j]) for j in range(3)], rel=1e-9)


# --- a model rebuilt after recording ------------------------------------------------------------


def test_a_rebuilt_model_is_refused_instead_of_training_the_old_parameters() -> None:
    model = MLP(2, [3, 1], seed=0)
    tape = record(lambda x0, x1: (model([x0, x1]) - 1.0) ** 2, example=[0.0, 0.0], parameters=model.parameters())
    tape.run([0.5, -0.5])  # fine while `model` is the recorded one
    old = model
    model = MLP(2, [3, 1], seed=5)  # the variable the recorded function reads now holds another model
    with pytest.raises(StructureChanged, match="'model'"):
        tape.run([0.5, -0.5])
    with pytest.raises(StructureChanged, match="record the tape again"):
        tape.evaluate([0.5, -0.5])
    with pytest.raises(StructureChanged, match="'model'"):
        tape.run_batch([[0.5], [-0.5]])
    # Recording again gives the new model's gradients, equal to its eager ones.
    tape = record(lambda x0, x1: (model([x0, x1]) - 1.0) ** 2, example=[0.0, 0.0], parameters=model.parameters())
    model.zero_grad()
    tape.run([0.5, -0.5])
    got = [p.grad for p in model.parameters()]
    model.zero_grad()
    ((model([Value(0.5), Value(-0.5)]) - 1.0) ** 2).backward()
    assert got == pytest.approx([p.grad for p in model.parameters()], rel=1e-12, abs=1e-15)
    assert any(g != 0.0 for g in got)
    del old


def test_a_rebuilt_model_read_through_a_helper_function_is_refused() -> None:
    state = {"model": MLP(2, [2, 1], seed=1)}

    def predict(x0: Value, x1: Value) -> Value:
        return state["model"]([x0, x1])

    tape = record(lambda x0, x1: predict(x0, x1) ** 2, example=[0.1, 0.2],
                  parameters=state["model"].parameters())
    tape.run([0.1, 0.2])
    global _REBUILT
    _REBUILT = MLP(2, [2, 1], seed=1)
    tape2 = record(lambda x0, x1: _REBUILT([x0, x1]) ** 2, example=[0.1, 0.2], parameters=_REBUILT.parameters())
    _REBUILT = MLP(2, [2, 1], seed=2)  # a module-level name rebound
    with pytest.raises(StructureChanged, match="'_REBUILT'"):
        tape2.run([0.1, 0.2])


_REBUILT: MLP | None = None


class _Trainer:
    def loss(self, x0: Value, x1: Value) -> Value:
        return (_TRAINER_MODEL([x0, x1]) - 1.0) ** 2


_TRAINER_MODEL = MLP(2, [2, 1], seed=3)


def test_a_bound_method_is_watched_like_a_function() -> None:
    global _TRAINER_MODEL
    tape = record(_Trainer().loss, example=[0.1, 0.2], parameters=_TRAINER_MODEL.parameters())
    tape.evaluate([0.1, 0.2])
    keep = _TRAINER_MODEL
    _TRAINER_MODEL = MLP(2, [2, 1], seed=4)
    try:
        with pytest.raises(StructureChanged, match="'_TRAINER_MODEL'"):
            tape.evaluate([0.1, 0.2])
    finally:
        _TRAINER_MODEL = keep


def test_a_loop_variable_holding_plain_data_may_be_rebound() -> None:
    """A tape kept per chunk (as a cache keyed by the chunk's content) still runs when the loop variable it
    closed over now holds an equal chunk: only variables holding models are watched."""
    w = Value(0.5, label="w")
    tapes = {}
    for chunk in ([1.0, 2.0], [3.0, 4.0], [1.0, 2.0]):
        key = tuple(chunk)
        if key not in tapes:
            tapes[key] = record(lambda x: x * w * chunk[0] + chunk[1], example=[1.0], parameters=[w])  # noqa: B023 - rebinding it is the point
        loss, (g,) = tapes[key].evaluate([2.0])
        assert loss == 2.0 * 0.5 * chunk[0] + chunk[1] and g == 2.0 * chunk[0]


@pytest.mark.parametrize("vectorize", [False, None])
def test_unchanged_variables_and_updated_data_still_run(vectorize: bool | None) -> None:
    model = MLP(2, [3, 1], seed=0)
    tape = record(lambda x0, x1: model([x0, x1]) ** 2, example=[0.0, 0.0], parameters=model.parameters(),
                  vectorize=vectorize)
    for p in model.parameters():
        p.data += 0.1  # an optimizer's update: same Values, new data, read afresh every run
    got = tape.evaluate([0.3, 0.4])[0]
    expected = (model([Value(0.3), Value(0.4)]) ** 2).data
    if vectorize is False:  # float operations in the eager engine's order: the same bits
        assert got == expected
    else:  # the level interpreter's dot is a BLAS product: last-bit differences only
        assert got == pytest.approx(expected, rel=1e-14, abs=0)


# --- numbers taken out of Values while recording -----------------------------------------------


def _warned_lines(fn, *args) -> list[int]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        record(fn, *args)
    return [c.lineno for c in caught if issubclass(c.category, TracerWarning) and c.filename == __file__]


def test_item_and_sorting_by_data_warn_naming_the_line() -> None:
    w = [Value(0.5, label="w0"), Value(-0.2, label="w1"), Value(0.9, label="w2")]

    def by_item(x: Value) -> Value:
        return x * w[0] + w[1].item()

    def sorted_by_data(x: Value) -> Value:
        ranked = sorted(w, key=lambda v: v.data)
        return x * ranked[-1]

    def by_float(x: Value) -> Value:
        return x * w[0] + float(w[2])

    assert by_item.__code__.co_firstlineno + 1 in _warned_lines(by_item, [1.0], w)
    assert sorted_by_data.__code__.co_firstlineno + 1 in _warned_lines(sorted_by_data, [1.0], w)
    assert by_float.__code__.co_firstlineno + 1 in _warned_lines(by_float, [1.0], w)


def test_recording_a_library_model_does_not_warn() -> None:
    """The engine's and library's own reads of .data (every op reads its operands) are not the user's."""
    model = MLP(2, [4, 1], seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        record(lambda x0, x1: softmax_cross_entropy([model([x0, x1]), x0 * x1], 0), [0.2, 0.3],
               model.parameters())
    w = Value(0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # outside recording: reading .data is silent
        assert sorted([w], key=lambda v: v.data)[0] is w and w.item() == 0.5
