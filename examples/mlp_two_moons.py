"""Train a small MLP to separate two interleaved half moons: a complete training loop.

    python examples/mlp_two_moons.py [--steps 60]
"""

from __future__ import annotations

import argparse

from autograd import no_grad
from lecture.cli_args import step_count
from lecture.script_exit import run_script
from nn import MLP, SGD, mean_squared_error, two_moons


def main() -> None:
    """Fit, then report accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=step_count, default=60, help="training steps, 1 to 100,000 (default: 60)")
    args = parser.parse_args()

    xs, ys = two_moons(100)
    model = MLP(2, [16, 16, 1], activation="tanh", seed=0)
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(args.steps):
        loss = mean_squared_error([model(x) for x in xs], ys)   # forward
        optimizer.zero_grad()
        loss.backward()                                          # backward
        optimizer.step()                                         # update
        if step % 10 == 0 or step == args.steps - 1:
            print(f"step {step:3d}  loss {loss.data:.4f}")
    with no_grad():
        correct = sum((model(x).data > 0) == (y > 0) for x, y in zip(xs, ys))
    print(f"accuracy {correct}/{len(xs)}")


if __name__ == "__main__":
    run_script(main, "mlp_two_moons.py")  # quiet on a closed pipe, as demo.py
