"""A file name ending in a separator ("x.json/", "x.json/.") names a folder: every save refuses it, as open() does.

Before: pathlib drops the separator (``Path("x.json/")`` is ``x.json``), so ``save(model, "x.json/")``, a picture
save or a chart wrote the file ``x.json`` where ``open("x.json/", "w")`` raises IsADirectoryError. Now each raises
`autograd.path_errors.NamesAFolderError` (an IsADirectoryError) naming the path as given, and writes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import nn
from autograd import Value
from autograd.path_errors import NamesAFolderError, names_a_folder
from lecture.safe_files import write_file
from nn.serialization import load, save
from viz import draw_graph
from viz.file_writing import write_bytes_atomically
from viz.render import render_to_file

NAMES = ["out.json/", "out.json/.", "out.json//"]


def _saves(folder: Path, name: str) -> list[tuple[str, Callable[[], object]]]:
    graph = draw_graph(Value(0.5, label="x") * 2)
    where = f"{folder}{os.sep}{name}"
    return [
        ("nn.serialization.save", lambda: save(nn.Linear(1, 1), where)),
        ("nn.serialization.load", lambda: load(nn.Linear(1, 1), where)),
        ("ValueGraph.save_picture", lambda: graph.save_picture(where)),
        ("ValueGraph.save", lambda: graph.save(where)),
        ("ValueGraph.render(outfile=)", lambda: graph.render(outfile=where)),
        ("ValueGraph.render(filename)", lambda: graph.render(where)),
        ("render_to_file", lambda: render_to_file(graph.source, where)),
        ("write_bytes_atomically", lambda: write_bytes_atomically(where, b"x")),
        ("lecture write_file", lambda: write_file(folder, name, lambda p: p.write_bytes(b"x"), False)),
    ]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("which", range(9))
def test_a_name_ending_in_a_separator_is_refused(tmp_path: Path, name: str, which: int) -> None:
    if which == 1:  # a load needs a file at the name without the separator to be fooled into reading it
        save(nn.Linear(1, 1), tmp_path / "out.json")
    before = sorted(p.name for p in tmp_path.iterdir())
    what, call = _saves(tmp_path, name)[which]
    with pytest.raises(IsADirectoryError, match="names a folder, not a file") as info:
        call()
    assert isinstance(info.value, NamesAFolderError), what
    assert repr(name)[1:-1] in str(info.value), what  # the name as given, separator and all
    assert sorted(p.name for p in tmp_path.iterdir()) == before, f"{what} wrote a file"


def test_open_refuses_the_same_names(tmp_path: Path) -> None:
    # The reference behaviour: open() for writing refuses a name ending in a separator.
    with pytest.raises(IsADirectoryError), open(f"{tmp_path}{os.sep}out.json/", "w"):
        pass
    assert names_a_folder("out.json/") and names_a_folder("a/b/.")
    assert not names_a_folder("out.json") and not names_a_folder("a/..") and not names_a_folder("a.")


def test_a_chart_name_ending_in_a_separator_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from viz.charts import loss_curve

    with pytest.raises(IsADirectoryError, match=r"'.*loss\.svg/': .*names a folder, not a file"):
        loss_curve([1.0, 0.5], f"{tmp_path}{os.sep}loss.svg/")
    assert list(tmp_path.iterdir()) == []
