"""Hostile input, round 27: picture names with a dot of their own keep it.

Before: ``render_to_file(source, "run.v1")`` wrote ``run.dot`` and ``run.svg`` (pathlib's ``with_suffix`` took
".v1" for an extension and replaced it), so ``run.v2`` then wrote over the same two files: the first picture was
lost without a word; ``loss_0.5`` became ``loss_0.svg``. Only the extensions render_to_file writes (.dot, .svg,
.png, .pdf) are taken off a name now; any other dot is part of the name, as the docstring says ("path may be
given with or without an extension"). The same holds for ``draw_graph(...).save_picture`` (it calls
render_to_file) and so for ``examples/draw_a_graph.py --out``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd import Value
from tests.conftest import needs_svg
from viz import draw_graph, render_to_file


def _source(scale: float) -> str:
    return draw_graph((Value(2.0, label="x") * scale).tanh()).source


@needs_svg
@pytest.mark.parametrize(("name", "written"), [
    ("run.v1", "run.v1"), ("loss_0.5", "loss_0.5"), ("lr_1e-3", "lr_1e-3"), ("notes.txt", "notes.txt"),
    (".hidden", ".hidden"), ("graph", "graph"), ("graph.svg", "graph"), ("graph.dot", "graph"),
    ("graph.SVG", "graph"), ("graph.v1.svg", "graph.v1"),
])
def test_only_a_picture_extension_is_taken_off_the_name(tmp_path: Path, name: str, written: str) -> None:
    out = render_to_file(_source(1.0), tmp_path / name)
    assert out == tmp_path / f"{written}.svg"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f"{written}.dot", f"{written}.svg"])
    assert out.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


@needs_svg
def test_two_versions_of_a_picture_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first = render_to_file(_source(1.0), tmp_path / "run.v1")
    second = render_to_file(_source(3.0), tmp_path / "run.v2")
    assert first != second
    assert (tmp_path / "run.v1.dot").read_text() == _source(1.0)
    assert (tmp_path / "run.v2.dot").read_text() == _source(3.0)
    assert first.read_bytes() != second.read_bytes()


@needs_svg
def test_save_picture_keeps_a_dotted_name_too(tmp_path: Path) -> None:
    picture = draw_graph(Value(1.0) * 2.0).save_picture(str(tmp_path / "epoch.10"))
    assert picture == str(tmp_path / "epoch.10.svg")
    assert (tmp_path / "epoch.10.dot").exists()
