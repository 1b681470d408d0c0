"""Hostile output, round 22: ``demo.py --help > /dev/full`` exited 0 with nothing written (argparse drops an
OSError from writing its help), and the examples ended in a BrokenPipeError traceback when their reader went away
(``python examples/X.py | head -1``). Now the help fails as any other output (one line, status 2), and the
examples end as demo.py does (`lecture.script_exit.run_script`): quietly with status 141 on a closed pipe, one
line and status 2 on a full disk (found by hostile21).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FULL = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the worktree's packages, not an installed copy

#: Examples that print before they finish, with arguments that keep them short (a few seconds).
EXAMPLES = [
    ("mlp_two_moons.py", ["--steps", "2"]),
    ("char_rnn.py", ["--steps", "2"]),
    ("torch_style_training.py", ["--epochs", "1", "--out", "{tmp}/classifier.json"]),
]


def _command(script: str, args: list[str], tmp: Path) -> list[str]:
    where = ROOT / script if script == "demo.py" else ROOT / "examples" / script
    return [sys.executable, str(where), *(a.format(tmp=tmp) for a in args)]


@FULL
@pytest.mark.parametrize("script", ["demo.py", "mlp_two_moons.py", "char_rnn.py"])
def test_help_on_a_full_disk_is_one_line_and_status_2(tmp_path: Path, script: str) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(_command(script, ["--help"], tmp_path), cwd=tmp_path, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120, check=False, env=ENV)
    assert done.returncode == 2
    assert done.stderr == f"{script}: error: cannot write to standard output: No space left on device\n"


@FULL
@pytest.mark.parametrize(("script", "args"), EXAMPLES)
def test_an_example_on_a_full_disk_is_one_line_and_status_2(tmp_path: Path, script: str, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(_command(script, args, tmp_path), cwd=tmp_path, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=300, check=False, env=ENV)
    assert done.returncode == 2
    assert done.stderr == f"{script}: error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize(("script", "args"), EXAMPLES)
def test_an_example_whose_reader_goes_away_stops_quietly(tmp_path: Path, script: str, args: list[str]) -> None:
    process = subprocess.Popen(_command(script, args, tmp_path), cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=ENV)
    assert process.stdout is not None
    process.stdout.close()  # before the example's first line: its first write meets a closed pipe
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 141  # 128 + SIGPIPE, as a shell reports a tool stopped by its reader's exit
    assert stderr == ""


def test_an_example_still_runs_and_exits_0(tmp_path: Path) -> None:
    done = subprocess.run(_command("mlp_two_moons.py", ["--steps", "2"], tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False, env=ENV)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("step   0  loss ")
