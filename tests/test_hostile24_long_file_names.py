"""Hostile input, round 24: a long file name that the file system accepts is saved and drawn to.

A save or picture is written to a temporary name beside the target first, ".<name>.<token>.tmp" (a save's
token also holds the process id); for a valid name of some 220 to 255 bytes that temporary name passed the
255-byte limit most file systems set, and ``save`` / ``render_to_file`` failed with "File name too long"
naming a file the user never asked for, though ``open(name, "w")`` (and ``torch.save``) write it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import needs_svg

import nn
from autograd import Value
from viz import draw_graph
from viz.file_writing import write_bytes_atomically


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


@pytest.mark.parametrize("extra", [0, 5])
def test_save_and_load_under_the_longest_name_the_folder_allows(tmp_path: Path, extra: int) -> None:
    limit = _name_max(tmp_path)
    target = tmp_path / ("m" * (limit - 5 - extra) + ".json")
    with open(target, "w"):  # the file system itself takes this name
        pass
    model = nn.Linear(2, 1, seed=0)
    nn.serialization.save(model, target)
    other = nn.Linear(2, 1, seed=1)
    nn.serialization.load(other, target)
    assert [p.data for p in other.parameters()] == [p.data for p in model.parameters()]
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left behind


def test_two_long_names_sharing_a_start_keep_their_own_temporary_files(tmp_path: Path) -> None:
    """The temporary name of a long target holds a hash of the whole name, so the orphan sweep of one save
    never takes another target's file for its own."""
    limit = _name_max(tmp_path)
    first = tmp_path / ("s" * (limit - 6) + "1.json")
    second = tmp_path / ("s" * (limit - 6) + "2.json")
    stray = tmp_path / f".{nn.serialization._temp_stem(second)}.valuegrad-999999999-{'0' * 12}.tmp"
    assert nn.serialization._temp_stem(first) != nn.serialization._temp_stem(second)
    stray.write_text("a dead writer's half-written file")
    nn.serialization.save(nn.Linear(1, 1, seed=0), first)
    assert stray.exists()  # another target's orphan: not this save's to remove
    nn.serialization.save(nn.Linear(1, 1, seed=0), second)
    assert not stray.exists()  # its own target's orphan (pid 999999999 is no process): removed


def test_a_short_name_keeps_its_temporary_name_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    assert nn.serialization._temp_stem(target) == "model.json"


def test_write_bytes_atomically_under_the_longest_name(tmp_path: Path) -> None:
    target = tmp_path / ("é" * ((_name_max(tmp_path) - 4) // 2) + ".dot")  # two bytes a character
    assert len(os.fsencode(target.name)) > 240
    target.write_bytes(b"old")
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@needs_svg
def test_render_to_file_under_a_long_name(tmp_path: Path) -> None:
    base = tmp_path / ("g" * (_name_max(tmp_path) - 4))
    x = Value(2.0, label="x")
    picture = draw_graph(x * x)
    from viz import render_to_file

    out = render_to_file(picture, base)
    assert out.name == base.name + ".svg"
    assert out.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [base.name + ".dot", base.name + ".svg"]
