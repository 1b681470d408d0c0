"""What a trained cell tracks: a text coloured by one unit's value, and a ranking of units.

char-rnn's pictures colour each character of a text by one hidden or cell
unit's activation in [-1, 1] (its "quote detection cell", its "line length
tracking cell"). `text_heatmap_page` makes that picture as a self-contained
HTML page; `rank_units` finds, among all units, the ones that best track a
per-character signal (`inside_quotes`, `position_in_line`), so such cells are
found in a trained model rather than picked by hand.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping, Sequence

from .arguments import shown
from .finite import finite_numbers

#: The two colour forms `relative_luminance` reads: ``rgb(r,g,b)`` with channels 0..255, ``#rgb`` or ``#rrggbb``.
_RGB = re.compile(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)")
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def _text(who: str, what: str, x: object) -> str:
    """``x`` if it is a str, else a TypeError naming ``who``'s argument ``what`` and what came."""
    if not isinstance(x, str):
        raise TypeError(f"{who}: {what} must be a str, got {type(x).__name__} {shown(x)}")
    return x


def _number_list(who: str, what: str, xs: object) -> list[object]:
    """``xs`` (a list, tuple, numpy array or generator of numbers) as a list, or a TypeError naming ``what``.

    The entries are checked by `finite_numbers`; a string, a mapping or a bare number is no sequence of numbers.
    """
    if isinstance(xs, (str, bytes, Mapping)) or not isinstance(xs, Iterable) or getattr(xs, "ndim", 1) == 0:
        raise TypeError(f"{who}: {what} must be a sequence of numbers, got {type(xs).__name__} {shown(xs)}")
    return list(xs)


def inside_quotes(text: str, quote: str = '"') -> list[float]:
    """1.0 for characters inside a quotation (both its quote marks included), else 0.0."""
    _text("inside_quotes", "text", text)
    if not isinstance(quote, str) or len(quote) != 1:
        raise ValueError(f"inside_quotes: quote must be one character, got {shown(quote)}")
    signal, inside = [], False
    for ch in text:
        if ch == quote:
            inside = not inside
            signal.append(1.0)
        else:
            signal.append(1.0 if inside else 0.0)
    return signal


def position_in_line(text: str) -> list[float]:
    """Each character's column: 0 after a newline, counting up along the line."""
    _text("position_in_line", "text", text)
    signal, column = [], 0
    for ch in text:
        signal.append(float(column))
        column = 0 if ch == "\n" else column + 1
    return signal


def _unit_scaled(xs: list[float]) -> list[float]:
    """``xs`` divided by its largest magnitude (unchanged when all are 0)."""
    largest = max(map(abs, xs))
    return [x / largest for x in xs] if largest else xs


