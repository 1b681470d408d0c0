"""Hostile input, round 24: the example scripts given a file or folder name longer than the file system allows.

``draw_a_graph.py --out``, ``torch_style_training.py --out`` and ``torch_char_lstm.py --out`` checked the name
with ``Path.is_dir()`` / ``Path.exists()``, which raise (rather than answer False) for a name past the
file-name limit: each ended in a traceback ("OSError: [Errno 36] File name too long"). Each is now a usage
error, status 2, naming the argument.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=300,
                          check=False)


def _too_long(folder: Path) -> str:
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    return "n" * (limit + 1)


@pytest.mark.parametrize(("script", "args"), [
    ("draw_a_graph.py", ["--out"]),
    ("torch_style_training.py", ["--epochs", "1", "--out"]),
])
@pytest.mark.parametrize("inside", [False, True])
def test_a_name_past_the_limit_is_a_usage_error(tmp_path: Path, script: str, args: list[str], inside: bool) -> None:
    name = _too_long(tmp_path) + ("/x" if inside else "")
    done = _run(script, [*args, name], tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{script}: error: argument --out: cannot use " in done.stderr
    assert "File name too long" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_torch_example_names_an_out_folder_past_the_limit(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    done = _run("torch_char_lstm.py", ["--out", _too_long(tmp_path), "--steps", "1"], tmp_path)
    assert done.returncode == 2, done.stderr
    assert "error: cannot use --out " in done.stderr and "File name too long" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
