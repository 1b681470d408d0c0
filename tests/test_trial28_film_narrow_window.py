"""The training films' loss curve stays readable in a narrow window (trial 28: at 800 px the side panel shrank the
curve to about half its size, and its axis labels, 11 px in the curve's own units, to about 6 px on screen).
Below 1000 px the page stacks the network above the side panel. Checked in Debian's headless chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lecture.training_film import slides_mlp_film_page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium (valuegrad[test])")
pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
                                reason="Debian's chromium and chromium-driver are not installed")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=800,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.mark.parametrize("width", [800, 1400])
def test_the_curves_axis_labels_are_at_least_9_px_tall(browser, tmp_path, width: int) -> None:
    path = tmp_path / "film.html"
    path.write_text(slides_mlp_film_page(epochs=10), encoding="utf-8")
    browser.set_window_size(width, 900)
    browser.get(path.as_uri())
    shown, units = browser.execute_script(
        "const c = document.getElementById('curve');"
        " return [c.getBoundingClientRect().width, c.viewBox.baseVal.width];")
    size = browser.execute_script("return getComputedStyle(document.getElementById('x-name')).fontSize;")
    # The labels' font size in the curve's own units (11), times the curve's scale on screen, is the size a
    # reader sees; 9 CSS px is about the smallest text read without zooming.
    assert float(size.removesuffix("px")) * shown / units >= 9, (size, shown, units)
    # and the page does not scroll sideways
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth;")
