"""--quiet still says when pictures or charts were skipped (on Python 3.10 without Graphviz it said nothing)."""

from __future__ import annotations

import builtins

import demo
import viz.render as render_module


def no_graphviz(source: str, format: str = "svg") -> bytes:
    raise render_module.RenderError("pictures need Graphviz on Python 3.10: install it")


def test_quiet_names_the_skipped_pictures_on_stderr(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render_module, "render_source", no_graphviz)
    monkeypatch.setattr("viz.step_through.render_source", no_graphviz)
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert "agrees" not in out  # still quiet about the tables
    assert err.count("demo.py: note: graph pictures skipped, DOT sources kept: pictures need Graphviz") == 1
    assert "graph pictures skipped" in (tmp_path / "worked_example_report.txt").read_text(encoding="utf-8")


def test_quiet_names_a_skipped_chart_on_stderr(capsys, tmp_path, monkeypatch) -> None:
    real_import = builtins.__import__

    def without_matplotlib(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_matplotlib)
    assert demo.main(["mlp", "--out", str(tmp_path), "--quiet", "--epochs", "3"]) == 0
    _, err = capsys.readouterr()
    assert 'demo.py: note: chart skipped: charts need matplotlib: pip install "valuegrad[plot]"' in err


def test_without_quiet_the_note_stays_on_stdout_once(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render_module, "render_source", no_graphviz)
    monkeypatch.setattr("viz.step_through.render_source", no_graphviz)
    assert demo.main(["worked-example", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.count("graph pictures skipped, DOT sources kept") == 1 and "graph pictures skipped" not in err
