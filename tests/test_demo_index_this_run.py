"""A first run's index.html describes every file as this run's: the .dot sources were called an earlier run's.

The .dot sources are linked by their .dot.txt copies: Chromium downloaded a linked .dot (new-user trial 26)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import needs_svg

import demo


def index_entries(folder: Path) -> dict[str, str]:
    """Each file index.html links, with the description written after it."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<li><a href="([^"]+)">[^<]*</a> - ([^<]*)</li>', page)
    return {name: html.unescape(text) for name, text in found}


@needs_svg
def test_a_first_run_calls_none_of_its_files_an_earlier_runs(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    entries = index_entries(tmp_path)
    on_disk = {p.name for p in tmp_path.iterdir() if not p.name.startswith(".") and p.name != "index.html"}
    # Every file this run wrote is linked, the .dot sources by their .dot.txt copies (a browser shows those).
    assert set(entries) == on_disk - {"worked_example_row1.dot", "worked_example_batch.dot"}
    assert not [name for name, text in entries.items() if "earlier run" in text]
    for name in ("worked_example_row1", "worked_example_batch"):
        assert entries[f"{name}.dot.txt"] == (f"the Graphviz (DOT) source of {name}.svg, as text to read in the"
                                              f" browser ({name}.dot holds the same, for Graphviz's tools)")
        assert (tmp_path / f"{name}.dot.txt").read_bytes() == (tmp_path / f"{name}.dot").read_bytes()


@needs_svg
def test_a_second_run_of_another_part_still_names_the_first_runs_files(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    assert demo.main(["gradients", "--out", str(tmp_path), "--quiet"]) == 0
    entries = index_entries(tmp_path)
    assert entries["worked_example_row1.svg"] == "written by an earlier run of demo.py"
    assert entries["gradients_dE_dw1_1_1.dot.txt"].startswith("the Graphviz (DOT) source of gradients_dE_dw1_1_1.svg")
    assert entries["worked_example_row1.dot.txt"] == "written by an earlier run of demo.py"
    assert "worked_example_row1.dot" not in entries and "gradients_dE_dw1_1_1.dot" not in entries
