"""A state file with a top-level entry `save` never writes is refused by name, as load_state_dict refuses one.

Before: ``{"format": ..., "version": 1, "model": ..., "parameters": ..., "comment": 1}`` loaded silently, and
so did a misspelt ``"optimiser"`` beside the state it was meant to carry. Version 1 files have only ever held
format, version, model, parameters and (with an optimizer) optimizer, so every file we wrote still loads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nn
from nn.serialization import load, save

# A version-1 file as the first `save` (2026-11-26) wrote it, by hand: the entries and numbers are the file's.
VERSION_1_FILE = {
    "format": "valuegrad-state",
    "version": 1,
    "model": "Linear",
    "parameters": {"W.0.0": 0.25, "W.0.1": -1.5, "b.0": 0.125},
}


def test_an_earlier_version_1_file_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(VERSION_1_FILE), encoding="utf-8")
    model = nn.Linear(2, 1)
    load(model, path)
    assert [p.data for p in model.parameters()] == [0.25, -1.5, 0.125]


@pytest.mark.parametrize("extra", ["comment", "optimiser", "parameter"])
def test_an_unknown_top_level_entry_is_refused_by_name(tmp_path: Path, extra: str) -> None:
    path = tmp_path / "extra.json"
    path.write_text(json.dumps({**VERSION_1_FILE, extra: {}}), encoding="utf-8")
    model = nn.Linear(2, 1)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=rf"unknown top-level entry '{extra}' .*holds only \"format\", \"version\", "
                                         r"\"model\", \"parameters\", \"optimizer\"") as info:
        load(model, path)
    assert str(path) in str(info.value)
    assert [p.data for p in model.parameters()] == before  # nothing assigned


def test_a_save_with_an_optimizer_writes_only_the_known_entries_and_loads(tmp_path: Path) -> None:
    model = nn.Linear(2, 1)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    path = save(model, tmp_path / "state.json", optimizer)
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    assert list(document) == ["format", "version", "model", "parameters", "optimizer"]
    fresh = nn.Linear(2, 1)
    load(fresh, path, nn.optim.SGD(fresh.parameters(), lr=0.1, momentum=0.9))
    assert [p.data for p in fresh.parameters()] == [p.data for p in model.parameters()]


def test_a_future_version_is_refused_by_its_number_before_its_entries(tmp_path: Path) -> None:
    # A later format that adds an entry says which version it is: that is the error worth reading.
    path = tmp_path / "v2.json"
    path.write_text(json.dumps({**VERSION_1_FILE, "version": 2, "buffers": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"unsupported version 2 \(this is 1\)"):
        load(nn.Linear(2, 1), path)
