"""A first run's index.html describes every file as this run's: the .dot sources were called an earlier run's."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import needs_svg

import demo


def index_entries(folder: Path) -> dict[str, str]:
    """Each file index.html links, with the description written after it."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    return dict(re.findall(r'<li><a href="([^"]+)">[^<]*</a> - ([^<]*)</li>', page))


@needs_svg
def test_a_first_run_calls_none_of_its_files_an_earlier_runs(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    entries = index_entries(tmp_path)
    on_disk = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".") and p.name != "index.html"}
    assert set(entries) == on_disk  # every file this run wrote is linked, the .dot sources included
    assert not [name for name, text in entries.items() if "earlier run" in text]
    assert entries["worked_example_row1.dot"] == "the Graphviz (DOT) source of worked_example_row1.svg"
    assert entries["worked_example_batch.dot"] == "the Graphviz (DOT) source of worked_example_batch.svg"


@needs_svg
def test_a_second_run_of_another_part_still_names_the_first_runs_files(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    assert demo.main(["gradients", "--out", str(tmp_path), "--quiet"]) == 0
    entries = index_entries(tmp_path)
    assert entries["worked_example_row1.svg"] == "written by an earlier run of demo.py"
    assert entries["gradients_dE_dw1_1_1.dot"] == "the Graphviz (DOT) source of gradients_dE_dw1_1_1.svg"
