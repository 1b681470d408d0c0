"""Recording and replaying need no numpy (the `batch` extra): docs/replay.md promises compiled float code then.

Run in a child process whose numpy import is blocked, as on a core-only `pip install .`.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
sys.modules["numpy"] = None  # any `import numpy` now fails, as where it is not installed
from autograd import Value
from autograd.replay import record
import nn
from nn.losses import softmax_cross_entropy

w = Value(0.5)
tape = record(lambda x: (w * x).tanh(), example=[1.0], parameters=[w])
loss, grads = tape.evaluate([2.0])
print(tape.strategy, repr(loss), repr(grads[0]))

model = nn.MLP(3, [4, 3], seed=1)
def step(a, b, c):
    return softmax_cross_entropy(model([a, b, c]), 2)
tape2 = record(step, example=[0.1, -0.2, 0.3], parameters=model.parameters())
loss2, grads2 = tape2.evaluate([0.3, 0.2, -0.1])
eager = step(Value(0.3), Value(0.2), Value(-0.1))
for p in model.parameters():
    p.grad = 0.0
eager.backward()
worst = max(abs(g - p.grad) for g, p in zip(grads2, model.parameters()))
print(repr(loss2 - eager.data), repr(worst))
"""


def test_a_tape_records_and_replays_when_numpy_cannot_be_imported() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.split("\n")[:2]
    strategy, loss, grad = first.split()
    assert strategy == "scalar"
    t = math.tanh(1.0)
    assert float(loss) == t  # tanh(0.5 * 2): the same libm call as eager
    assert abs(float(grad) - 2.0 * (1.0 - t * t)) < 1e-15  # d/dw tanh(2w) = 2 (1 - tanh^2)
    loss_gap, worst = (float(v) for v in second.split())
    assert abs(loss_gap) <= 1e-12 and worst <= 1e-12
