"""Many parameters are numbered lazily while a graph is recorded (`autograd.replay.given_index`, issue 12 goal 1):
found beside the previous row or by binary search over their sorted ids (or, for fewer parameters, checked
distinct by a set and entered all at once at the first lookup), entered in the walk's dict only when needed.
Every check compares with the eager engine (to 1e-12) or with the refusal the dict path gives, in graphs
made small by lowering the threshold, so each path of the lazy numbering is met.
"""

from __future__ import annotations

import random

import pytest

from autograd import Value, dot
from autograd.replay import BranchChanged, ReplayError, Tape, record

np = pytest.importorskip("numpy")
given_index = pytest.importorskip("autograd.replay.given_index")
levels = pytest.importorskip("autograd.replay.levels")

from test_replay import eager  # noqa: E402  (after the numpy skip)


@pytest.fixture(autouse=True, params=["sorted-ids", "set"])
def lazy_from_one_parameter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "sorted-ids":
        monkeypatch.setattr(given_index, "LAZY_PARAMETERS", 1)
    else:  # the set of parameters (fewer than LAZY_PARAMETERS, at least SET_PARAMETERS)
        monkeypatch.setattr(given_index, "SET_PARAMETERS", 1)
        monkeypatch.setattr(given_index, "LAZY_PARAMETERS", 10**9)
    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)  # small graphs planned in groups, as large ones are


def rows_of(rng: random.Random, neurons: int, width: int) -> list[list[Value]]:
    return [[Value(rng.uniform(-0.5, 0.5)) for _ in range(width)] for _ in range(neurons)]


