"""A hostile second reading of loop rolling (`autograd.replay.loops`): cases found to break it, each checked against
the same code unrolled (bit for bit) and the eager engine (to 1e-12)."""

from __future__ import annotations

import random

import pytest

from autograd import Value, dot
from autograd.replay import codegen, record
from autograd.replay.loops import roll_loops
from autograd.replay.tape import Tape

pytest.importorskip("numpy")

from test_replay import eager  # noqa: E402  (after the numpy skip)


def run_text(text: str) -> object:
    """What the function ``run`` that ``text`` defines returns."""
    scope: dict[str, object] = {}
    exec(compile(text, "<test>", "exec"), scope)  # noqa: S102 - the test's own code
    run = scope["run"]
    assert callable(run)
    return run()


def test_two_reads_of_one_carried_value_that_start_from_different_values_are_not_merged() -> None:
    # Every step reads the previous step's v twice; the first step reads two different values (v1 and v2). One
    # loop variable cannot start as both: rolling the first step with the others made it read v2 twice.
    lines = ["def run():", "    v1 = 1.0", "    v2 = 2.0"]
    first, second, n = "v1", "v2", 3
    for _ in range(20):
        lines += [f"    v{n} = {first} * 1.5", f"    v{n + 1} = {second} * 2.5", f"    v{n + 2} = v{n} + v{n + 1}"]
        first = second = f"v{n + 2}"
        n += 3
    lines.append(f"    return v{n - 1}")
    text = "\n".join(lines) + "\n"
    assert run_text(text) == 6.5 * 4.0**19  # 1.5 * 1 + 2.5 * 2, then times 1.5 + 2.5 per step (all exact)
    rolled = roll_loops(text)
    assert run_text(rolled) == run_text(text)


def test_a_recorded_recurrence_whose_first_step_reads_two_different_states(monkeypatch: pytest.MonkeyPatch) -> None:
    # h_t = tanh(a * b * w1 + w2) with a = b = h_{t-1}, but a_0 = tanh(x0) and b_0 = tanh(x1): the generated code
    # reads one carried value twice per step, two different ones in the first step.
    rng = random.Random(1)
    rows = [[Value(rng.uniform(-0.6, 0.6), label=f"w{k}_{j}") for j in range(2)] for k in range(3)]
    w1, w2 = Value(0.7, label="w1"), Value(-0.4, label="w2")
    params = [w for row in rows for w in row] + [w1, w2]

    def fn(x0: Value, x1: Value) -> Value:
        a, b = x0.tanh(), x1.tanh()
        total: Value | float = 0.0
        for _ in range(20):
            h = (a * b * w1 + w2).tanh()
            s = [dot(row, [h, 1.0]) for row in rows]  # a matrix product: the tape is vectorized
            total = total + s[0] * s[1]
            a = b = h
        assert isinstance(total, Value)
        return total

    monkeypatch.setattr(Tape, "min_group_weights", 1)
    results = []
    for roll in (False, True):
        monkeypatch.setattr(codegen, "ROLL_LOOPS", roll)
        tape = record(fn, [0.3, -0.8], params, vectorize=True)
        results.append([tape.evaluate(x) for x in ([0.3, -0.8], [0.5, 0.9])])
        if roll:
            assert "for _t in range(" in tape.source
    assert results[1] == results[0]
    for x, (loss, grads) in zip(([0.3, -0.8], [0.5, 0.9]), results[1]):
        ref_loss, ref_grads = eager(fn, x, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
        assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)


_HELPERS = ["R1 = [1.0, 2.0]", "R2 = [3.0, 4.0]", "R3 = [5.0, 6.0]", "def bad(k):", "    raise ValueError(k)"]


def hostile_program(seed: int) -> str:
    """Straight-line code in the generator's forms, repeated per step from one template: reads of the previous
    step (once or twice, whose first step may read two different values), two steps back, this step, values
    from before, per-step numbers and tables, ``g += `` on a float that is sometimes started afresh, a list
    aliased, copied and updated in place, tuple unpacking, and a check that may raise."""
    rng = random.Random(seed)
    before = 6
    body = ["def run():", "    log = []", *(f"    v{k} = {rng.uniform(-1, 1)!r}" for k in range(before)),
            "    G0 = [0.5, 0.25]", "    gv0 = 0.0"]
    counter = [before]

    def fresh(prefix: str = "v") -> str:
        counter[0] += 1
        return f"{prefix}{counter[0]}"

    kinds = [rng.choice(["prev", "same", "back2", "before", "num", "twoprev", "table", "acc", "arr", "unpack", "if"])
             for _ in range(rng.randint(1, 5))]
    history: list[list[str | None]] = []
    acc, arr = "gv0", "G0"
    for t in range(rng.randint(2, 14)):
        here: list[str | None] = []
        for k, kind in enumerate(kinds):
            start = f"v{k % before}"
            other_start = f"v{(k + 1) % before}" if rng.random() < 0.5 else start

            def back(lag: int, default: str) -> str:
                name = history[t - lag][k] if t >= lag else None  # noqa: B023 - used at once
                return name if name is not None else default

            name: str | None = fresh()
            last = here[-1] if here and here[-1] is not None and here[-1].startswith("v") else start
            if kind == "prev":
                body.append(f"    {name} = {back(1, start)} * 0.5 + 1.0")
            elif kind == "twoprev":
                body.append(f"    {name} = {back(1, start)} * 0.5 + {back(1, other_start)} * 0.25")
            elif kind == "same":
                body.append(f"    {name} = {last} - 0.125")
            elif kind == "back2":
                body.append(f"    {name} = {back(2, start)} * 0.75 + {back(1, other_start)}")
            elif kind == "before":
                body.append(f"    {name} = v{rng.randrange(before) if seed % 3 == 0 else k % before} * 2.0")
            elif kind == "num":
                body.append(f"    {name} = {t * 0.5 + k} * 3.0")
            elif kind == "table":
                body.append(f"    {name} = R{1 + t % 3}[{t % 2}] + 1.0")
            elif kind == "unpack":
                body.append(f"    {name}, {fresh()}, = {back(1, start)} * 2.0, {back(1, other_start)} + 1.0")
            else:
                name = None
                if kind == "acc":
                    if t > 0 and rng.random() < 0.3:
                        acc = fresh("gv")
                        body.append(f"    {acc} = {last} * 0.5")
                    else:
                        body.append(f"    {acc} += {last} * 0.5")
                elif kind == "arr":
                    if t % 4 == 3 and rng.random() < 0.5:
                        arr, old = fresh("G"), arr
                        body.append(f"    {arr} = {old}")  # an alias: updates in place reach both names
                    elif t % 5 == 2:
                        arr, old = fresh("G"), arr
                        body.append(f"    {arr} = list({old})")
                    body.append(f"    {arr}[{t % 2}] += {back(1, start)}")
                else:
                    value = back(1, start)
                    body.append(f"    if {value} > 3.0: bad({k})")
            here.append(name)
        named = [n for n in here if n]
        body.append(f"    log.append(({''.join(n + ', ' for n in named)}))")
        history.append(here)
    everything = "".join(n + ", " for h in history for n in h if n)
    body.append(f"    return (({everything}), {acc}, {arr}, G0, log)")
    return "\n".join(_HELPERS + body) + "\n"


