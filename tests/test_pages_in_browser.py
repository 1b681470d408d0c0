"""The step-through page in a real headless Chromium (Debian's chromium + chromium-driver)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import needs_svg
from headless_chromium import needs_chromium, start_chromium

from lecture.slide_names import mlp_names
from lecture.slides_mlp import worked_example
from lecture.training_film import hello_rnn_film_page, slides_mlp_film_page
from viz import step_through_page
from viz.step_through import d_of

pytestmark = needs_chromium


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
    driver = start_chromium(log_console=True)
    yield driver
    driver.quit()


def _frame(driver) -> int:  # type: ignore[no-untyped-def]
    return int(driver.find_element("id", "counter").text.split(" / ")[0])


def _current_node(driver) -> str | None:  # type: ignore[no-untyped-def]
    return driver.execute_script('const g = document.querySelector("g.current"); return g && g.dataset.node;')


@needs_svg  # the step-through page embeds the graph's SVG
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
        assert frames[k]["lines"][0].startswith(f"dE/d{d_of(shown)} = ") or shown.startswith("data "), (k, shown)
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


def _view_box(driver) -> list[float]:  # type: ignore[no-untyped-def]
    return [float(x) for x in driver.execute_script(
        'return document.querySelector("#graph svg").getAttribute("viewBox");').split()]


@needs_svg  # the step-through page embeds the graph's SVG
def test_step_through_zooms_pans_and_fits(browser, page_file) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    path, _ = page_file
    browser.get(path.as_uri())
    full = _view_box(browser)
    box = browser.find_element("id", "graph")
    # The wheel zooms about the centre: up (deltaY < 0) shows a region 1.15 times smaller.
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(box), 0, -100).perform()
    zoomed = _view_box(browser)
    assert zoomed[2] == pytest.approx(full[2] / 1.15) and zoomed[3] == pytest.approx(full[3] / 1.15)
    assert zoomed[0] + zoomed[2] / 2 == pytest.approx(full[0] + full[2] / 2)  # the centre stays
    # Dragging 100 px right moves the view left by 100 px in picture units.
    ActionChains(browser).move_to_element(box).click_and_hold().move_by_offset(100, 0).release().perform()
    panned = _view_box(browser)
    scale = zoomed[2] / browser.execute_script('return document.getElementById("graph").clientWidth;')
    assert panned[0] == pytest.approx(zoomed[0] - 100 * scale, rel=1e-6, abs=1e-6)
    assert panned[1] == pytest.approx(zoomed[1]) and panned[2:] == zoomed[2:]
    browser.find_element("id", "fit").click()
    assert _view_box(browser) == full
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


@pytest.fixture(scope="module")
def film_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    page = slides_mlp_film_page(epochs=60)
    path = tmp_path_factory.mktemp("film") / "film.html"
    path.write_text(page, encoding="utf-8")
    frames = json.loads(re.search(r"const frames = (.*?);\nconst names", page, flags=re.S).group(1))
    return path, frames


def _marker_on_curve(driver, k: int) -> bool:  # type: ignore[no-untyped-def]
    """The red marker sits on the loss curve's k-th point (the curve has one point per frame)."""
    return bool(driver.execute_script(
        "const m = document.getElementById('marker');"
        "const p = document.getElementById('losses').getAttribute('points').split(' ')[arguments[0]].split(',');"
        "return Math.abs(+m.getAttribute('cx') - +p[0]) < 1e-9 && Math.abs(+m.getAttribute('cy') - +p[1]) < 1e-9;",
        k))


