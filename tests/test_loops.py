"""Repeated lines of a vectorized tape rolled into ``for`` loops (`autograd.replay.loops`), issue 12 goal 1.

References: the same tape's unrolled code (the loops must give bit-identical
results: the same numpy operations in the same order), and the eager engine
(to 1e-12).
"""

from __future__ import annotations

import random

import pytest

from autograd import Value, dot, sum_of
from autograd.replay import codegen, record
from autograd.replay.loops import roll_loops
from autograd.replay.tape import Tape
from nn import CharModel

pytest.importorskip("numpy")

from test_replay import eager  # noqa: E402  (after the numpy skip)


def rolled_and_unrolled(fn, example, params, inputs, monkeypatch):
    """(loss, grads, source) of the tape with loops and without, both compiled vectorized."""
    out = []
    for roll in (False, True):
        monkeypatch.setattr(codegen, "ROLL_LOOPS", roll)
        tape = record(fn, example, params, vectorize=True)
        tape.compile()
        assert tape.strategy == "vectorized"
        out.append((*tape.evaluate(inputs), tape.source))
    return out


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
@pytest.mark.parametrize(("hidden", "steps"), [(16, 1), (16, 2), (16, 3), (32, 7), (16, 25), (6, 9)])
def test_time_steps_roll_into_loops_bit_identical_to_unrolled_code(
    cell: str, hidden: int, steps: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if hidden < 16:  # small layers: dot groups only, the rest scalar lines (which repeat too)
        monkeypatch.setattr(Tape, "min_group_weights", 1)
    vocab = 11
    model = CharModel(vocab, hidden, cell=cell, seed=steps)
    rng = random.Random(hidden * steps)
    xs = [rng.randrange(vocab) for _ in range(steps)]
    ts = [rng.randrange(vocab) for _ in range(steps)]
    params = model.parameters()

    def fn() -> Value:
        return model.sequence_loss(xs, ts)[0]

    (loss0, grads0, source0), (loss1, grads1, source1) = rolled_and_unrolled(fn, [], params, [], monkeypatch)
    assert loss1 == loss0 and grads1 == grads0  # bit for bit
    ref_loss, ref_grads = eager(fn, [], params)
    assert loss1 == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert grads1 == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
    if steps >= 7:  # forward and backward over the steps are loops: the source no longer grows with T
        assert source1.count("for _t in range(") >= 2
        assert source1.count("\n") < source0.count("\n")
    if steps == 1:
        assert source1 == source0  # nothing repeats


def test_code_without_repetition_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    rows = [[Value(rng.uniform(-1, 1), label=f"w{k}{j}") for j in range(3)] for k in range(20)]
    params = [w for row in rows for w in row]

    def fn(x0: Value, x1: Value) -> Value:
        column = [x0, x1, 1.0]
        layer = [dot(row, column).tanh() for row in rows]
        return (sum_of(layer) * x1).exp() + layer[3] * layer[5]

    (loss0, grads0, source0), (loss1, grads1, source1) = rolled_and_unrolled(fn, [0.1, 0.2], params, [0.3, -0.4],
                                                                             monkeypatch)
    assert source1 == source0 and loss1 == loss0 and grads1 == grads0


def recurrence(steps: int, odd_step: int | None, seed: int) -> tuple[list[Value], object]:
    """h <- tanh(W [h, x_t, 1]) over ``steps`` inputs, loss sum of h; step ``odd_step`` uses sigmoid instead."""
    rng = random.Random(seed)
    width = 16
    rows = [[Value(rng.uniform(-0.5, 0.5), label=f"w{k}_{j}") for j in range(width + 2)] for k in range(width)]
    scale = Value(0.9, label="s")
    params = [*(w for row in rows for w in row), scale]

    def fn(*xs: Value) -> Value:
        h: list[Value | float] = [0.0] * width
        total: Value | float = 0.0
        for t, x in enumerate(xs):
            column = [*h, x * scale, 1.0]  # one input list shared by the rows: one matrix product
            sums = [dot(row, column) for row in rows]
            h = [s.sigmoid() if t == odd_step else s.tanh() for s in sums]
            total = total + h[t % width] * h[(t + 3) % width]
        assert isinstance(total, Value)
        return total

    return params, fn


@pytest.mark.parametrize(("steps", "odd_step"), [(12, None), (14, 6), (9, 0), (9, 8), (2, None)])
def test_a_recurrence_with_a_break_in_the_middle_equals_unrolled_and_eager(
    steps: int, odd_step: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    params, fn = recurrence(steps, odd_step, seed=steps)
    inputs = [0.1 * k - 0.4 for k in range(steps)]
    (loss0, grads0, _), (loss1, grads1, source1) = rolled_and_unrolled(fn, [0.0] * steps, params, inputs,
                                                                       monkeypatch)
    assert loss1 == loss0 and grads1 == grads0
    ref_loss, ref_grads = eager(fn, inputs, params)
    assert loss1 == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    assert grads1 == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
    if steps >= 12:
        assert "for _t in range(" in source1


def test_an_overflow_inside_a_loop_is_refused_naming_the_op(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = 12
    params, fn = recurrence(steps, None, seed=1)
    tape = record(fn, [0.0] * steps, params, vectorize=True)
    assert "for _t in range(" in tape.source
    tape.compile()
    params[-1].data = 3.0  # the scale: the tape reads the parameters' values when it runs
    inputs = [0.1] * steps
    inputs[7] = 1e308  # x * scale overflows at step 7, inside the loop: the layer's tanh meets inf
    with pytest.raises(OverflowError, match="tanh node is not finite"):
        tape.evaluate(inputs)
    with pytest.raises(OverflowError):  # the eager engine refuses the overflow itself
        eager(fn, inputs, params)


def test_chunked_code_rolls_within_each_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.replay import chunks

    monkeypatch.setattr(chunks, "CHUNK_LINES", 150)
    model = CharModel(9, 16, cell="lstm", seed=4)
    xs, ts = [1, 4, 2, 8, 0, 3, 5, 7, 6, 1, 2, 2], [4, 2, 8, 0, 3, 5, 7, 6, 1, 2, 2, 3]
    params = model.parameters()

    def fn() -> Value:
        return model.sequence_loss(xs, ts)[0]

    (loss0, grads0, source0), (loss1, grads1, source1) = rolled_and_unrolled(fn, [], params, [], monkeypatch)
    assert "def run_1(" in source0 and "for _t in range(" in source1
    assert loss1 == loss0 and grads1 == grads0


def run_text(text: str) -> object:
    """What the function ``run`` that ``text`` defines returns."""
    scope: dict[str, object] = {}
    exec(compile(text, "<test>", "exec"), scope)  # noqa: S102 - the test's own code
    run = scope["run"]
    assert callable(run)
    return run()


def test_reads_two_steps_back_and_reads_after_an_update_stay_correct() -> None:
    # Fibonacci reads two steps back (not a carried value): each run stays unrolled or is rolled correctly.
    fib = ["def run():", "    v0 = 1.0", "    v1 = 1.0"]
    fib += [f"    v{k} = v{k - 1} + v{k - 2}" for k in range(2, 40)]
    fib.append("    return {'last': v39, 'some': v20}")
    text = "\n".join(fib) + "\n"
    assert run_text(roll_loops(text)) == run_text(text)
    # Each step reads the previous step's a after its own a is set, and g += updates a float across steps.
    steps = ["def run():", "    a0 = 0.5", "    g0 = 0.0"]
    for k in range(1, 30):
        steps += [f"    a{k} = a{k - 1} * 1.5 + {k}.0", f"    b{k} = a{k} - a{k - 1}", f"    g0 += b{k} * 2.0"]
    steps.append("    return {'a': a29, 'b': b17, 'g': g0}")
    text = "\n".join(steps) + "\n"
    rolled = roll_loops(text)
    assert "for _t in range(" in rolled
    assert run_text(rolled) == run_text(text)


def test_branch_checks_and_outputs_inside_loops_match_the_unrolled_tape(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.replay import BranchChanged
    from autograd.replay.tape import Tape as TapeClass

    steps, width = 14, 16
    params, _ = recurrence(steps, None, seed=5)
    rows = [params[k * (width + 2): (k + 1) * (width + 2)] for k in range(width)]
    scale = params[-1]

    def build(xs: list[Value]) -> tuple[Value, list[Value]]:
        h: list[Value | float] = [0.0] * width
        total: Value | float = 0.0
        kept = []
        for x in xs:
            column = [*h, x * scale, 1.0]
            h = [dot(row, column).tanh() for row in rows]
            pick = h[0] if h[0] > h[1] else h[1]  # a comparison per step: a branch check per step
            total = total + pick * pick + h[0] * h[1]
            kept.append(h[2])
        assert isinstance(total, Value)
        return total, kept

    example = [0.3 * ((-1) ** k) for k in range(steps)]
    results = []
    for roll in (False, True):
        monkeypatch.setattr(codegen, "ROLL_LOOPS", roll)
        from autograd.replay.recording import recording_guards

        inputs = [Value(x) for x in example]
        with recording_guards() as guards:
            loss, kept = build(inputs)
        tape = TapeClass(loss, inputs, params, guards=guards, outputs=kept[::3], vectorize=True)
        tape.compile()
        source = tape.source
        value = tape.evaluate([x * 0.9 for x in example])
        outs = list(tape.last_outputs)
        flipped = list(example)
        flipped[9] = -3.0 * flipped[9]  # changes which of h[0], h[1] is larger at some step
        try:
            tape.evaluate(flipped)
            message = ""
        except BranchChanged as error:
            message = str(error)
        results.append((value, outs, message, source))
    (v0, o0, m0, s0), (v1, o1, m1, s1) = results
    assert "branch_changed(" in s1 and "for _t in range(" in s1
    assert v1 == v0 and o1 == o0 and len(o1) == len(range(0, steps, 3))
    assert m0 and m1 == m0


def random_program(seed: int) -> str:
    """Straight-line code in the generator's forms: a prologue, ``steps`` repeats of a block whose lines read
    this step's values, the previous step's, two steps back, values from before, per-step numbers, a float
    gradient updated with +=, a list appended to; one odd step in the middle; every value returned."""
    rng = random.Random(seed)
    lines = ["def run():", "    c0 = 0.5", "    c1 = -1.25", "    acc0 = []", "    gv0 = 0.0"]
    names: list[list[str]] = []  # per step, the names its lines define
    width = rng.randint(2, 6)
    steps = rng.randint(3, 12)
    odd = rng.randrange(steps) if rng.random() < 0.5 else -1
    counter = 1
    plan = [(rng.choice(["same", "prev", "back2", "const", "num"]), rng.choice(["+", "*", "-"])) for _ in range(width)]
    for t in range(steps):
        here: list[str] = []
        for k, (source, op) in enumerate(plan):
            name = f"v{counter}"
            counter += 1
            if source == "same" and here:
                other = here[-1]
            elif source == "prev" and t >= 1:
                other = names[t - 1][k]
            elif source == "back2" and t >= 2:
                other = names[t - 2][k]
            elif source == "num":
                other = f"{t * 0.25 + k}"
            else:
                other = f"c{(t + k) % 2}"
            first = here[0] if here else f"c{k % 2}"
            if t == odd and k == 0:
                op = "/" if op != "/" else "+"
            lines.append(f"    {name} = ({first} {op} {other}) * 0.5")
            here.append(name)
        lines.append(f"    gv0 += {here[-1]} * 0.25")
        lines.append(f"    acc0.append({here[0]})")
        names.append(here)
    everything = [n for here in names for n in here]
    lines.append(f"    return ({''.join(n + ', ' for n in everything)}gv0, tuple(acc0))")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_random_repeated_programs_give_the_same_results_rolled(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.replay import loops

    monkeypatch.setattr(loops, "MIN_SAVED_LINES", 2)  # roll even short runs: more cases for the analysis
    text = random_program(seed)
    rolled = roll_loops(text)
    assert run_text(rolled) == run_text(text)
