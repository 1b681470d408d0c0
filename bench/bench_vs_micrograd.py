"""valuegrad against micrograd, PyTorch and JAX, side by side in one process: a table of medians.

    pip install -e ".[bench]"      # micrograd 0.1.0, JAX (CPU); PyTorch from the torch extra
    python bench/bench_vs_micrograd.py [--rounds 9] [--quick] [--only 'W1 MLP' ...]

Rows are `workloads.WORKLOADS` (W1 MLP step at width 16 and 64, W2 deep chain,
W3 char RNN, W5 LSTM, bytes per node); columns are micrograd, valuegrad eager
(same binary-op code as micrograd), valuegrad's nn.MLP, replay, batch replay,
PyTorch tensors (one thread) and JAX jit (the limit; its compile time is
reported apart). Every contender of a row runs interleaved round by round;
each cell is a median. How the cyclic collector is billed: see `measure`.
A column whose package is missing shows "—" and a note. ``--quick`` runs
tiny sizes once each: a smoke test, not a measurement.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from measure import interleaved  # noqa: E402
from workloads import COLUMNS, QUICK_SIZES, WORKLOADS, Workload  # noqa: E402


def _cell(seconds: float, unit: str) -> str:
    if unit == "ns/node":
        return f"{seconds * 1e9:.0f} ns/node"
    ms = seconds * 1e3
    return f"{ms:.0f} ms" if ms >= 100 else f"{ms:.1f} ms" if ms >= 1 else f"{ms:.3f} ms"


def run_row(workload: Workload, rounds: int, quick: bool) -> tuple[list[str], list[str]]:
    """The row's cells (in `COLUMNS` order) and its notes."""
    contenders = workload.build(quick)
    times = interleaved(contenders, rounds)
    cells, notes = [], []
    for column in COLUMNS:
        c = contenders.get(column)
        if c is None:
            cells.append("")
            continue
        if column in times:
            cell = _cell(times[column], workload.unit)
            micro = times.get("micrograd")
            if micro is not None and column != "micrograd" and times[column] > 0:
                cell += f" ({micro / times[column]:.0f}x)"
            cells.append(cell)
            if c.compile_seconds is not None:
                notes.append(f"{column} compile {c.compile_seconds * 1e3:.0f} ms (not in the cell)")
            if c.max_rounds is not None:
                notes.append(f"{column}: {min(rounds, c.max_rounds)} round(s) only")
        elif workload.unit == "bytes/node" and c.note and c.note.isdigit():
            cells.append(c.note)
            continue
        else:
            cells.append("—")
        if c.note and not c.note.isdigit():
            notes.append(c.note)
    return cells, notes


def main() -> None:
    """Run every workload and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rounds", "--repeats", type=int, default=9, help="interleaved timed rounds (default 9)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round: a smoke run")
    parser.add_argument("--only", action="append", metavar="TEXT", default=[],
                        help="run only the rows whose name starts with TEXT (case ignored; may be repeated), "
                             "e.g. --only 'W1 MLP' for the width-16 W1 row alone")
    args = parser.parse_args()
    # parser.error: one line and status 2, as argparse's own refusals (sys.exit with a message ended with 1)
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    if args.rounds > 10_000:  # each round runs every row: more does not finish in a sitting
        parser.error(f"--rounds must be at most 10,000, got {args.rounds}")
    rounds = 1 if args.quick else args.rounds
    workloads = [w for w in WORKLOADS
                 if not args.only or any(w.name.lower().startswith(t.lower()) for t in args.only)]
    if not workloads:
        names = "; ".join(w.name for w in WORKLOADS)
        parser.error(f"--only {' / '.join(args.only)!r} matches no row; the rows are: {names}")
    header = ["workload", *COLUMNS]
    rows, all_notes = [], []
    for workload in workloads:
        cells, notes = run_row(workload, rounds, args.quick)
        rows.append([workload.name, *cells])
        all_notes += [f"{workload.name}: {n}" for n in notes]
        print(f"  done: {workload.name}", file=sys.stderr, flush=True)
    quick = f" (--quick: tiny sizes, not a measurement: {QUICK_SIZES}, not the sizes the rows name)"
    print(f"Python {sys.version.split()[0]}, medians of {rounds} interleaved rounds"
          f"{quick if args.quick else ''}; (Nx) = micrograd / cell\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if all_notes:
        print()
        for note in all_notes:
            print(f"- {note}")


if __name__ == "__main__":
    main()
