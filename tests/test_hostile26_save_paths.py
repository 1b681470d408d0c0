"""Saves and pictures name the file the user asked for, not our hidden temporary file (hostile26).

Before: ``save(model, "/proc/x.json")`` failed with "No such file or directory: '/proc/.x.json.valuegrad-
<pid>-<hex>.tmp'" (the temporary name; the examples' command lines were fixed in round 25, the library was
not), a picture there likewise; a 256-byte file name was pathlib's bare "OSError: [Errno 36] File name too
long" quoting the whole path; a state file whose "optimizer" is null was "is for 'NoneType', not Adam".
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

import nn
import viz
from autograd import Value
from autograd.path_errors import NameTooLongError
from nn.serialization import load, save

NO_NEW_FILES = Path("/proc")  # Linux's process table: a folder even root cannot make a file in


@pytest.mark.skipif(not (NO_NEW_FILES / "self").exists(), reason="needs Linux's /proc")
def test_save_into_a_folder_that_takes_no_files_names_the_target() -> None:
    target = NO_NEW_FILES / "model.json"
    with pytest.raises(OSError) as info:
        save(nn.MLP(2, [2, 1]), target)
    message = str(info.value)
    assert f"cannot save to {target}: folder /proc takes no new files" in message, message
    assert ".tmp" not in message and "valuegrad-" not in message


@pytest.mark.skipif(not (NO_NEW_FILES / "self").exists(), reason="needs Linux's /proc")
def test_a_picture_in_a_folder_that_takes_no_files_names_the_picture() -> None:
    graph = viz.draw_graph(Value(2.0) * Value(3.0))
    with pytest.raises(OSError) as info:
        viz.render_to_file(graph.source, NO_NEW_FILES / "graph")
    assert "cannot write /proc/graph.dot: folder /proc takes no new files" in str(info.value)
    assert ".tmp" not in str(info.value)


def test_a_name_too_long_for_the_file_system_is_named(tmp_path: Path) -> None:
    long_name = "w" * 251 + ".json"  # 256 bytes: one past the usual limit
    model = nn.MLP(2, [2, 1])
    for call in (lambda: save(model, tmp_path / long_name), lambda: load(model, tmp_path / long_name)):
        with pytest.raises(NameTooLongError) as info:
            call()
        assert info.value.errno == errno.ENAMETOOLONG
        assert "is 256 bytes, longer than the file system's limit of 255 bytes a name" in str(info.value)
    graph = viz.draw_graph(Value(2.0) * Value(3.0))
    with pytest.raises(NameTooLongError, match="is 256 bytes, longer than"):
        graph.save(tmp_path / ("g" * 252 + ".dot"))
    assert list(tmp_path.iterdir()) == []


def test_a_null_optimizer_entry_is_named(tmp_path: Path) -> None:
    model = nn.MLP(2, [2, 1])
    optimizer = nn.Adam(model.parameters(), lr=0.01)
    path = save(model, tmp_path / "m.json", optimizer)
    document = json.loads(path.read_text())
    document["optimizer"] = None
    path.write_text(json.dumps(document))
    with pytest.raises(TypeError, match='"optimizer" must be a dict .*got NoneType None'):
        load(model, path, optimizer)
