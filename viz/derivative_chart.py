"""A function and its successive derivatives as curves on one chart (HIPS autograd's tanh picture)."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from .charts import _pyplot, _save


def derivative_curves_chart(xs: Sequence[float], curves: Sequence[Sequence[float]], path: str | os.PathLike[str],
                            title: str = "tanh and its derivatives", name: str = "tanh") -> Path:
    """Plot ``curves[n]`` (the n-th derivative of ``name``; n = 0 the function) against ``xs``; save to ``path``.

    Each curve is labelled with its order in the legend; every curve must have one finite value per x.
    """
    if not xs or not curves:
        raise ValueError("derivative_curves_chart: nothing to plot (no xs or no curves)")
    for n, curve in enumerate(curves):
        if len(curve) != len(xs):
            raise ValueError(f"derivative_curves_chart: curve {n} has {len(curve)} values for {len(xs)} xs")
        if not all(math.isfinite(v) for v in curve):
            raise ValueError(f"derivative_curves_chart: curve {n} has a value that is not finite")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for n, curve in enumerate(curves):
        label = name if n == 0 else f"{name}^({n})"  # the n-th derivative, as the legend of HIPS autograd's picture
        ax.plot(xs, curve, linewidth=2.0 if n == 0 else 1.2, label=label)
    ax.set_xlabel("x")
    ax.set_title(title)
    ax.legend(ncol=2, fontsize=8)
    ax.grid(alpha=0.3)
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)
