"""A picture path that names no file ('', '.', '..', '/') is refused by name before anything is written.

pathlib failed deep inside for '' ("PosixPath('.') has an empty name") and wrote a file called '...dot' for '..'."""

import pytest

from autograd import Value
from viz import draw_graph, render_to_file


@pytest.mark.parametrize("path", ["", ".", "..", "/"])
def test_render_to_file_refuses_a_path_that_names_no_file(tmp_path, monkeypatch, path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with pytest.raises(ValueError, match="names no file: give a file name"):
        render_to_file(draw_graph(Value(2.0) * 3).source, path, "svg")
    assert list(tmp_path.iterdir()) == [work] and list(work.iterdir()) == []  # no '...dot' beside it either


def test_save_picture_refuses_an_empty_name_as_render_to_file_does(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="'' names no file"):
        draw_graph(Value(2.0) * 3).save_picture("")
    assert list(tmp_path.iterdir()) == []
