"""Train a small MLP to separate two interleaved half moons: a complete training loop.

    python examples/mlp_two_moons.py [--steps 60]
"""

from __future__ import annotations

import argparse
import math
import random

from autograd import no_grad
from nn import MLP, SGD, mean_squared_error


def two_moons(n: int, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """Two noisy half circles, labelled +1 and -1."""
    rng = random.Random(seed)
    xs, ys = [], []
    for i in range(n):
        t = math.pi * rng.random()
        upper = i % 2 == 0
        x = [math.cos(t), math.sin(t)] if upper else [1 - math.cos(t), 0.5 - math.sin(t)]
        xs.append([x[0] + rng.gauss(0, 0.1), x[1] + rng.gauss(0, 0.1)])
        ys.append(1.0 if upper else -1.0)
    return xs, ys


def main() -> None:
    """Fit, then report accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
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
    main()
