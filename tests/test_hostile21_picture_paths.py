"""Hostile input, round 21: pictures and charts name a file name that is none (None, a number, bytes, a NUL).

They failed inside pathlib ("expected str, bytes or os.PathLike object, not NoneType", "argument should be a
str object or an os.PathLike object returning str, not <class 'bytes'>") or posixpath ("embedded null byte").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd import Value
from viz import draw_graph, render_to_file
from viz.charts import loss_curve


@pytest.mark.parametrize(("path", "shown"), [(None, "NoneType None"), (3, "int 3"), (b"graph", "bytes b'graph'")])
def test_a_file_name_that_is_none_is_a_type_error_naming_the_call(path: object, shown: str) -> None:
    picture = draw_graph(Value(1.0) * 2.0)
    for who, call in (("save_picture", lambda: picture.save_picture(path)),  # type: ignore[arg-type]
                      ("render_to_file", lambda: render_to_file(picture, path)),  # type: ignore[arg-type]
                      ("chart", lambda: loss_curve([1.0, 0.5], path))):  # type: ignore[arg-type]
        with pytest.raises(TypeError) as caught:
            call()
        assert str(caught.value) == f"{who}: the file name must be a str or os.PathLike, got {shown}"


def test_a_nul_in_a_file_name_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    picture = draw_graph(Value(1.0) * 2.0)
    with pytest.raises(ValueError, match=r"^save_picture: the file name .* contains a NUL character"):
        picture.save_picture(str(tmp_path / "a\0b"))
    with pytest.raises(ValueError, match=r"^chart: the file name .* contains a NUL character"):
        loss_curve([1.0, 0.5], str(tmp_path / "a\0b.png"))
    assert list(tmp_path.iterdir()) == []
