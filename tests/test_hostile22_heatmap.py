"""Hostile arguments to viz.heatmap's public functions: each refused at the door with an error naming the argument
(found by hostile21: `text_heatmap_html(None, [])` said "NoneType has no len()", `text_heatmap_page(3, [])` raised
an AttributeError from html.escape, `inside_quotes(None)` "'NoneType' object is not iterable")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from viz.heatmap import (
    contrast_ratio,
    correlation,
    inside_quotes,
    position_in_line,
    rank_units,
    relative_luminance,
    text_heatmap_html,
    text_heatmap_page,
)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: text_heatmap_html(None, []), TypeError, "text_heatmap_html: text must be a str, got NoneType"),
        (lambda: text_heatmap_html("a", None), TypeError, "values must be a sequence of numbers, got NoneType"),
        (lambda: text_heatmap_html("a", 0.5), TypeError, "values must be a sequence of numbers, got float"),
        (lambda: text_heatmap_html("a", [0.5], caption=3), TypeError, "caption must be a str, got int"),
        (lambda: text_heatmap_html("a", [0.5], note=None), TypeError, "note must be a str, got NoneType"),
        (lambda: text_heatmap_page(3, []), TypeError, "text_heatmap_page: title must be a str, got int"),
        (lambda: text_heatmap_page("t", None), TypeError, "blocks must be a list of str"),
        (lambda: text_heatmap_page("t", "<p>x</p>"), TypeError, "blocks must be a list of str"),
        (lambda: text_heatmap_page("t", [1]), TypeError, r"blocks\[0\] must be a str, got int"),
        (lambda: text_heatmap_page("t", [], intro=3), TypeError, "intro must be a str, got int"),
        (lambda: inside_quotes(None), TypeError, "inside_quotes: text must be a str, got NoneType"),
        (lambda: inside_quotes("a", None), ValueError, "quote must be one character"),
        (lambda: inside_quotes("a", "''"), ValueError, "quote must be one character"),
        (lambda: position_in_line(None), TypeError, "position_in_line: text must be a str, got NoneType"),
        (lambda: correlation(None, [1, 2]), TypeError, "correlation: xs must be a sequence of numbers"),
        (lambda: correlation([1, 2], 3), TypeError, "correlation: ys must be a sequence of numbers"),
        (lambda: rank_units(None, [1, 2]), TypeError, "rank_units: activations must be a sequence"),
        (lambda: rank_units([1, 2], [1, 2]), TypeError, r"rank_units: activations\[0\] must be a sequence"),
        (lambda: rank_units([[1, 2], [1]], [1, 2]), ValueError, r"activations\[1\] has 1 units, activations\[0\] 2"),
        (lambda: relative_luminance(None), TypeError, "relative_luminance: the colour must be a str"),
        (lambda: relative_luminance("red"), ValueError, "'red' is no colour"),
        (lambda: relative_luminance("#zzzzzz"), ValueError, "is no colour"),
        (lambda: relative_luminance("rgb(300,0,0)"), ValueError, "is no colour"),
        (lambda: contrast_ratio("#fff", 3), TypeError, "the colour must be a str, got int"),
    ],
)
def test_a_hostile_argument_is_named(call: Callable[[], Any], error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        call()


def test_generators_and_numpy_still_work() -> None:
    # Pearson r of (1, 2, 3) and (2, 4, 7): closed form 5 / sqrt(2 * 12.6667) = 0.99339926...
    assert correlation((x for x in [1, 2, 3]), np.array([2.0, 4.0, 7.0])) == pytest.approx(0.9933992677987828)
    assert "title=\"+0.500\"" in text_heatmap_html("a", (v for v in [0.5]))
    # Unit 1 follows the signal exactly, unit 0 against it.
    assert rank_units(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), [0.0, 1.0, 0.5]) == [(0, -1.0), (1, 1.0)]
    # WCAG: white on black is 21:1, the largest contrast.
    assert contrast_ratio(" #fff", "rgb(0, 0, 0)") == pytest.approx(21.0)
