"""The bench folder's helper modules, run as scripts, say what to run instead (new-user trial 27).

`python bench/workloads.py --help` (and measure.py, ...) printed nothing and exited 0: a reader trying every
file of bench/ could not tell a helper from a benchmark that did nothing.
"""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
HELPERS = ["array_models", "hvp_workload", "measure", "scalar_models", "workloads"]


def test_the_helpers_are_every_bench_file_that_is_not_a_script():
    scripts = {p.stem for p in BENCH.glob("*.py") if "argparse" in p.read_text(encoding="utf-8")}
    assert sorted({p.stem for p in BENCH.glob("*.py")} - scripts) == HELPERS


@pytest.mark.parametrize("name", HELPERS)
def test_a_helper_run_as_a_script_names_the_benchmark_to_run(name):
    done = subprocess.run([sys.executable, str(BENCH / f"{name}.py"), "--help"], cwd=BENCH,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == (f"{name}.py is a module the benchmark scripts import, not a benchmark: run "
                                   "bench/bench_vs_micrograd.py (or another bench/bench_*.py) instead")
