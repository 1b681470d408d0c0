"""Running one part into a folder an earlier tour filled keeps the other parts' files in index.html."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import needs_svg

import demo


def links(folder: Path) -> set[str]:
    """The files index.html links."""
    return set(re.findall(r'href="([^"]+)"', (folder / "index.html").read_text(encoding="utf-8")))


@needs_svg
def test_one_part_keeps_the_earlier_parts_files_linked_and_never_a_users(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    first = links(tmp_path)
    assert {"worked_example_row1.svg", "worked_example_step_through.html", "worked_example_batch.svg"} <= first
    # A user's file with a name another part would write, and one of the tour's files the user deleted.
    (tmp_path / "lstm_loss.svg").write_text("<svg>the user's own</svg>")
    (tmp_path / "worked_example_batch.dot").unlink()

    assert demo.main(["gradients", "--out", str(tmp_path), "--quiet"]) == 0
    after = links(tmp_path)
    assert {"gradients_tanh_derivatives.svg", "gradients_dE_dw1_1_1.svg"} <= after  # this run's
    assert first - {"worked_example_batch.dot"} <= after  # the earlier run's, still on disk
    assert "worked_example_batch.dot" not in after  # gone from disk: not linked
    assert "lstm_loss.svg" not in after  # not the tour's: never linked
    assert (tmp_path / "lstm_loss.svg").read_text() == "<svg>the user's own</svg>"
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    # Parts in the tour's order: worked-example's section comes before gradients'.
    assert page.index("<h2>worked-example</h2>") < page.index("<h2>gradients</h2>")
    for name in after:
        assert (tmp_path / name).is_file(), name