def test_film_plays_pauses_steps_and_scrubs(browser, film_file) -> None:  # type: ignore[no-untyped-def]
    import time

    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    path, frames = film_file
    browser.get(path.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert _frame(browser) == 0 and _marker_on_curve(browser, 0)
    caption = browser.find_element("id", "caption").text
    assert caption == frames[0]["caption"] and caption.startswith("Epoch 0: E (summed over the 6 rows) = ")
    # Edges: colour by sign, thickness by size, frame 0's weights are the slides' w1 and w2.
    first = browser.execute_script('const e = document.getElementById("e0");'
                                   ' return [e.getAttribute("stroke"), +e.getAttribute("stroke-width")];')
    assert frames[0]["w"][0] == 0.5 and first[0] == "#1c7ed6"
    play = browser.find_element("id", "play")
    play.click()
    time.sleep(0.5)  # frames advance every 60 ms while playing
    played = _frame(browser)
    assert played > 0 and play.text == "pause"
    play.click()
    paused = _frame(browser)
    time.sleep(0.4)
    assert _frame(browser) == paused >= played and play.text == "play"
    assert _marker_on_curve(browser, paused)
    assert browser.find_element("id", "caption").text == frames[paused]["caption"]
    browser.find_element("id", "next").click()
    assert _frame(browser) == paused + 1 and _marker_on_curve(browser, paused + 1)
    browser.find_element("id", "prev").click()
    browser.find_element("id", "prev").click()
    assert _frame(browser) == paused - 1
    # Scrub: the slider's value goes to the frame, the marker and the table with it.
    slider = browser.find_element("id", "slider")
    browser.execute_script('arguments[0].value = 37; arguments[0].dispatchEvent(new Event("input"));', slider)
    assert _frame(browser) == 37 and _marker_on_curve(browser, 37)
    cell = browser.execute_script('return document.querySelector("#table tr").children[1].textContent;')
    assert cell == f"{frames[37]['w'][0]:.4f}"
    # Lines can show the gradients instead: the largest |dE/dw| of the frame is the thickest line (9.5).
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "show")).select_by_value("g")
    g = frames[37]["g"]
    top = max(range(len(g)), key=lambda k: abs(g[k]))
    line = browser.execute_script(f'const e = document.getElementById("e{top}");'
                                  ' return [e.getAttribute("stroke"), +e.getAttribute("stroke-width")];')
    assert line == ["#1c7ed6" if g[top] >= 0 else "#e03131", 9.5]
    assert "gradients" in browser.find_element("id", "key").text
    Select(browser.find_element("id", "show")).select_by_value("w")
    slider.send_keys(Keys.ARROW_RIGHT)
    assert _frame(browser) == 38
    # A click on the loss curve jumps to the frame under the pointer: its right end is the last frame.
    curve = browser.find_element("id", "curve")
    width = curve.size["width"]
    last_point = width // 2 - 2 - round(28 * width / 520)  # the curve has 28 units of padding in 520
    ActionChains(browser).move_to_element_with_offset(curve, last_point, 0).click().perform()
    assert _frame(browser) == len(frames) - 1 and _marker_on_curve(browser, len(frames) - 1)
    # Playing from the last frame starts again at 0; space pauses.
    browser.find_element("tag name", "body").send_keys(Keys.SPACE)
    time.sleep(0.3)
    browser.find_element("tag name", "body").send_keys(Keys.SPACE)
    stopped = _frame(browser)
    assert 0 < stopped < len(frames) - 1
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_rnn_film_loads_and_steps(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    path = tmp_path / "rnn_film.html"
    path.write_text(hello_rnn_film_page(steps=20), encoding="utf-8")
    browser.get(path.as_uri() + "#5")
    assert _frame(browser) == 5 and _marker_on_curve(browser, 5)
    browser.find_element("tag name", "body").send_keys(Keys.ARROW_LEFT)
    assert _frame(browser) == 4
    assert browser.find_element("id", "caption").text.startswith("Step 4: L = L_1 + ... + L_4 = ")
    assert browser.execute_script('return document.querySelectorAll("path.edge").length;') == 3 * 4 + 3 * 3 + 4 * 3
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def _hash(driver) -> str:  # type: ignore[no-untyped-def]
    return str(driver.execute_script("return location.hash;"))


@needs_svg  # the step-through page embeds the graph's SVG
def test_step_through_frame_link_follows_the_address(browser, page_file) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    path, frames = page_file
    last = len(frames) - 1
    browser.get(path.as_uri() + "#19")
    assert _frame(browser) == 19 and _current_node(browser) == frames[19]["node"]
    # The address changes after the page has loaded (a link to #7 followed, the user editing it).
    browser.execute_script("location.hash = '#7';")
    assert _frame(browser) == 7 and _current_node(browser) == frames[7]["node"]
    assert browser.find_element("id", "caption").text == frames[7]["caption"]
    # Stepping writes the frame into the address, so it can be copied as a link to what is on screen.
    browser.find_element("tag name", "body").send_keys(Keys.ARROW_RIGHT)
    assert _frame(browser) == 8 and _hash(browser) == "#8"
    browser.find_element("id", "next").click()
    assert _frame(browser) == 9 and _hash(browser) == "#9"
    slider = browser.find_element("id", "slider")
    browser.execute_script('arguments[0].value = 3; arguments[0].dispatchEvent(new Event("input"));', slider)
    assert _frame(browser) == 3 and _hash(browser) == "#3"
    # Steps replace the address instead of adding history: Back undoes the followed link (#7, now #3)
    # and returns to #19, not to frame 9, 8, ...
    browser.back()
    assert _hash(browser) == "#19" and _frame(browser) == 19
    # A #N that is no frame shows the nearest real one and corrects the address to it.
    for link, shown in (("#abc", 0), ("#999", last), ("#-1", 0), (f"#{last}", last), ("#12x", 0), ("#", 0)):
        browser.execute_script("location.hash = arguments[0];", link)
        assert (_frame(browser), _hash(browser)) == (shown, f"#{shown}"), link
    browser.get(path.as_uri() + "#999")
    assert _frame(browser) == last and _current_node(browser) == frames[last]["node"]
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_film_frame_link_follows_the_address_and_pausing_writes_it(browser, film_file) -> None:  # type: ignore[no-untyped-def]
    import time

    path, frames = film_file
    last = len(frames) - 1
    browser.get(path.as_uri() + "#5")
    assert _frame(browser) == 5 and _marker_on_curve(browser, 5)
    browser.execute_script("location.hash = '#3';")  # the address changes after loading
    assert _frame(browser) == 3 and browser.find_element("id", "caption").text == frames[3]["caption"]
    browser.find_element("id", "next").click()
    assert _frame(browser) == 4 and _hash(browser) == "#4"
    # While playing the address is left alone (a frame every 60 ms); pausing writes the frame on screen.
    play = browser.find_element("id", "play")
    play.click()
    time.sleep(0.3)
    assert _hash(browser) == "#4"
    play.click()
    paused = _frame(browser)
    assert paused > 4 and _hash(browser) == f"#{paused}"
    browser.execute_script("location.hash = '#999';")
    assert (_frame(browser), _hash(browser)) == (last, f"#{last}")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_film_table_writes_tiny_numbers_with_an_exponent(browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # After 150 steps some of the hello RNN's gradients are below 0.00005: toFixed(4) drew them "-0.0000". They
    # now read as 3.1e-6; an exact zero (the weights of 'o', never an input) still reads 0.0000.
    page = hello_rnn_film_page(steps=150)
    frames = json.loads(re.search(r"const frames = (.*?);\nconst names", page, flags=re.S).group(1))
    path = tmp_path / "rnn_film.html"
    path.write_text(page, encoding="utf-8")
    last = len(frames) - 1
    browser.get(path.as_uri() + f"#{last}")
    assert _frame(browser) == last
    cells = browser.execute_script(
        'return [...document.querySelectorAll("tbody tr")].map(r => [r.children[1].textContent,'
        " r.children[2].textContent]);")
    grads = frames[last]["g"]
    assert len(cells) == len(grads)
    tiny = 0
    for (_, shown), g in zip(cells, grads):
        assert shown != "-0.0000", g
        if g == 0:
            assert shown == "0.0000"
        elif abs(g) < 0.00005:
            tiny += 1
            assert re.fullmatch(r"-?\d\.\de-\d+", shown) and float(shown) == pytest.approx(g, rel=0.06), (shown, g)
        else:
            assert float(shown) == pytest.approx(g, abs=5.1e-5), (shown, g)
    assert tiny > 0 and any(g == 0 for g in grads)  # both cases are in this frame


@needs_svg  # the step-through page embeds the graph's SVG
def test_every_step_through_label_fits_its_box_in_every_frame(browser, page_file) -> None:  # type: ignore[no-untyped-def]
    # The graph was laid out with the final gradients ("grad 0.0020"); the page then wrote "grad not
    # computed" into boxes sized for the number, and the text ran past both sides of the box.
    path, frames = page_file
    overflow = ('return [...document.querySelectorAll("g.node")].flatMap(g => {'
                ' const s = g.querySelector("path, polygon"); if (!s) return [];'
                ' const box = s.getBBox();'
                ' return [...g.querySelectorAll("text")].filter(t => { const b = t.getBBox();'
                '   return b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5; })'
                '  .map(t => g.querySelector("title").textContent + ": " + t.textContent); });')
    for k in (0, len(frames) // 2, len(frames) - 1):
        browser.get(path.as_uri() + f"#{k}")
        assert _frame(browser) == k
        assert "grad not computed" in browser.find_element("id", "graph").text or k == len(frames) - 1
        assert browser.execute_script(overflow) == [], k
