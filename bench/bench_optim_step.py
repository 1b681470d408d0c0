"""The cost of an optimizer step with torch's rounding (`nn.optim.fused`): per step of N parameters, three ways.

"unfused" replaces `fma` by a·b + c (two roundings: the cost before parity24, not torch's bits); "split+fsum"
is `pure_fma` without its quick exact answer (every product split, then `math.fsum`: parity24's way); "fma" is
`nn.optim.fused.fma` as shipped (``math.fma`` on Python 3.13+, else the quick answer where it is provably
exact). The three run interleaved round by round in one process, best of each round's steps, the minimum over
rounds; the load average is printed before and after, as the machine may be shared.

Run: ``python bench/bench_optim_step.py [--params 5000] [--rounds 7] [--steps 8]``.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nn  # noqa: E402
from autograd import Value  # noqa: E402
from nn.optim import adagrad, adam, fused, sgd  # noqa: E402

MAX_PARAMS = 1_000_000
MAX_ROUNDS = 1_000


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not every platform has it
        return "load average unknown"


def _split_fsum(a: float, b: float, c: float) -> float:
    """a·b + c rounded once by the split and `math.fsum` alone (no quick answer): parity24's cost."""
    p = a * b
    if 1e-250 < abs(p) < 1e290 and abs(a) < 1e300 and abs(b) < 1e300:
        t = fused._SPLIT * a
        ah = t - (t - a)
        al = a - ah
        t = fused._SPLIT * b
        bh = t - (t - b)
        bl = b - bh
        return math.fsum((p, ((ah * bh - p) + ah * bl + al * bh) + al * bl, c))
    return fused.pure_fma(a, b, c)


def _lerp_with(fma: Callable[[float, float, float], float]) -> Callable[[float, float, float], float]:
    def lerp(start: float, end: float, weight: float) -> float:
        """`fused.lerp` on the given fma."""
        if -0.5 < weight < 0.5:
            return fma(weight, end - start, start)
        return fma(start - end, 1.0 - weight, end)
    return lerp


def _unfused(a: float, b: float, c: float) -> float:
    """a·b + c, two roundings."""
    return a * b + c


WAYS: dict[str, Callable[[float, float, float], float]] = {
    "unfused": _unfused, "split+fsum": _split_fsum, "fma": fused.fma}
OPTIMIZERS: dict[str, Callable[[list[Value]], Any]] = {
    "SGD": lambda ps: nn.optim.SGD(ps, lr=0.01),
    "SGD momentum+wd": lambda ps: nn.optim.SGD(ps, lr=0.01, momentum=0.9, weight_decay=1e-4),
    "Adam": lambda ps: nn.optim.Adam(ps, lr=1e-3),
    "AdamW": lambda ps: nn.optim.AdamW(ps, lr=1e-3),
    "Adagrad": lambda ps: nn.optim.Adagrad(ps, lr=1e-2),
}


def _use(fma: Callable[[float, float, float], float]) -> None:
    for module in (sgd, adam, adagrad):
        module.fma = fma  # type: ignore[attr-defined]
    adam.lerp = _lerp_with(fma)  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    """Print one line per optimizer: the best step time of each way."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--params", type=int, default=5000, help="parameters (default 5000)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default 7)")
    parser.add_argument("--steps", type=int, default=8, help="timed steps per round (default 8)")
    args = parser.parse_args(argv)
    for name, value, top in (("--params", args.params, MAX_PARAMS), ("--rounds", args.rounds, MAX_ROUNDS),
                             ("--steps", args.steps, MAX_ROUNDS)):
        if not 1 <= value <= top:
            parser.error(f"{name} must be between 1 and {top:,}, got {value}")
    rng = random.Random(0)
    params = [Value(rng.uniform(-1.0, 1.0)) for _ in range(args.params)]
    best: dict[tuple[str, str], float] = {}
    print(f"python {sys.version.split()[0]}, math.fma {'yes' if hasattr(math, 'fma') else 'no'}; {_load()}")
    shipped = fused.fma
    try:
        for _ in range(args.rounds):
            for way, fma in WAYS.items():
                _use(fma)
                for name, make in OPTIMIZERS.items():
                    optimizer = make(params)
                    for _ in range(args.steps):
                        for p in params:
                            p.grad = rng.uniform(-1.0, 1.0)
                        start = time.perf_counter()
                        optimizer.step()
                        spent = time.perf_counter() - start
                        best[name, way] = min(best.get((name, way), math.inf), spent)
    finally:
        _use(shipped)
    for name in OPTIMIZERS:
        cells = ", ".join(f"{way} {best[name, way] * 1e3:7.3f} ms" for way in WAYS)
        print(f"{name:16s} ({args.params:,} parameters): {cells}")
    print(_load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
