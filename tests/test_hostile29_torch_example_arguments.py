"""Hostile input, round 29: examples/torch_char_lstm.py reads --modules without running them; --out '' refused.

``--modules this`` printed the Zen of Python and ``--modules antigravity`` opened a web browser: the script
imported each module to read its source, running its code. It now finds the file and reads it. ``--out ''``
wrote the pictures into the current folder (pathlib reads '' as '.'), where the other examples refuse an
empty --out in one line with exit status 2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "examples" / "torch_char_lstm.py"), *args], cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, capture_output=True, text=True, timeout=300,
                          check=False)


def test_a_module_is_read_not_run(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    done = _run(["--modules", "this", "--out", "out"], tmp_path)
    import this  # noqa: F401  # what running it prints (the test's own stdout is captured)
    assert "Beautiful is better than ugly" not in done.stdout + done.stderr
    assert done.returncode == 2 and "the source of this (" in done.stderr and "Traceback" not in done.stderr


def test_the_source_read_is_what_inspect_reads_from_the_imported_module() -> None:
    import importlib
    import inspect

    sys.path.insert(0, str(ROOT / "examples"))
    try:
        example = importlib.import_module("torch_char_lstm")
    finally:
        sys.path.remove(str(ROOT / "examples"))
    for name in ("textwrap", "shlex", "string", "os", "os.path", "json", "stat"):  # os and stat: frozen in 3.11
        assert example.module_source(name) == inspect.getsource(importlib.import_module(name)), name


def test_module_names_that_name_no_source_file_are_one_line(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    for name, words in (("no_such_module_xyz", "no module named 'no_such_module_xyz'"),
                        ("sys", "'sys' has no Python source to read (a built-in or compiled module)"),
                        ("..x", "no module named '..x'"),
                        ("json.nothing_here", "no module named 'json.nothing_here'"),
                        ("math.x", "no module named 'math.x'")):
        done = _run(["--modules", name, "--out", "out"], tmp_path)
        assert done.returncode == 2, (name, done.stderr)
        assert done.stderr.strip().splitlines()[-1].endswith(words), (name, done.stderr)
        assert "Traceback" not in done.stderr


def test_an_empty_out_is_refused_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    done = _run(["--steps", "1", "--out", ""], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].endswith("argument --out: expected a folder, got an empty name")
    assert list(tmp_path.iterdir()) == []
