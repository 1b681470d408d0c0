"""A loop of symbolic links as a file or folder to save, load, draw or read is named (hostile26).

The OS reports a loop (``a -> b``, ``b -> a``) only as ``OSError: [Errno 40] Too many levels of symbolic
links: 'a'``; pathlib reads it as "does not exist", so a save into ``a/x.json`` said "folder a does not
exist" and a picture there failed in mkdir with "FileExistsError: File exists: 'a'". Each error now says
which path, which part of it loops, and that it is a loop, and is still an OSError (errno ELOOP).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nn
import viz
from autograd import Value
from autograd.path_errors import SymlinkLoopError
from lecture.corpus import load_text_file
from nn.serialization import load, save

ROOT = Path(__file__).resolve().parent.parent
LOOP_WORDS = "a loop of symbolic links"


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """``tmp_path/a -> b -> a``."""
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    return tmp_path / "a"


def _check(err: BaseException, path: Path, culprit: Path) -> None:
    assert isinstance(err, OSError) and err.errno == errno.ELOOP
    message = str(err)
    assert str(path) in message and LOOP_WORDS in message, message
    if culprit != path:
        assert f"its folder {culprit} is {LOOP_WORDS}" in message, message


@pytest.mark.parametrize("inside", [False, True])
def test_save_and_load_name_the_loop(loop: Path, inside: bool) -> None:
    path = loop / "model.json" if inside else loop
    model = nn.MLP(2, [2, 1])
    with pytest.raises(SymlinkLoopError) as saved:
        save(model, path)
    _check(saved.value, path, loop)
    assert "cannot save to" in str(saved.value) and "does not exist" not in str(saved.value)
    with pytest.raises(SymlinkLoopError) as loaded:
        load(model, path)
    _check(loaded.value, path, loop)
    assert sorted(p.name for p in loop.parent.iterdir()) == ["a", "b"]  # no temporary file left


def test_save_through_a_good_link_still_writes_the_file_it_points_to(tmp_path: Path) -> None:
    os.symlink("real.json", tmp_path / "link.json")
    model = nn.MLP(2, [2, 1])
    save(model, tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "real.json").is_file()


@pytest.mark.parametrize("inside", [False, True])
def test_picture_writes_name_the_loop(loop: Path, inside: bool) -> None:
    graph = viz.draw_graph(Value(2.0) * Value(3.0))
    path = loop / "g" if inside else loop
    with pytest.raises(SymlinkLoopError) as saved:
        graph.save(path)
    _check(saved.value, path, loop)
    if inside:  # render_to_file writes path.dot: its folder loops (was FileExistsError from mkdir)
        with pytest.raises(SymlinkLoopError) as rendered:
            viz.render_to_file(graph.source, path)
        _check(rendered.value, path.with_suffix(".dot"), loop)
    assert sorted(p.name for p in loop.parent.iterdir()) == ["a", "b"]


def test_a_text_file_that_loops_is_named(loop: Path) -> None:
    with pytest.raises(ValueError, match=f"cannot read text file '{loop}': it is {LOOP_WORDS}"):
        load_text_file(loop)
    with pytest.raises(ValueError, match=f"its folder {loop} is {LOOP_WORDS}"):
        load_text_file(loop / "corpus.txt")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "PATH": "",
                               "MPLBACKEND": "Agg"},
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("args", "culprit"), [
    (["demo.py", "worked-example", "--out", "a"], "it is"),
    (["demo.py", "worked-example", "--out", "a/pictures"], "its folder a is"),
    (["demo.py", "lstm", "--epochs", "1", "--text", "a", "--out", "out"], "it is"),
    (["examples/draw_a_graph.py", "--out", "a/graph"], "its folder a is"),
    (["examples/draw_3_4_2.py", "a/pictures"], "its folder a is"),
    (["examples/torch_style_training.py", "--epochs", "1", "--out", "a"], "it is"),
    (["examples/torch_style_training.py", "--epochs", "1", "--out", "a/c.json"], "its folder a is"),
])
def test_command_lines_name_the_loop_before_any_work(loop: Path, args: list[str], culprit: str) -> None:
    done = _run([str(ROOT / args[0]), *args[1:]], loop.parent)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"{culprit} {LOOP_WORDS}" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "does not exist" not in done.stderr
    assert "epoch" not in done.stdout
    assert sorted(p.name for p in loop.parent.iterdir()) == ["a", "b"]


def test_torch_char_lstm_names_the_loop(loop: Path) -> None:
    pytest.importorskip("torch")
    done = _run([str(ROOT / "examples" / "torch_char_lstm.py"), "--steps", "1", "--out", "a"], loop.parent)
    assert done.returncode == 2, done.stderr
    assert f"cannot use --out a: it is {LOOP_WORDS}" in done.stderr and "File exists" not in done.stderr
