"""bench/bench_optim_step.py runs end to end on a few parameters and refuses bad arguments (no figure is checked);
its parity24 stand-in (split and fsum alone) rounds once, as `fused.pure_fma` does."""

import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "bench_optim_step.py"


def test_one_round_prints_every_optimizer_and_way():
    out = subprocess.run([sys.executable, str(SCRIPT), "--params", "20", "--rounds", "1", "--steps", "2"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    for name in ("SGD ", "SGD momentum+wd", "Adam ", "AdamW", "Adagrad"):
        line = next(line for line in out.stdout.splitlines() if line.startswith(name))
        assert "unfused" in line and "split+fsum" in line and "fma" in line and "20 parameters" in line


@pytest.mark.parametrize("args", [["--params", "0"], ["--rounds", "0"], ["--steps", "x"], ["--params", "10000000"]])
def test_bad_arguments_are_refused_by_name(args):
    out = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2
    assert args[0] in out.stderr


def test_the_split_fsum_stand_in_rounds_once():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_optim_step
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rng = random.Random(5)
    for _ in range(2000):
        a, b, c = (rng.uniform(-1, 1) * 10 ** rng.uniform(-5, 5) for _ in range(3))
        assert bench_optim_step._split_fsum(a, b, c) == float(Fraction(a) * Fraction(b) + Fraction(c))
    assert bench_optim_step._split_fsum(1e308, 2.0, -1e308) == 1e308  # past the range, then back: pure_fma
