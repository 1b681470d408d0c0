"""Hostile input, round 21: ``--text=`` (an empty file name) is refused as an empty name, as ``--out=`` is.

It used to be read as the current folder and refused with "text file '.' is a folder, not a file".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [["--text="], ["--text", ""]])
def test_an_empty_text_name_is_one_line_naming_the_option(tmp_path: Path, args: list[str]) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "demo.py"), "lstm", "--out", str(tmp_path / "out"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr == "demo.py: error: argument --text: expected a file, got an empty name (see --help)\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_standard_output_is_one_line_and_status_2(tmp_path: Path) -> None:
    # It used to end in a traceback ending "OSError: [Errno 28] No space left on device", status 1.
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, str(ROOT / "demo.py"), "gradients", "--out", str(tmp_path / "out")],
                              cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert done.stderr == "demo.py: error: cannot write to standard output: No space left on device\n"


def test_a_reader_that_goes_away_stops_the_tour_quietly(tmp_path: Path) -> None:
    # demo.py | head -1: the reader closes the pipe. It used to end in a BrokenPipeError traceback, status 1;
    # now it stops without a word, with the status a shell gives a tool stopped by SIGPIPE (128 + 13).
    process = subprocess.Popen([sys.executable, str(ROOT / "demo.py"), "gradients", "--out", str(tmp_path / "out")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    process.stdout.close()  # before demo.py's first line: its first print meets a closed pipe
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 141
    assert stderr == ""
