"""Hostile input, round 27: benchmark arguments refused as argparse refuses them (one line, status 2).

Before: ``bench_vs_micrograd.py --rounds 0`` (or -1) and ``--only zzz`` printed their message but ended with
status 1, as a failed run does, not 2 as every other bad argument; ``bench_wide_softmax.py --timeout inf`` (or
1e9: above what ``subprocess.run`` can wait, about 2.1e6 s) ended in an ``OverflowError`` traceback ("cannot
convert float infinity to integer", "timeout is too large") from inside subprocess, after printing its header.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("script", "args", "words"), [
    ("bench_vs_micrograd.py", ["--rounds", "0"], "--rounds must be at least 1, got 0"),
    ("bench_vs_micrograd.py", ["--rounds", "-1"], "--rounds must be at least 1, got -1"),
    ("bench_vs_micrograd.py", ["--rounds", "10001"], "--rounds must be at most 10,000, got 10001"),
    ("bench_vs_micrograd.py", ["--only", "zzz"], "--only 'zzz' matches no row; the rows are: W1 MLP"),
    ("bench_wide_softmax.py", ["--timeout", "inf"], "> 0, got inf (at most 604,800: a week)"),
    ("bench_wide_softmax.py", ["--timeout", "1e9"], "got 1000000000.0 (at most 604,800: a week)"),
])
def test_bad_benchmark_arguments_exit_two_in_one_line(script: str, args: list[str], words: str) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 2, (done.stdout[-500:], done.stderr[-1000:])
    assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"{script}: error: ")  # argparse's own line
    assert done.stdout == ""  # refused before the table's header
