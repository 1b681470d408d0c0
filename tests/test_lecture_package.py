"""`import lecture` gives its submodules by attribute, as the README's `lecture.slides_mlp....` line uses them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_readmes_one_liner_runs_after_a_plain_import_lecture() -> None:
    code = "import lecture; print(lecture.slides_mlp.worked_example_report())"
    assert "print(lecture.slides_mlp.worked_example_report())" in (ROOT / "README.md").read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "32 of 38 slide numbers agree; 6 differ" in out.stdout
    assert "E               .5932      0.5932  agrees" in out.stdout


def test_an_unknown_attribute_is_still_an_attribute_error() -> None:
    import lecture

    with pytest.raises(AttributeError, match="module 'lecture' has no attribute 'slides_mpl'"):
        lecture.slides_mpl  # noqa: B018
    assert lecture.hello_rnn.__name__ == "lecture.hello_rnn"
