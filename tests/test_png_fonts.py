"""PNG text is sans-serif like the SVG's: Graphviz writes font-family="Helvetica,sans-Serif", and resvg (the
PNG rasteriser without system Graphviz) took "sans-Serif" for a font's name, found none and drew serif text.
"""

from __future__ import annotations

import pytest

from viz.render import generic_families_lowercased, sans_serif_family, svg_to_png

TEXT_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="30"><text x="4" y="20" font-size="14"'
            ' font-family="{family}">data 0.7864 dE/da1</text></svg>')


def test_generic_families_are_lowercased_and_font_names_kept() -> None:
    assert generic_families_lowercased('<text font-family="Helvetica,sans-Serif">') == (
        '<text font-family="Helvetica,sans-serif">')
    styled = "<text style=\"font-size: 10px; font-family: 'DejaVu Serif', Sans-Serif; text-anchor: middle\">"
    assert generic_families_lowercased(styled) == (
        "<text style=\"font-size: 10px; font-family: 'DejaVu Serif', sans-serif; text-anchor: middle\">")
    # "Serif" inside a font's own name is part of the name: resvg needs it as written.
    assert generic_families_lowercased('<text font-family="DejaVu Serif,SERIF">') == (
        '<text font-family="DejaVu Serif,serif">')


def test_graphviz_text_rasterises_in_the_machines_sans_font() -> None:
    resvg_py = pytest.importorskip("resvg_py")
    family = sans_serif_family()
    if family is None:
        pytest.skip("no sans font of viz.render.SANS_FONTS is installed here")

    def direct(font: str) -> bytes:  # resvg told the font's own name: no generic family involved
        return bytes(resvg_py.svg_to_bytes(svg_string=TEXT_SVG.format(family=font), dpi=96.0, background="white"))

    ours = svg_to_png(TEXT_SVG.format(family="Helvetica,sans-Serif").encode())
    if family != "Helvetica":  # a machine with Helvetica draws it first, as the SVG asks
        assert ours == direct(family)
    assert ours != direct("serif")


def test_svg_to_png_takes_the_svg_as_text_or_bytes_and_names_anything_else() -> None:
    pytest.importorskip("resvg_py")
    svg = TEXT_SVG.format(family="Helvetica,sans-Serif")
    png = svg_to_png(svg)  # a str failed deep inside: "'str' object has no attribute 'decode'"
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png == svg_to_png(svg.encode())
    with pytest.raises(TypeError, match="svg_to_png needs the SVG as bytes or str, got int"):
        svg_to_png(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the SVG is not UTF-8 text"):
        svg_to_png(b"<svg \xff>")