def correlation(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson correlation of two equally long sequences; 0.0 when either is constant."""
    xs, ys = _number_list("correlation", "xs", xs), _number_list("correlation", "ys", ys)  # type: ignore[assignment]
    if len(xs) != len(ys) or len(xs) < 2:
        raise ValueError(f"correlation needs two sequences of equal length >= 2, got {len(xs)} and {len(ys)}")
    n = len(xs)
    # Scaled to at most 1 in size first (r does not change): squared deviations of 1e308 overflowed.
    xs, ys = _unit_scaled(finite_numbers(xs, "xs[{}]")), _unit_scaled(finite_numbers(ys, "ys[{}]"))
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0.0 or syy == 0.0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def rank_units(activations: Sequence[Sequence[float]], signal: Sequence[float]) -> list[tuple[int, float]]:
    """Units ordered by how well they track ``signal``: [(unit, correlation)], best |r| first.

    ``activations[t][u]`` is unit u's value at character t; at least two time steps, for a correlation.
    """
    rows = _number_list("rank_units", "activations", activations)
    signal = _number_list("rank_units", "signal", signal)  # type: ignore[assignment]
    activations = [_number_list("rank_units", f"activations[{t}]", row) for t, row in enumerate(rows)]  # type: ignore[misc]
    if len(activations) != len(signal):
        raise ValueError(f"rank_units: {len(activations)} time steps of activations but a signal of {len(signal)}")
    if len(activations) < 2:  # refused here, not by `correlation`, whose words named neither argument
        raise ValueError(f"rank_units needs at least 2 time steps (a correlation over time), got {len(activations)}")
    units = len(activations[0])
    for t, row in enumerate(activations):
        if len(row) != units:
            raise ValueError(f"rank_units: activations[{t}] has {len(row)} units, activations[0] {units}")
    scores = [(u, correlation([a[u] for a in activations], signal)) for u in range(units)]
    return sorted(scores, key=lambda item: (-abs(item[1]), item[0]))


#: The strongest fill: at |value| = 1 the background is this far from white (0..1), so it stays a tint.
MAX_TINT = 0.75


def _colour(value: float) -> str:
    """-1 -> blue, 0 -> white, +1 -> red (char-rnn's palette), capped at `MAX_TINT` so text stays legible."""
    v = max(-1.0, min(1.0, value))
    level = round(255 * (1 - MAX_TINT * abs(v)))
    return f"rgb(255,{level},{level})" if v > 0 else f"rgb({level},{level},255)"


def _text_colour(value: float) -> str:
    """Black on light fills, white on the dark ones: whichever has the higher contrast (WCAG) with the fill."""
    background = relative_luminance(_colour(value))
    return "#000" if (background + 0.05) / 0.05 >= 1.05 / (background + 0.05) else "#fff"


def relative_luminance(rgb: str) -> float:
    """WCAG 2 relative luminance of a colour written ``rgb(r,g,b)`` or ``#rrggbb`` / ``#rgb``."""
    _text("relative_luminance", "the colour", rgb)
    hex_form, rgb_form = _HEX.fullmatch(rgb.strip()), _RGB.fullmatch(rgb.strip())
    if hex_form:
        digits = hex_form.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    elif rgb_form and all(int(c) <= 255 for c in rgb_form.groups()):
        channels = [int(c) for c in rgb_form.groups()]
    else:
        raise ValueError(f"relative_luminance: {shown(rgb)} is no colour written rgb(r,g,b) (0..255) or #rrggbb/#rgb")

    def linear(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; 4.5 is the minimum for body text)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_heatmap_html(text: str, values: Sequence[float], caption: str = "", note: str = "") -> str:
    """One block of ``text`` with each character's background set by ``values`` (clamped to [-1, 1]).

    ``caption`` is the block's heading, ``note`` a paragraph under it (what was measured, how to read it).
    """
    _text("text_heatmap_html", "text", text)
    values = _number_list("text_heatmap_html", "values", values)  # type: ignore[assignment]
    _text("text_heatmap_html", "caption", caption)
    _text("text_heatmap_html", "note", note)
    if len(values) != len(text):
        raise ValueError(f"text has {len(text)} characters but {len(values)} values")
    values = finite_numbers(values, "value {}")
    spans = []
    for ch, v in zip(text, values):
        shown = "↵\n" if ch == "\n" else html.escape(ch)
        spans.append(f'<span style="background:{_colour(v)};color:{_text_colour(v)}" title="{v:+.3f}">{shown}</span>')
    head = f"<h2>{html.escape(caption)}</h2>\n" if caption else ""
    if note:
        head += f"<p>{html.escape(note)}</p>\n"
    return f'{head}<pre class="heat">{"".join(spans)}</pre>'


def text_heatmap_page(title: str, blocks: Sequence[str], intro: str = "") -> str:
    """A self-contained page holding heat-map blocks from `text_heatmap_html`, after an ``intro`` paragraph."""
    _text("text_heatmap_page", "title", title)
    _text("text_heatmap_page", "intro", intro)
    if isinstance(blocks, str) or not isinstance(blocks, Iterable):
        # A str would be joined character by character: a page of its letters, one per line.
        raise TypeError(f"text_heatmap_page: blocks must be a list of str (from text_heatmap_html), "
                        f"got {type(blocks).__name__} {shown(blocks)}")
    blocks = list(blocks)
    for i, block in enumerate(blocks):
        _text("text_heatmap_page", f"blocks[{i}]", block)
    body = "\n".join(blocks)
    if intro:
        body = f"<p>{html.escape(intro)}</p>\n{body}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
pre.heat {{ font-family: ui-monospace, monospace; font-size: 14px; line-height: 1.5; white-space: pre-wrap; }}
/* each band reaches below the baseline, so an underscore in white text stays on its colour */
pre.heat span {{ padding: .1em 0 .25em; }}
.legend span {{ padding: 0 .6em; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="legend">unit value: <span style="background:{_colour(-1)};color:{_text_colour(-1)}">-1</span><span
style="background:{_colour(0)};color:{_text_colour(0)}">0</span><span
style="background:{_colour(1)};color:{_text_colour(1)}">+1</span>
(hover a character for its value)</p>
{body}
</body></html>
"""