def outcome(text: str) -> str:
    """What ``run`` returns, or the error it raises, as text (bit-exact floats)."""
    try:
        return repr(run_text(text))
    except ValueError as error:
        return f"raised {error}"


@pytest.mark.parametrize("seed", range(300))
def test_hostile_repeated_programs_give_the_same_results_rolled(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.replay import loops

    monkeypatch.setattr(loops, "MIN_SAVED_LINES", 2)  # roll even short runs: more cases for the analysis
    text = hostile_program(seed)
    rolled = roll_loops(text)
    assert outcome(rolled) == outcome(text)


def test_a_nan_parameter_given_to_a_looped_tape_is_named() -> None:
    from nn import CharModel

    model = CharModel(5, 16, cell="rnn", seed=1)
    xs, ts = [1, 2, 3, 0, 4, 1, 2, 3, 0, 4, 1, 2, 3, 0, 4], [2, 3, 0, 4, 1, 2, 3, 0, 4, 1, 2, 3, 0, 4, 1]
    params = model.parameters()
    tape = record(lambda: model.sequence_loss(xs, ts)[0], [], params, vectorize=True)
    assert "for _t in range(" in tape.source
    params[0].data = float("nan")
    with pytest.raises((ValueError, ArithmeticError), match=r"Wxh\[0,0\].*nan|nan.*Wxh\[0,0\]"):
        tape.evaluate([])


def test_lines_that_differ_only_in_a_string_literal_or_an_attribute_are_not_one_loop_body() -> None:
    # Lines are analysed once per form (digits replaced); a digit outside a hole must still tell lines apart.
    lines = ["def run():", "    out = []", "    v0 = 0.5"]
    for k in range(1, 30):
        label = f"'n{k % 3}'" if k % 2 else "'#'"
        lines.append(f"    v{k} = v{k - 1} * 1.25 - {k}.0")
        lines.append(f"    out.append(({label}, v{k}.real, v{k}))")
    lines.append("    return out")
    text = "\n".join(lines) + "\n"
    rolled = roll_loops(text)
    assert run_text(rolled) == run_text(text)


def test_a_small_model_whose_steps_update_different_weight_columns_rolls_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hidden 6: the RNN cell's sums are scalar lines, and each step's input character picks the weight column whose
    # gradient it adds to. Written as ``gp12 = ...`` the first time and ``gp12 += ...`` later, those lines broke
    # every run of steps (rnn h6 T100: 1,798 lines rolled, 214 now); summed in one list they roll, so the
    # source no longer grows with the sequence. (A vocabulary of 16 or more: the loss's logsumexp is one call.)
    from nn import CharModel

    vocab = 20
    model = CharModel(vocab, 6, cell="rnn", seed=2)
    params = model.parameters()
    sizes = []
    for steps in (20, 40):
        rng = random.Random(steps)
        xs = [rng.randrange(vocab) for _ in range(steps)]
        ts = [rng.randrange(vocab) for _ in range(steps)]

        def fn() -> Value:
            return model.sequence_loss(xs, ts)[0]  # noqa: B023 - recorded at once

        results = []
        for roll in (False, True):
            monkeypatch.setattr(codegen, "ROLL_LOOPS", roll)
            tape = record(fn, [], params, vectorize=True)
            results.append(tape.evaluate([]))
        assert results[1] == results[0]  # bit for bit
        ref_loss, ref_grads = eager(fn, [], params)
        assert results[1][0] == pytest.approx(ref_loss, rel=1e-12)
        assert results[1][1] == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
        sizes.append(tape.source.count("\n"))
    # Twice the steps: the same loops (only the tables of which columns the steps read get longer); it was 1.9x.
    assert sizes[1] < 1.1 * sizes[0]
