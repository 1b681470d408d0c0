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
