"""A white underscore on a heat-map band stays visible in a real headless Chromium (new-user trial 21's 3x
screenshot: the underscore sat below the band, white on the white page). The same block is drawn with '_' and
with ' ' in white text on the darkest blue fill: the underscore must change some pixels of the block, which it
cannot where it falls on the white page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from headless_chromium import needs_chromium, start_chromium

from viz.heatmap import text_heatmap_html, text_heatmap_page

Image = pytest.importorskip("PIL.Image", reason="comparing screenshots needs Pillow (matplotlib brings it)")
pytestmark = needs_chromium


def _block_pixels(driver, path: Path, text: str) -> list[tuple[int, ...]]:  # type: ignore[no-untyped-def]
    block = text_heatmap_html(text, [-1.0] * len(text))  # -1: the darkest blue, drawn in white text
    path.write_text(text_heatmap_page("underscore", [block]), encoding="utf-8")
    driver.get(path.as_uri())
    picture = Image.open(io.BytesIO(driver.find_element("css selector", "pre.heat").screenshot_as_png))
    rgb = picture.convert("RGB")
    return [rgb.getpixel((x, y)) for y in range(rgb.height) for x in range(rgb.width)]


@pytest.mark.parametrize("zoom", [1, 3])
def test_a_white_underscore_stays_on_its_band(tmp_path: Path, zoom: int) -> None:
    driver = start_chromium("800,400", [f"--force-device-scale-factor={zoom}"])
    try:
        underscored = _block_pixels(driver, tmp_path / "a.html", "a_b")
        spaced = _block_pixels(driver, tmp_path / "b.html", "a b")
    finally:
        driver.quit()
    assert len(underscored) == len(spaced)
    changed = sum(p != q for p, q in zip(underscored, spaced))
    assert changed >= 3 * zoom, f"the underscore changed {changed} pixels of the block: it is not on its band"
