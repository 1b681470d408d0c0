"""Hostile input, round 29: an empty path to nn.serialization.save/load names the empty path.

``save(model, "")`` said "cannot save to .: it is a folder" and ``load(model, "")`` ".: not a regular file":
pathlib reads "" as the current folder, so the message named a path the user never gave. torch.load("")
and open("") raise FileNotFoundError for the empty name; so do ours, saying the path is empty.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nn import MLP
from nn.serialization import load, save


class _Empty:
    def __fspath__(self) -> str:
        return ""


@pytest.mark.parametrize("path", ["", _Empty()])
def test_an_empty_path_is_refused_by_name(path: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FileNotFoundError) as opened:
        open(os.fspath(path))  # type: ignore[call-overload]  # Python's own answer to the empty name
    monkeypatch.chdir(tmp_path)
    model = MLP(2, [2, 1])
    for action, call in (("save to", save), ("load", load)):
        with pytest.raises(type(opened.value), match=rf"^\[Errno 2\] cannot {action} '': the path is empty; give a "
                                                     "file name$") as caught:
            call(model, path)  # type: ignore[arg-type]
        assert caught.value.errno == opened.value.errno
    assert list(tmp_path.iterdir()) == []
