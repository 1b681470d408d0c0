"""Each part's printed tables and numbers are also written to out/<part>_report.txt, --quiet or not."""

from __future__ import annotations

import math

import pytest
from conftest import needs_svg

import demo
from lecture.tour_files import REPORTS, tour_files


def test_every_part_has_a_report_name_checked_before_the_tour_runs() -> None:
    assert set(REPORTS) == set(demo.PARTS)
    assert "gradients_report.txt" in tour_files(["gradients"], "svg")
    assert "worked_example_report.txt" in tour_files(["worked-example"], "png")


@needs_svg
def test_quiet_gradients_still_writes_the_newton_and_hessian_tables(capsys, tmp_path) -> None:
    assert demo.main(["gradients", "--out", str(tmp_path), "--quiet"]) == 0
    quiet_out = capsys.readouterr().out
    report = (tmp_path / "gradients_report.txt").read_text(encoding="utf-8")
    assert "Newton" not in quiet_out
    # Newton's last iterate is ln 2 to the last digit; the Hessian's engine and difference columns agree.
    assert f"{math.log(2.0):.16f}" in report
    hessian_row = next(line for line in report.splitlines() if line.split()[:1] == ["w1[1,1]"] and "|" in line
                       and len(line.split()) == 6)  # "w1[1,1]  engine engine | differences differences"
    engine, differences = (float(hessian_row.split()[k]) for k in (1, 4))
    assert engine == pytest.approx(differences, abs=1e-8)
    assert 'href="gradients_report.txt"' in (tmp_path / "index.html").read_text(encoding="utf-8")

    # Without --quiet, the report is exactly what the part printed.
    assert demo.main(["gradients", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert (tmp_path / "gradients_report.txt").read_text(encoding="utf-8").strip() in printed


@needs_svg
def test_worked_example_report_has_the_slides_comparison(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    report = (tmp_path / "worked_example_report.txt").read_text(encoding="utf-8")
    assert "32 of 38 slide numbers agree; 6 differ" in report
    # what a lecturer reads first (the data row and the rules) and last (the one-row tables' zeros explained)
    assert report.startswith("== 1.") and "x = (1, 4, 5), targets y = (0.1, 0.05)" in report.splitlines()[1]
    assert report.count("placeholders") == 2 and "none is 0 for row 1" in report


def test_a_users_file_with_a_report_name_stops_the_tour_untouched(capsys, tmp_path) -> None:
    (tmp_path / "gradients_report.txt").write_text("my notes")
    assert demo.main(["gradients", "--out", str(tmp_path)]) == 2
    assert "gradients_report.txt already exists and was not made by demo.py" in capsys.readouterr().err
    assert (tmp_path / "gradients_report.txt").read_text() == "my notes"
