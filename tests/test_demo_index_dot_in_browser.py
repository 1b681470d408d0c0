"""Every DOT source index.html links opens as text in a real headless Chromium (new-user trial 26: Chromium
downloaded the linked NAME.dot, the extension of a Word template, instead of showing it). Each link is followed
as a user's click would, and the page shown must be the graph's DOT source, the same text as NAME.dot."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import needs_svg
from headless_chromium import needs_chromium, start_chromium

import demo

pytestmark = needs_chromium


@needs_svg
def test_each_linked_dot_source_shows_in_the_browser(capsys, tmp_path: Path) -> None:
    assert demo.main(["worked-example", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    out = tmp_path / "out"
    sources = sorted(p.name for p in out.glob("*.dot"))
    assert sources == ["worked_example_batch.dot", "worked_example_row1.dot"]
    downloads = tmp_path / "downloads"
    driver = start_chromium("900,700", prefs={"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    try:
        driver.get((out / "index.html").as_uri())
        links = [a.get_attribute("href") for a in driver.find_elements("css selector", "a")
                 if re.search(r"\.dot(\.txt)?$", a.get_attribute("href") or "")]
        assert len(links) == len(sources), links  # one link per DOT source
        for href in links:
            driver.get(href)
            shown = driver.find_element("tag name", "body").text
            source = (out / Path(href).name.removesuffix(".txt")).read_text(encoding="utf-8")
            assert shown.startswith("digraph"), f"{href} did not open as text: {shown[:80]!r}"
            assert shown.split() == source.split(), href
    finally:
        driver.quit()
    assert not downloads.exists() or not list(downloads.iterdir())  # nothing was downloaded instead
