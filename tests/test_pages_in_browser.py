"""The step-through page in a real headless Chromium (Debian's chromium + chromium-driver)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lecture.slide_names import mlp_names
from lecture.slides_mlp import worked_example
from viz import step_through_page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
webdriver = pytest.importorskip("selenium.webdriver", reason="the browser tests need selenium (valuegrad[test])")
pytestmark = pytest.mark.skipif(not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
                                reason="Debian's chromium and chromium-driver are not installed")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    ex = worked_example()
    page = step_through_page(ex.row.E, parameters=ex.row_model.parameters(), names=mlp_names(ex.row_model, ex.row.E))
    path = tmp_path_factory.mktemp("page") / "step.html"
    path.write_text(page, encoding="utf-8")
    frames = json.loads(re.search(r"const frames = (.*?);\nconst nodes", page, flags=re.S).group(1))
    return path, frames


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def _frame(driver) -> int:  # type: ignore[no-untyped-def]
    return int(driver.find_element("id", "counter").text.split(" / ")[0])


def _current_node(driver) -> str | None:  # type: ignore[no-untyped-def]
    return driver.execute_script('const g = document.querySelector("g.current"); return g && g.dataset.node;')


def test_page_loads_without_errors_and_steps_one_frame(browser, page_file) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    path, frames = page_file
    browser.get(path.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert _frame(browser) == 0 and _current_node(browser) == frames[0]["node"]
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT)
    assert _frame(browser) == 1 and _current_node(browser) == frames[1]["node"] != frames[0]["node"]
    # Every frame outlines the node its caption is about (the node's first text line is its name).
    name_of_current = 'return document.querySelector("g.current text").textContent;'
    for k in range(2, len(frames)):
        body.send_keys(Keys.ARROW_RIGHT)
        assert _frame(browser) == k
        shown = browser.execute_script(name_of_current)
        assert frames[k]["lines"][0].startswith(f"dE/d{shown} = ") or shown.startswith("data "), (k, shown)
    browser.get(path.as_uri() + "#1")
    browser.refresh()
    body = browser.find_element("tag name", "body")
    # Click the slider (it takes focus), then arrows: each press is exactly one frame.
    slider = browser.find_element("id", "slider")
    ActionChains(browser).click(slider).perform()
    clicked = _frame(browser)
    slider.send_keys(Keys.ARROW_RIGHT)
    assert _frame(browser) == clicked + 1
    slider.send_keys(Keys.ARROW_LEFT)
    slider.send_keys(Keys.ARROW_LEFT)
    assert _frame(browser) == clicked - 1
    # The picture is laid out once: the node boxes (their outlines, not the changing text) stay put.
    where = ('return [...document.querySelectorAll("g.node")].map(g => {'
             ' const s = g.querySelector("path, polygon, ellipse"); if (!s) return "";'
             ' const b = s.getBBox(); return [b.x, b.y, b.width].join(); });')
    before = browser.execute_script(where)
    body.send_keys(Keys.ARROW_RIGHT)
    assert browser.execute_script(where) == before
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    browser.save_screenshot(str(path.with_suffix(".png")))
