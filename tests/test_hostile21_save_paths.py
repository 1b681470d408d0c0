"""Hostile input, round 21: `nn.serialization` names a path that is no file name, and a write the system refuses.

``save(model, None)`` and ``load(model, b"m.json")`` failed inside pathlib ("expected str, bytes or
os.PathLike object, not NoneType"), a NUL in the name with "embedded null byte" from posixpath, and a full
disk or a file-size limit with a bare "[Errno 27] File too large" naming no file. The file already there is
never touched (the write goes to a temporary file first).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP
from nn import serialization as S

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("path", "shown"), [(None, "NoneType None"), (3, "int 3"), (b"m.json", "bytes b'm.json'")])
def test_a_path_that_names_no_file_is_a_type_error(path: object, shown: str) -> None:
    model = MLP(2, [1], seed=0)
    for action, call in (("save", S.save), ("load", S.load)):
        with pytest.raises(TypeError) as caught:
            call(model, path)  # type: ignore[arg-type]
        assert str(caught.value) == f"{action}: path must be a file name (a str or os.PathLike), got {shown}"


def test_a_nul_in_the_name_is_named(tmp_path: Path) -> None:
    name = str(tmp_path / "a\0b.json")
    with pytest.raises(ValueError, match=r"^save: path .* contains a NUL character, which no file name can hold$"):
        S.save(MLP(2, [1], seed=0), name)
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGXFSZ"), reason="RLIMIT_FSIZE and SIGXFSZ are POSIX")
def test_a_write_past_the_file_size_limit_names_the_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "model.json"
    S.save(MLP(2, [1], seed=0), target)
    before = target.read_bytes()
    code = (
        "import resource, signal, sys\n"
        "from nn import MLP, serialization as S\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"  # a write past the limit fails with EFBIG instead
        "resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300))\n"
        "try:\n"
        f"    S.save(MLP(3, [40, 1], seed=1), {str(target)!r})\n"
        "except OSError as err:\n"
        "    print(type(err).__name__, err.errno, err.strerror)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"OSError 27 cannot save to {target}: File too large; the file there (if any) is "
                           "unchanged\n")
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file is gone
