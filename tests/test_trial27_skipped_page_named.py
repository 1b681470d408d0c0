"""Without Graphviz (Python 3.10, no system dot) the step-through page is named as skipped (new-user trial 27).

The tour's one note said "graph pictures skipped"; the step-through page, a page laid out by Graphviz, was
left out of the output and of index.html without a word, so a lecturer on 3.10 could not know it exists.
"""

from __future__ import annotations

from conftest import needs_svg

import demo
import viz.render as render_module


def no_graphviz(source: str, format: str = "svg") -> bytes:
    raise render_module.RenderError("pictures need Graphviz on Python 3.10: install it")


def test_the_skipped_step_through_page_is_said_and_named_in_the_index(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render_module, "render_source", no_graphviz)
    monkeypatch.setattr("viz.step_through.render_source", no_graphviz)
    assert demo.main(["worked-example", "--out", str(tmp_path)]) == 0
    out, _ = capsys.readouterr()
    assert not (tmp_path / "worked_example_step_through.html").exists()
    assert out.count("worked_example_step_through.html skipped (") == 1
    assert "laid out by Graphviz" in out
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    # Named, with why, and not linked (there is no file to open).
    assert "<li>worked_example_step_through.html - step through row 1&#x27;s backward pass" in index
    assert 'href="worked_example_step_through.html"' not in index


def test_quiet_says_it_on_stderr(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render_module, "render_source", no_graphviz)
    monkeypatch.setattr("viz.step_through.render_source", no_graphviz)
    assert demo.main(["worked-example", "--out", str(tmp_path), "--quiet"]) == 0
    _, err = capsys.readouterr()
    assert err.count("demo.py: note: worked_example_step_through.html skipped (") == 1


@needs_svg
def test_with_graphviz_the_page_is_linked_and_not_called_skipped(capsys, tmp_path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path)]) == 0
    out, _ = capsys.readouterr()
    assert "skipped" not in out
    assert 'href="worked_example_step_through.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")
