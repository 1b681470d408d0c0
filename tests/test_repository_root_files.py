"""The repository's root holds the project's own files only.

Before: six pictures of a hand experiment (q, x, x.dot, x.svg, valuegrad.gv, valuegrad.gv.svg: Graphviz's
output for tanh(a * b)) had been committed at the root by a change that drew pictures from the worktree.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What the root is meant to hold: the README, the CLI tour, the package description and the ignore list.
EXPECTED = {".gitignore", "README.md", "demo.py", "pyproject.toml"}


def test_no_stray_files_are_tracked_at_the_root() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout
    at_root = {name for name in listed.splitlines() if "/" not in name}
    assert at_root <= EXPECTED, sorted(at_root - EXPECTED)
