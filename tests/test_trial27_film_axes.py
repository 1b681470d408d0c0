"""The training film's loss curve names its axes' ends (new-user trial 27: a lecturer could not tell which
epoch or which loss a point of the bare curve was). Checked in Debian's headless chromium."""

from __future__ import annotations

import json
import re

import pytest
from headless_chromium import needs_chromium, start_chromium

from lecture.training_film import slides_mlp_film_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    driver = start_chromium()
    yield driver
    driver.quit()


def _as_js_shows(x: float) -> str:
    """x to 2 significant digits as the page's Number(x.toPrecision(2)).toString() writes it (1e-6 < x < 1e21)."""
    return f"{float(f'{x:.2g}'):g}"


def test_the_curve_names_first_and_last_epoch_and_the_largest_and_smallest_loss(browser, tmp_path) -> None:
    page = slides_mlp_film_page(epochs=40)
    frames = json.loads(re.search(r"const frames = (.*?);\nconst names", page, flags=re.S).group(1))
    path = tmp_path / "film.html"
    path.write_text(page, encoding="utf-8")
    browser.get(path.as_uri())
    text = {i: browser.execute_script(f"return document.getElementById('{i}').textContent;")
            for i in ("x-first", "x-name", "x-last", "y-high", "y-low")}
    losses = [f["loss"] for f in frames]
    # Epoch 0 is the slides' weights: E summed over the six rows is 3.24545 (the film's caption, and the
    # slides' data put through the 3-4-2 network), the largest loss of a run that only falls.
    assert losses[0] == pytest.approx(3.24545, abs=5e-6) and max(losses) == losses[0]
    assert text == {"x-first": "0", "x-name": "epoch", "x-last": "40",
                    "y-high": "3.2", "y-low": _as_js_shows(min(losses))}
    boxes = browser.execute_script(
        "const out = {}; for (const i of ['x-first', 'x-name', 'x-last', 'y-high', 'y-low', 'marker', 'losses'])"
        " { const b = document.getElementById(i).getBBox(); out[i] = [b.x, b.y, b.x + b.width, b.y + b.height]; }"
        " return out;")
    for name in ("x-first", "x-name", "x-last", "y-high", "y-low"):
        left, top, right, bottom = boxes[name]
        assert 0 <= left and right <= 520 and 0 <= top and bottom <= 180, name  # inside the curve's viewBox
    # The loss labels sit left of the curve and of the marker (drawn at frame 0, the curve's top left).
    assert boxes["y-high"][2] < boxes["marker"][0] and boxes["y-low"][2] < boxes["losses"][0]
    # The epoch labels sit below the curve.
    assert min(boxes[n][1] for n in ("x-first", "x-name", "x-last")) > boxes["losses"][3]
