"""--out naming something that is not a folder says what it is, in one line, and leaves it alone."""

from __future__ import annotations

import os

import pytest

import demo


def test_out_naming_a_regular_file_says_it_is_a_file(capsys, tmp_path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("the user's notes")
    assert demo.main(["gradients", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"demo.py: error: --out {str(target)!r} is a file, not a folder: name a folder for the pictures\n"
    assert "File exists" not in err
    assert target.read_text() == "the user's notes"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_out_naming_a_dangling_link_says_it_is_a_link(capsys, tmp_path) -> None:
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "nowhere")
    assert demo.main(["gradients", "--out", str(link)]) == 2
    assert "is a symbolic link, not a folder" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_out_through_a_link_to_a_folder_still_works(capsys, tmp_path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "via").symlink_to(tmp_path / "real")
    assert demo.main(["gradients", "--out", str(tmp_path / "via"), "--quiet"]) == 0
    assert (tmp_path / "real" / "gradients_report.txt").is_file()
