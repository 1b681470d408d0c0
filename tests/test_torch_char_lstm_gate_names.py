"""examples/torch_char_lstm.py's one-step picture names the LSTM's gates as the slides do (f, i, g, o, the
cell c and tanh(c), numbered with the step drawn); its numbers obey the LSTM's equations, checked here with
math.tanh and the 4-decimal figures the picture prints. Before, only h and c had names: a PyTorch user could
not tell the four gate chains apart (new-user trial 26)."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

ROOT = Path(__file__).resolve().parent.parent
SMALLEST = ["--modules", "shlex", "--hidden", "3", "--steps", "2", "--batch", "2", "--seq-len", "8",
            "--snippet", "40"]


def _run_example(out: Path) -> str:
    spec = importlib.util.spec_from_file_location("torch_char_lstm_names", ROOT / "examples" / "torch_char_lstm.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([*SMALLEST, "--out", str(out)]) == 0
    return (out / "step_graph.dot").read_text(encoding="utf-8")


def test_the_step_picture_names_every_gate_and_its_numbers_obey_the_lstm_equations(tmp_path) -> None:
    dot = _run_example(tmp_path / "pictures")
    # A label may hold an escaped quote (the character read: h_27[0] after reading '\"').
    labels = re.findall(r'label="((?:[^"\\]|\\[^n])*)\\ndata (-?[0-9.]+)', dot)
    data = {name: float(value) for name, value in labels}
    root = next(name for name in data if "after reading" in name)
    t, unit = re.match(r"h_(\d+)\[(\d+)\] after reading", root).groups()
    step = f"_{t}[{unit}]"
    for gate in ("f", "i", "g", "o"):
        assert f"{gate}{step}" in data and f"z{gate}{step}" in data, (gate, sorted(data))
    c_prev = data[f"c_{int(t) - 1}[{unit}]"]
    f, i, g, o = (data[f"{gate}{step}"] for gate in ("f", "i", "g", "o"))
    c = data[f"c{step}"]
    # Each printed figure is rounded to 4 decimals: the products carry at most a few 1e-4 of that rounding.
    assert c == pytest.approx(f * c_prev + i * g, abs=5e-4)
    assert data[f"tanh(c{step})"] == pytest.approx(math.tanh(c), abs=2e-4)
    assert data[root] == pytest.approx(o * math.tanh(c), abs=3e-4)
    for gate in ("f", "i", "o"):
        assert data[f"{gate}{step}"] == pytest.approx(1 / (1 + math.exp(-data[f"z{gate}{step}"])), abs=2e-4)
    assert g == pytest.approx(math.tanh(data[f"zg{step}"]), abs=2e-4)
