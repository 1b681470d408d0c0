"""``examples/draw_3_4_2.py`` ends as demo.py and the other examples do (`lecture.script_exit.run_script`): it
printed a BrokenPipeError traceback when its reader had gone (``draw_3_4_2.py | head -0``) and an OSError
traceback on a full disk. Now: status 141 and nothing on stderr for a closed pipe, one line and status 2 for a
full disk, for the picture's name and for ``--help`` alike; the README still shows the file as it is
(tests/test_slide_names.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_svg

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "draw_3_4_2.py"
FULL = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # the worktree's packages, not an installed copy


def _closed_pipe(tmp_path: Path, *args: str) -> tuple[int, str]:
    process = subprocess.Popen([sys.executable, str(SCRIPT), *args], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=ENV)
    assert process.stdout is not None
    process.stdout.close()  # before its first line: the first write meets a closed pipe
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def _full_disk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    with open("/dev/full", "w") as full:
        return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=tmp_path, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=300, check=False, env=ENV)


@needs_svg
def test_a_reader_that_has_gone_stops_it_quietly_after_the_picture(tmp_path: Path) -> None:
    status, stderr = _closed_pipe(tmp_path, "net")
    assert status == 141  # 128 + SIGPIPE, as a shell reports a tool stopped by its reader's exit
    assert stderr == ""
    assert (tmp_path / "net.dot").exists() and (tmp_path / "net.svg").exists()  # the work was done first


def test_help_to_a_reader_that_has_gone_stops_quietly(tmp_path: Path) -> None:
    status, stderr = _closed_pipe(tmp_path, "--help")
    assert status == 141
    assert stderr == ""
    assert list(tmp_path.iterdir()) == []


@FULL
@needs_svg
def test_a_full_disk_is_one_line_and_status_2(tmp_path: Path) -> None:
    done = _full_disk(tmp_path, "net")
    assert done.returncode == 2
    assert done.stderr == "draw_3_4_2.py: error: cannot write to standard output: No space left on device\n"


@FULL
def test_help_on_a_full_disk_is_one_line_and_status_2(tmp_path: Path) -> None:
    done = _full_disk(tmp_path, "--help")
    assert done.returncode == 2
    assert done.stderr == "draw_3_4_2.py: error: cannot write to standard output: No space left on device\n"
    assert list(tmp_path.iterdir()) == []
