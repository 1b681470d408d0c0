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


def test_out_naming_a_python_package_is_refused_before_anything_is_written(capsys, tmp_path) -> None:
    """`--out lecture` from the checkout (the old --help example) wrote the tour into valuegrad's own package."""
    package = tmp_path / "lecture"
    package.mkdir()
    (package / "__init__.py").write_text('"""A package."""\n')
    assert demo.main(["gradients", "--out", str(package)]) == 2
    err = capsys.readouterr().err
    assert err == (f"demo.py: error: --out {str(package)!r} is a Python package (it holds __init__.py), a folder"
                   " of source code: name another folder for the pictures\n")
    assert sorted(p.name for p in package.iterdir()) == ["__init__.py"]


def test_the_help_examples_name_no_folder_of_the_checkout(capsys) -> None:
    """Each `--out` of --help's examples, run from the checkout as the README says, is a new folder."""
    with pytest.raises(SystemExit):
        demo.main(["--help"])
    help_text = capsys.readouterr().out
    examples = help_text.split("\nexamples:\n", 1)[1].splitlines()
    outs = [line.split("--out ", 1)[1].split()[0] for line in examples if "--out " in line]
    assert outs, "--help has no example with --out"
    root = os.path.dirname(os.path.abspath(demo.__file__))
    assert [out for out in outs if os.path.exists(os.path.join(root, out))] == []
