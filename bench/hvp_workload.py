"""The Hessian-vector product row: `autograd.hvp` on the slides' MLP (micrograd has no gradients of gradients)."""

from __future__ import annotations

import math
from typing import Any

from measure import Contender


def hvp_slides_mlp(quick: bool) -> dict[str, Contender]:
    """hvp of the slides' batch loss (14 weights, E over rows 1..4), checked once against hessian @ v to 1e-12."""
    from autograd import dot, hessian, hvp, sum_of
    from lecture.slides_mlp import BATCH_ROWS, SLIDES_W1, SLIDES_W2, SLIDES_X, SLIDES_Y

    def loss(*w: Any) -> Any:
        # w1 then w2, each table row by row (row 0 the bias), as the slides print them.
        w1 = [w[2 * i : 2 * i + 2] for i in range(4)]
        w2 = [w[8 + 2 * k : 8 + 2 * k + 2] for k in range(3)]
        terms = []
        for x, y in zip(SLIDES_X[:BATCH_ROWS], SLIDES_Y[:BATCH_ROWS]):
            a1 = [dot([row[k] for row in w1], [1.0, *x]).sigmoid() for k in range(2)]
            a2 = [dot([row[j] for row in w2], [1.0, *a1]).sigmoid() for j in range(2)]
            terms += [0.5 * (a - t) ** 2 for a, t in zip(a2, y)]
        return sum_of(terms)

    point = [c for row in SLIDES_W1 for c in row] + [c for row in SLIDES_W2 for c in row]
    vector = [math.sin(i + 1.0) for i in range(len(point))]
    full = hessian(loss, point)
    expected = [sum(h * v for h, v in zip(row, vector)) for row in full]
    got = hvp(loss, point, vector)[1]
    assert max(abs(a - b) for a, b in zip(got, expected)) < 1e-12, "hvp disagrees with hessian @ v"
    # Its graphs hold no reference cycles (freed by reference counting): no trailing gc.collect().
    return {"micrograd": Contender(note="micrograd: no gradients of gradients"),
            "eager": Contender(run=lambda: hvp(loss, point, vector), makes_garbage=False)}


if __name__ == "__main__":  # run by mistake (`python bench/hvp_workload.py --help` printed nothing and exited 0)
    raise SystemExit("hvp_workload.py is a module the benchmark scripts import, not a benchmark: run "
                     "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
