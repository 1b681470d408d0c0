"""The step-through page can say what its colours mean (``key=``), and the tour's page does (new-user trial 27:
it had no key at all). The red outline and the fading it names are the page's own styles."""

import re

import pytest
from conftest import needs_svg

from autograd import Value
from lecture.graph_pictures import ROW_KEY, STEP_KEY
from viz import step_through_page


def _tiny() -> Value:
    w = Value(0.5, label="w")
    out = (w * 3.0).tanh()
    out.backward()
    return out


@needs_svg
def test_the_key_is_a_line_under_the_title_shown_as_written():
    page = step_through_page(_tiny(), title="T", key="blue <b>weights</b> & more")
    assert '<h1>T</h1>\n<p id="key">blue &lt;b&gt;weights&lt;/b&gt; &amp; more</p>' in page


@needs_svg
def test_no_key_no_line():
    assert 'id="key"' not in step_through_page(_tiny())


def test_a_key_that_is_not_text_is_refused_by_name():
    with pytest.raises(TypeError, match="key must be a str, got int"):
        step_through_page(_tiny(), key=5)  # type: ignore[arg-type]


@needs_svg
def test_the_tours_key_names_the_pages_own_outline_and_fading():
    page = step_through_page(_tiny(), key=STEP_KEY)
    assert STEP_KEY.startswith(ROW_KEY)
    assert "a red outline, the node this frame gives its gradient" in STEP_KEY and "faded, a gradient not" in STEP_KEY
    outline = re.search(r"\.current path, \.current polygon \{ stroke: (#[0-9a-f]{6}); stroke-width: (\d+); \}", page)
    r, g, b = (int(outline.group(1)[i:i + 2], 16) for i in (1, 3, 5))
    assert r > 0xc0 and g < 0x60 and b < 0x60 and int(outline.group(2)) >= 3  # red, and thicker than a border
    faded = float(re.search(r"\.unknown \{ opacity: ([0-9.]+); \}", page).group(1))
    assert 0 < faded < 0.5
