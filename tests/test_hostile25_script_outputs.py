"""The example scripts' output names, checked before any work (round 25).

draw_3_4_2.py took its NAME unchecked: ``''`` and a name in a missing folder ended in tracebacks (ValueError from
render_to_file, FileNotFoundError from mkdir). A folder that takes no new files (``/proc``) failed only when the
file was written, after torch_style_training.py had trained, naming the hidden temporary file
(``/proc/.x.json.valuegrad-...tmp``); ``--out ''`` was called "'' is a folder".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_NO_NEW_FILES = Path("/proc")  # Linux's process table: a folder even root cannot make a file in


def _run(script: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "examples" / script), *args], cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("name", "message"), [
    ("", "argument name: expected a file name such as 3-4-2, got ''"),
    ("missing/x", "argument name: folder missing does not exist"),
    ("notes/x", "argument name: notes is a file, not a folder"),
    ("folder", "argument name: expected a file name such as 3-4-2, got 'folder', a folder"),
])
def test_draw_3_4_2_names_a_bad_picture_name_in_one_line(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes").write_text("mine\n")
    done = _run("draw_3_4_2.py", [name], tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes"]
    assert (tmp_path / "notes").read_text() == "mine\n"


@pytest.mark.skipif(not (_NO_NEW_FILES / "self").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize(("script", "args"), [
    ("draw_3_4_2.py", [str(_NO_NEW_FILES / "pictures")]),
    ("draw_a_graph.py", ["--out", str(_NO_NEW_FILES / "graph")]),
    ("torch_style_training.py", ["--epochs", "1", "--out", str(_NO_NEW_FILES / "classifier.json")]),
])
def test_a_folder_that_takes_no_files_is_refused_before_any_work(tmp_path: Path, script: str,
                                                                 args: list[str]) -> None:
    done = _run(script, args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"cannot write '{args[-1]}': folder '/proc' takes no new files" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and ".tmp" not in done.stderr
    assert "epoch" not in done.stdout  # refused before training


def test_an_empty_checkpoint_name_is_not_called_a_folder(tmp_path: Path) -> None:
    done = _run("torch_style_training.py", ["--epochs", "1", "--out", ""], tmp_path)
    assert done.returncode == 2
    assert "argument --out: expected a file name such as classifier.json, got ''" in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_char_rnn_refuses_a_text_too_long_to_train_on_in_one_pass(tmp_path: Path) -> None:
    # each step is one backward pass through the whole string: 20,000 characters took 17 s and 440 MB a step, so
    # a 100,000-character argument trained for hours at the default 150 steps
    done = _run("char_rnn.py", ["--steps", "1", "ab" * 50_000], tmp_path)
    assert done.returncode == 2
    assert "argument text: expected a text of at most 1,000 characters" in done.stderr, done.stderr
    assert "got 100,000" in done.stderr and "Traceback" not in done.stderr
    short = _run("char_rnn.py", ["--steps", "1", "ab" * 500], tmp_path)  # 1,000 characters: still taken
    assert short.returncode == 0, short.stderr
