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
from collections.abc import Sequence

from .finite import finite_numbers


def inside_quotes(text: str, quote: str = '"') -> list[float]:
    """1.0 for characters inside a quotation (the opening quote included), else 0.0."""
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

    ``activations[t][u]`` is unit u's value at character t.
    """
    if len(activations) != len(signal):
        raise ValueError(f"{len(activations)} time steps of activations but a signal of {len(signal)}")
    if not activations:
        raise ValueError("no activations to rank")
    units = len(activations[0])
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
    if rgb.startswith("#"):
        digits = rgb[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    else:
        channels = [int(c) for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")]

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
    body = "\n".join(blocks)
    if intro:
        body = f"<p>{html.escape(intro)}</p>\n{body}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
pre.heat {{ font-family: ui-monospace, monospace; font-size: 14px; line-height: 1.5; white-space: pre-wrap; }}
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
