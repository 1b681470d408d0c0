"""Batch replay against PyTorch batched tensors on W1 at every width (issue 12 goal 2: within 2x at 8-64).

One training step of MLP(2, [width, width, 1]) tanh on 100 two-moons points: the same "batch replay" and
"torch tensors" contenders as the W1 rows of `bench_vs_micrograd.py` (`workloads.w1`), interleaved round by
round in one process at every width, medians. The load average is printed before and after, as the machine
may be shared.

Run: ``python bench/bench_batch_widths.py [--rounds 31] [--widths 8 16 32 64]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import workloads  # noqa: E402
from measure import interleaved  # noqa: E402

CONTENDERS = ("batch replay", "torch tensors")
#: Past these a run does not finish in a sitting (width 99999999999 built weights until stopped).
MAX_WIDTH = 256
MAX_ROUNDS = 10_000


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not every platform has it
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    """Print one line per width: both medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=31, help="interleaved timed rounds (default 31)")
    parser.add_argument("--widths", type=int, nargs="+", default=[8, 16, 32, 64], help="hidden widths")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    if args.rounds > MAX_ROUNDS:
        parser.error(f"--rounds must be at most {MAX_ROUNDS:,}, got {args.rounds}")
    if any(w < 1 for w in args.widths):
        parser.error(f"--widths must be positive, got {args.widths}")
    if max(args.widths) > MAX_WIDTH:
        parser.error(f"--widths must be at most {MAX_WIDTH}, got {max(args.widths)}")
    print(_load())
    for width in args.widths:
        built = workloads.w1(width)(False)
        missing = [f"{name}: {built[name].note}" for name in CONTENDERS if built[name].run is None]
        if missing:
            print(f"width {width:3d}: cannot compare ({'; '.join(missing)})")
            continue
        medians = interleaved({name: built[name] for name in CONTENDERS}, args.rounds)
        ours, torch = (medians[name] for name in CONTENDERS)
        print(f"width {width:3d}: batch replay {ours * 1e3:6.3f} ms, torch {torch * 1e3:6.3f} ms,"
              f" ratio {ours / torch:.2f}")
    print(_load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
