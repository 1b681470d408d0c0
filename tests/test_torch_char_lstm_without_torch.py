"""examples/torch_char_lstm.py where PyTorch is not installed: `--help` still shows the options, then the
one line saying torch is missing (it printed only that line, new-user trial 26 on a fresh venv without the
[torch] extra), a bad option is still named, and a run ends in that one line with status 1, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run the example with torch made unimportable, as in a venv without it: `import torch` then raises
# ModuleNotFoundError naming torch, exactly what a missing package raises.
WITHOUT_TORCH = ("import runpy, sys; sys.modules['torch'] = None; sys.argv = [sys.argv[1], *sys.argv[2:]];"
                 " runpy.run_path(sys.argv[0], run_name='__main__')")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", WITHOUT_TORCH, str(ROOT / "examples" / "torch_char_lstm.py"), *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120)


def test_help_works_without_torch(tmp_path) -> None:
    done = _run("--help", cwd=tmp_path)
    assert done.stdout.startswith("usage: torch_char_lstm.py") and "--hidden HIDDEN" in done.stdout
    # ... and then, as tests/test_command_line_help.py asks, the one line saying a run cannot go on here.
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and 'pip install -e ".[torch]"' in done.stderr


def test_a_bad_option_is_named_without_torch(tmp_path) -> None:
    done = _run("--hidden", "0", cwd=tmp_path)
    assert done.returncode == 2 and "--hidden must be at least 1, got 0" in done.stderr


def test_a_run_without_torch_is_one_line_and_status_1(tmp_path) -> None:
    done = _run(cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "torch_char_lstm.py trains in PyTorch, which is not installed here: pip install -e \".[torch]\""
        " (or pip install torch) in this environment, then run it again"]
    assert not list(tmp_path.iterdir())  # nothing written
