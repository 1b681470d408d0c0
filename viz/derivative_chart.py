"""A function and its successive derivatives as small multiples: one panel per derivative, each on its own y-axis.

HIPS autograd's README draws tanh and its derivatives on one chart. On one
y-axis the 6th derivative (up to |52| on -7..7) flattens tanh and derivatives
1-3 (at most 1, 1, 0.77 and 2) to nearly flat lines; one panel each, with its
own scale, shows every curve's shape and size.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .charts import _pyplot, _save
from .finite import chart_numbers

if TYPE_CHECKING:  # matplotlib is the optional 'plot' extra
    from matplotlib.figure import Figure

#: Panels per row of the grid (7 curves: two rows of 4, the last slot left empty).
PANELS_PER_ROW = 4


def _listed(what: str, values: object) -> list[Any]:
    """``values`` (a list, tuple, 1-D array or other iterable) as a list; TypeError naming ``what`` otherwise."""
    if (isinstance(values, (str, bytes, Mapping, set, frozenset)) or not isinstance(values, Iterable)
            or getattr(values, "ndim", 1) == 0):
        raise TypeError(f"derivative_curves_chart: {what} must be a sequence of numbers, got {type(values).__name__}")
    return list(values)


def derivative_curves_figure(xs: Sequence[float], curves: Sequence[Sequence[float]],
                             title: str = "tanh and its derivatives", name: str = "tanh") -> Figure:
    """The figure `derivative_curves_chart` saves: panel n plots ``curves[n]``, titled ``name^(n)``, on its own y-axis.

    The panels share the x-axis. Close the figure (``matplotlib.pyplot.close``) when done with it.
    """
    # Read as lists first: `not xs` failed on numpy arrays (tanh_derivative_curves over np.linspace, say) with
    # numpy's "truth value of an array with more than one element is ambiguous".
    xs = _listed("xs", xs)
    curves = [_listed(f"curve {n}", curve) for n, curve in enumerate(_listed("curves", curves))]
    if not xs or not curves:
        raise ValueError("derivative_curves_chart: nothing to plot (no xs or no curves)")
    xs = chart_numbers(xs, "derivative_curves_chart: x {}")
    for n, curve in enumerate(curves):
        if len(curve) != len(xs):
            raise ValueError(f"derivative_curves_chart: curve {n} has {len(curve)} values for {len(xs)} xs")
        if not all(math.isfinite(v) for v in curve):
            raise ValueError(f"derivative_curves_chart: curve {n} has a value that is not finite")
        chart_numbers(curve, f"derivative_curves_chart: curve {n} value {{}}")
    plt = _pyplot()
    columns = min(PANELS_PER_ROW, len(curves))
    rows = math.ceil(len(curves) / columns)
    fig, grid = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.1 * rows + 0.5), sharex=True, squeeze=False)
    panels = [ax for row in grid for ax in row]
    for n, (ax, curve) in enumerate(zip(panels, curves)):
        label = name if n == 0 else f"{name}^({n})"  # the n-th derivative, as the legend of HIPS autograd's picture
        ax.plot(xs, curve, linewidth=1.6, color=f"C{n % 10}")
        ax.axhline(0.0, color="#adb5bd", linewidth=0.6)
        ax.set_title(label, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in panels[len(curves):]:
        ax.set_visible(False)
    for ax in panels[len(curves) - columns:len(curves)]:
        ax.xaxis.set_tick_params(labelbottom=True)  # the bottom panel of each column carries the x labels
        ax.set_xlabel("x", fontsize=8)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def derivative_curves_chart(xs: Sequence[float], curves: Sequence[Sequence[float]], path: str | os.PathLike[str],
                            title: str = "tanh and its derivatives", name: str = "tanh") -> Path:
    """Plot ``curves[n]`` (the n-th derivative of ``name``; n = 0 the function) against ``xs``; save to ``path``.

    One panel per curve, each with its own y-axis (see `derivative_curves_figure`);
    every curve must have one finite value per x.
    """
    fig = derivative_curves_figure(xs, curves, title, name)
    try:
        return _save(fig, path)
    finally:
        _pyplot().close(fig)
