"""The benchmark runs end to end in --quick mode and prints every row (not timed: no figure is checked)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_prints_every_row_and_column():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from workloads import COLUMNS, WORKLOADS
    finally:
        sys.path.remove(str(ROOT / "bench"))
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_vs_micrograd.py"), "--quick"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| workload"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["workload", *COLUMNS]
    for workload in WORKLOADS:
        row = next((line for line in lines if line.startswith(f"| {workload.name} |")), None)
        assert row is not None, f"row {workload.name!r} missing from:\n{out.stdout}"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 1 + len(COLUMNS)
        assert cells[2], f"no eager figure in {row!r}"  # valuegrad's own column is always measured


def test_bad_rounds_is_refused_by_name():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_vs_micrograd.py"), "--rounds", "0"],
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode != 0
    assert "--rounds" in out.stderr


def test_only_runs_the_rows_named_and_refuses_a_name_that_matches_none():
    script = str(ROOT / "bench" / "bench_vs_micrograd.py")
    out = subprocess.run([sys.executable, script, "--quick", "--only", "w2"], capture_output=True, text=True,
                         timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    rows = [line for line in out.stdout.splitlines() if line.startswith("| W")]
    assert len(rows) == 1 and rows[0].startswith("| W2 deep chain")
    out = subprocess.run([sys.executable, script, "--only", "W9"], capture_output=True, text=True, timeout=60,
                         cwd=ROOT)
    assert out.returncode != 0
    assert "--only 'W9' matches no row" in out.stderr and "W1 MLP" in out.stderr
