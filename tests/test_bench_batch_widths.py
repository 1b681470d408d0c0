"""bench/bench_batch_widths.py runs end to end on one small width and refuses bad arguments (no figure is checked)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "bench_batch_widths.py"


def test_one_round_at_one_width_prints_both_contenders_or_why_not():
    out = subprocess.run([sys.executable, str(SCRIPT), "--rounds", "1", "--widths", "4"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    line = next(line for line in out.stdout.splitlines() if line.startswith("width   4:"))
    assert ("batch replay" in line and "torch" in line and "ratio" in line) or "cannot compare" in line


@pytest.mark.parametrize("args", [["--rounds", "0"], ["--widths", "0"], ["--widths", "x"]])
def test_bad_arguments_are_refused_by_name(args):
    out = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2
    assert args[0] in out.stderr
