"""bench/bench_record.py without PyTorch shows its two torch columns as a dash with a note (it printed "nan ms")."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench_record(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    monkeypatch.setitem(sys.modules, "torch", None)  # "import torch" now raises ImportError, as where it is absent
    module = importlib.import_module("bench_record")
    yield module
    sys.modules.pop("bench_record", None)


def test_a_missing_torch_is_a_dash_and_a_note_not_nan(bench_record) -> None:
    row = bench_record.sequence_row("W3 tiny", "rnn", 3, 1)
    assert len(row) == 9 and row[-2:] == ("\u2014", "\u2014")
    assert not any("nan" in cell for cell in row)
    assert row[6].endswith(" ms") and float(row[6].split()[0]) > 0  # valuegrad's own columns are still measured
    assert bench_record.torch_missing_note() == (
        '- torch is not installed (pip install -e ".[torch]"): its two columns show \u2014')