def check(fn, inputs: list[float], params: list[Value], **kwargs) -> Tape:  # type: ignore[no-untyped-def]
    tape = record(fn, inputs, params, **kwargs)
    rng = random.Random(3)
    for xs in (inputs, [rng.uniform(-1, 1) for _ in inputs]):
        loss, grads = tape.evaluate(xs)
        ref_loss, ref_grads = eager(fn, xs, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
    return tape


def layered(layers):  # type: ignore[no-untyped-def]
    def fn(*xs: Value) -> Value:
        h: list[Value | float] = list(xs)
        for layer in layers:
            h = [dot(row, [*h, 1.0]).tanh() for row in layer]
        return sum(h, Value(0.0)) * 0.5  # type: ignore[arg-type]
    return fn


@pytest.mark.parametrize("small_group", [1, 10**9], ids=["numpy-groups", "float-steps"])
def test_layers_numbered_lazily_equal_eager(small_group: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(levels, "SMALL_GROUP", small_group)
    rng = random.Random(1)
    layers = [rows_of(rng, 4, 4), rows_of(rng, 3, 5), rows_of(rng, 2, 4)]
    params = [w for layer in layers for row in layer for w in row]
    check(layered(layers), [0.3, -0.2, 0.7], params)


def test_parameters_read_one_by_one_past_the_lookup_budget_equal_eager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(given_index, "LOOKUPS_PER", 10**9)  # budget 64: this graph needs more lookups
    rng = random.Random(2)
    params = [Value(rng.uniform(-1, 1)) for _ in range(150)]

    def fn(x: Value) -> Value:
        acc = x * 0.0
        for p in params:
            acc = acc + (p * x).tanh()
        return acc

    check(fn, [0.4], params)


def test_rows_not_consecutive_and_a_linear_bias_equal_eager() -> None:
    rng = random.Random(4)
    weights = rows_of(rng, 4, 3)
    biases = [Value(rng.uniform(-0.5, 0.5)) for _ in range(4)]
    params = [*biases, *[w for row in weights for w in row]]
    order = list(range(len(params)))
    rng.shuffle(order)
    params = [params[k] for k in order]

    def fn(*xs: Value) -> Value:
        return sum((dot([*row, b], [*xs, 1.0]).tanh() for row, b in zip(weights, biases)), Value(0.0))

    check(fn, [0.3, -0.2, 0.7], params)


def test_a_parameter_given_twice_is_refused_as_without_lazy_numbering() -> None:
    p = Value(0.7)
    q = Value(0.2)
    with pytest.raises(ReplayError, match="parameter 2 .*same Value as parameter 0"):
        record(lambda x: (p * x + q) ** 2, [0.5], [p, q, p])


def test_an_input_given_as_a_parameter_too_is_refused() -> None:
    p = Value(0.7)
    with pytest.raises(ReplayError):
        Tape(p * 2.0, [p], [p, Value(1.0)])


def test_a_parameter_the_loss_does_not_read_gets_zero() -> None:
    rng = random.Random(5)
    layers = [rows_of(rng, 3, 3)]
    unused = Value(0.9)
    params = [w for row in layers[0] for w in row] + [unused]
    tape = check(layered(layers), [0.3, -0.2], params)
    assert tape.evaluate([0.1, 0.2])[1][-1] == 0.0


def test_a_branch_on_a_parameter_is_checked() -> None:
    rng = random.Random(6)
    layer = rows_of(rng, 3, 3)
    gate = Value(0.5)
    params = [gate, *[w for row in layer for w in row]]

    def fn(x0: Value, x1: Value) -> Value:
        out = sum((dot(row, [x0, x1, 1.0]) for row in layer), Value(0.0))
        return out * gate if gate > 0.0 else out

    tape = check(fn, [0.3, -0.2], params)
    gate.data = -0.5  # the recorded branch no longer holds
    with pytest.raises(BranchChanged):
        tape.evaluate([0.3, -0.2])


def test_a_parameter_as_an_output_is_reported() -> None:
    rng = random.Random(7)
    layer = rows_of(rng, 3, 3)
    params = [w for row in layer for w in row]
    x = [Value(0.3), Value(-0.2)]
    terms = [dot(row, [*x, 1.0]).tanh() for row in layer]
    loss = sum(terms[1:], terms[0])
    tape = Tape(loss, x, params, outputs=[params[4]])
    tape.run([0.3, -0.2])
    assert tape.last_outputs == [params[4].data]


def test_an_input_given_as_a_parameter_too_is_refused_by_record() -> None:
    rng = random.Random(8)
    layer = rows_of(rng, 2, 3)
    params = [w for row in layer for w in row]

    def fn(x0: Value, x1: Value) -> Value:
        return sum((dot(row, [x0, x1, 1.0]) for row in layer), Value(0.0))

    record(fn, [0.3, -0.2], params)  # fine: the inputs are the record's own leaves
    x = Value(0.3)
    with pytest.raises(ReplayError, match="both as an input and as a parameter"):
        Tape(fn(x, Value(-0.2)), [x, Value(-0.2)], [*params, x])


def test_a_leaf_neither_given_nor_constant_is_refused_among_many_parameters() -> None:
    rng = random.Random(9)
    layer = rows_of(rng, 3, 3)
    params = [w for row in layer for w in row]
    stray = Value(0.25)  # made before the call, not passed: the tape cannot know whether it is fixed

    def fn(x0: Value, x1: Value) -> Value:
        return sum((dot(row, [x0, x1, 1.0]) for row in layer), Value(0.0)) * stray

    with pytest.raises(ReplayError, match="neither an input, a parameter nor a constant"):
        record(fn, [0.3, -0.2], params)


def test_the_first_row_met_off_the_parameters_end_is_found() -> None:
    rng = random.Random(10)
    layer = rows_of(rng, 3, 4)
    extra = [Value(rng.uniform(-1, 1)) for _ in range(5)]  # after the rows: the end guess misses
    params = [w for row in layer for w in row] + extra

    def fn(x0: Value, x1: Value, x2: Value) -> Value:
        out = sum((dot(row, [x0, x1, x2, 1.0]).tanh() for row in layer), Value(0.0))
        return out * extra[2] + extra[4]

    check(fn, [0.3, -0.2, 0.6], params)


def test_an_mlp_of_unequal_layers_equals_eager() -> None:
    from nn import MLP

    model = MLP(3, [4, 5, 1])
    params = model.parameters()

    def fn(a: Value, b: Value, c: Value) -> Value:
        return (model([a, b, c]) - 0.5) ** 2

    check(fn, [0.3, -0.2, 0.6], params)


def test_a_layered_model_is_recorded_without_entering_its_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walk meets the last layer's last row first, then the rows of the layer before from its first rows
    # (put off until their inputs are numbered): all found by position, none looked up by identity.
    from nn import MLP

    monkeypatch.setattr(given_index, "SET_PARAMETERS", 1)
    monkeypatch.setattr(given_index, "LAZY_PARAMETERS", 10**9)
    entered: list[int] = []
    enter_all = given_index.GivenIndex.enter_all

    def spy(self) -> None:  # type: ignore[no-untyped-def]
        if self.members is not None:
            entered.append(len(self.parameters))
        enter_all(self)

    monkeypatch.setattr(given_index.GivenIndex, "enter_all", spy)
    model = MLP(2, [6, 4, 1])
    params = model.parameters()
    check(lambda a, b: (model([a, b]) - 0.5) ** 2, [0.3, -0.2], params)
    assert entered == []
