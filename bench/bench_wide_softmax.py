"""Record and run times of a wide cross-entropy tape, per replay mode: is the work linear in the classes?

    python bench/bench_wide_softmax.py [--widths 2000,20000] [--timeout 600] [--code PATH]

The softmax family's shift is one ``largest`` node whose n partial derivative expressions each name every
input; a replay that pasted or compiled them was O(n^2) (wide25 measured main at 2,000 logits: 46-58 s to
record, 34-56 s for the first run; at 20,000 no result in 600 s). Each (width, mode) runs in a fresh child
process, wall time, one round each: the figures are seconds, not microseconds, and the shape (10x the width:
about 10x the time, not 100x) is what this script shows. ``--code`` runs another checkout's engine (its path
goes first on ``sys.path``), for before/after figures. Modes:

- ``levels``: ``F.cross_entropy`` over n parameter logits, ``record`` (the level interpreter), two runs;
- ``vectorized`` / ``scalar``: the same, recorded with ``vectorize=True`` / ``False`` (code compiled at once);
- ``batch``: logits ``x_i + b_i`` (n inputs, n parameters), ``record`` then ``run_batch`` over 8 samples.

Figures (2 shared cores, Python 3.11; see docs/benchmarks.md for the load when measured) go in the docs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

_CHILD = r"""
import math, sys, time
from autograd import Value
from autograd.replay import record
from nn.functional import cross_entropy

n, mode = int(sys.argv[1]), sys.argv[2]
data = [math.sin(i) if i % 97 else 1.5 for i in range(n)]
start = time.perf_counter()
if mode == "batch":
    params = [Value(0.001 * (i % 5)) for i in range(n)]
    tape = record(lambda *xs: cross_entropy([x + b for x, b in zip(xs, params)], 5), example=data,
                  parameters=params)
    recorded = time.perf_counter()
    columns = [[x + 0.01 * k for k in range(8)] for x in data]
    first = lambda: tape.run_batch(columns)
else:
    params = [Value(x) for x in data]
    vectorize = {"levels": None, "vectorized": True, "scalar": False}[mode]
    tape = record(lambda: cross_entropy(params, 5), example=[], parameters=params, vectorize=vectorize)
    recorded = time.perf_counter()
    first = tape.evaluate
first()
ran = time.perf_counter()
first()
again = time.perf_counter()
import autograd
print(f"{recorded - start:.3f} {ran - recorded:.3f} {again - ran:.3f} {autograd.__file__}")
"""


#: What --modes may name: the tape's three vectorize settings and a run_batch over eight columns.
MODES = ("levels", "vectorized", "scalar", "batch")

#: The longest --timeout: a week, inside what ``subprocess.run`` can wait (it refuses about 2.1e6 s and more).
MAX_TIMEOUT = 604_800


def main() -> None:
    """Print one row per width and mode: record, first run and second run, in seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--widths", default="2000,20000", help="comma-separated numbers of logits")
    parser.add_argument("--modes", default="levels,vectorized,scalar,batch", help="comma-separated modes")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a child is given up")
    parser.add_argument("--code", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        help="the checkout whose engine runs (default: this one)")
    args = parser.parse_args()
    try:
        widths = [int(w) for w in args.widths.split(",")]
    except ValueError:
        parser.error(f"--widths takes comma-separated whole numbers, got {args.widths!r}")
    if any(w < 1 for w in widths):  # 0 or -5 logits ran every child to a cross_entropy TypeError
        parser.error(f"--widths takes numbers of logits >= 1, got {args.widths!r}")
    # NaN failed in subprocess with "cannot convert float NaN to integer", -1 ran nothing, and inf or 1e9 failed
    # inside subprocess ("timeout is too large": it waits at most about 2.1e6 s) after the header was printed.
    if not (0 < args.timeout <= MAX_TIMEOUT):
        parser.error(f"--timeout must be a number of seconds > 0, got {args.timeout!r} "
                     f"(at most {MAX_TIMEOUT:,}: a week)")
    if not os.path.isdir(os.path.join(args.code, "autograd")):
        parser.error(f"--code {args.code!r} is no checkout of valuegrad (no autograd folder)")
    modes = args.modes.split(",")
    unknown = [m for m in modes if m not in MODES]
    if unknown:  # each child failed with a bare KeyError: 'foo'
        parser.error(f"--modes: unknown mode {unknown[0]!r}: choose among {', '.join(MODES)}")
    env = dict(os.environ, PYTHONPATH=args.code, PYTHONDONTWRITEBYTECODE="1")  # no .pyc left in that checkout
    print(f"{'logits':>7} {'mode':>11} {'record s':>9} {'run 1 s':>9} {'run 2 s':>9}   ({args.code})")
    for n in widths:
        for mode in modes:
            try:
                # Run from the checkout: ``python -c`` puts the working folder first on sys.path.
                done = subprocess.run([sys.executable, "-c", _CHILD, str(n), mode], capture_output=True, text=True,
                                      env=env, cwd=args.code, timeout=args.timeout, check=False)
            except subprocess.TimeoutExpired:
                print(f"{n:>7} {mode:>11}   no result in {args.timeout:.0f} s", flush=True)
                continue
            if done.returncode:
                print(f"{n:>7} {mode:>11}   failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            record_s, first_s, second_s, engine = done.stdout.split()
            if not engine.startswith(os.path.abspath(args.code)):
                sys.exit(f"the child imported {engine}, not the engine of {args.code}")
            print(f"{n:>7} {mode:>11} {record_s:>9} {first_s:>9} {second_s:>9}", flush=True)


if __name__ == "__main__":
    main()
