"""What docs/replay.md says of a module's forward hooks under `autograd.replay.record` (new-user trial 21 found
it unsaid): they run while the graph is recorded, so what they return is in the tape, and no replay calls them."""

from __future__ import annotations

import math

from autograd.replay import record
from nn import Linear, Sequential, Tanh


def test_a_forward_hook_shapes_the_tape_but_runs_only_while_recording() -> None:
    model = Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1))
    calls: list[int] = []

    def halve(module: object, args: tuple[object, ...], output: list) -> list:
        calls.append(len(output))
        return [o * 0.5 for o in output]

    model[1].register_forward_hook(halve)
    tape = record(lambda a, b: model([a, b])[0], example=[0.0, 0.0], parameters=model.parameters())
    assert calls == [3]  # the recording pass
    replayed = tape.run([0.7, -1.3])
    assert calls == [3]  # no replay calls it
    # The halving is in the tape: the closed form of Linear -> tanh -> x0.5 -> Linear, from the weights.
    first, second = model[0], model[2]
    hidden = [0.5 * math.tanh(row[0].data * 0.7 + row[1].data * -1.3 + b.data) for row, b in zip(first.W, first.b)]
    expected = second.b[0].data
    for w, h in zip(second.W[0], hidden):
        expected += w.data * h
    assert math.isclose(replayed, expected, rel_tol=1e-12)
