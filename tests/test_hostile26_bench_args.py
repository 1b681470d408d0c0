"""Benchmark scripts refuse bad arguments in one line, status 2, before running anything (hostile26).

Before: bench_wide_softmax.py took ``--widths 0`` / ``-5`` and ``--modes foo`` and ran every child to a
failure row (a cross_entropy TypeError, a bare ``KeyError: 'foo'``), ``--timeout nan`` ended in a traceback
("cannot convert float NaN to integer") and ``--timeout -1`` ran nothing; precision_sweep.py ended
``--samples 0`` in a ZeroDivisionError traceback and printed only its header for an unknown ``--only``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("script", "args", "words"), [
    ("bench_wide_softmax.py", ["--widths", "0"], "--widths takes numbers of logits >= 1, got '0'"),
    ("bench_wide_softmax.py", ["--widths", "2000,-5"], "--widths takes numbers of logits >= 1"),
    ("bench_wide_softmax.py", ["--modes", "levels,foo"], "--modes: unknown mode 'foo': choose among levels"),
    ("bench_wide_softmax.py", ["--timeout", "nan"], "--timeout must be a number of seconds > 0, got nan"),
    ("bench_wide_softmax.py", ["--timeout", "-1"], "--timeout must be a number of seconds > 0"),
    ("precision_sweep.py", ["--samples", "0"], "--samples must be at least 1, got 0"),
    ("precision_sweep.py", ["--samples", "-3"], "--samples must be at least 1, got -3"),
    ("precision_sweep.py", ["--only", "tanhh"], "--only 'tanhh' names no case; the cases are: add, sub"),
])
def test_bad_benchmark_arguments_are_one_line_errors(script: str, args: list[str], words: str) -> None:
    if script == "precision_sweep.py":  # it measures against torch and mpmath, so it runs only where they are
        pytest.importorskip("torch")
        pytest.importorskip("mpmath")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 2, (done.stdout[-500:], done.stderr[-1000:])
    assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stdout == ""  # refused before the table's header or any child
