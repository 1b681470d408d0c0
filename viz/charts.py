"""Charts: a loss curve and the vanishing-gradient picture, drawn with matplotlib.

matplotlib is an optional extra (``pip install "valuegrad[plot]"``); without
it these functions raise an ImportError that says so.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is the optional 'plot' extra
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from .arguments import check_switch, file_path, shown
from .file_writing import write_atomically
from .finite import chart_numbers
from .render import FORMATS, refuse_special_files


def _pyplot() -> ModuleType:
    try:
        import matplotlib
    except ImportError:
        raise ImportError('charts need matplotlib: pip install "valuegrad[plot]"') from None
    matplotlib.use("Agg")  # files only: no window, works on a machine with no screen
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "valuegrad"  # stable ids: same chart, same file
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def _save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    out = file_path("chart", path)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"chart file must end in one of {', '.join('.' + f for f in FORMATS)}, got {shown(out.name)}")
    refuse_special_files(out)
    write_atomically(out, lambda temporary: fig.savefig(temporary, format=fmt, bbox_inches="tight",
                                                        metadata={"Date": None} if fmt == "svg" else None))
    return out


def loss_curve(losses: Sequence[float], path: str | os.PathLike[str], title: str = "Training loss",
               log_scale: bool = True, ylabel: str = "loss", mean_over: int = 0, xlabel: str = "step") -> Path:
    """Plot loss against step and save it to ``path`` (.svg, .png or .pdf); see `loss_figure`."""
    fig = loss_figure(losses, title, log_scale, ylabel, mean_over, xlabel)
    try:
        return _save(fig, path)
    finally:
        _pyplot().close(fig)


#: Below this many decades a log axis is labelled with plain numbers (1, 2, 3, 4), not 4×10^0.
PLAIN_LABEL_DECADES = 2.0


def loss_figure(losses: Sequence[float], title: str = "Training loss", log_scale: bool = True,
                ylabel: str = "loss", mean_over: int = 0, xlabel: str = "step") -> Figure:
    """The loss-against-step figure `loss_curve` saves; close it (``matplotlib.pyplot.close``) when done.

    A log y-axis (when asked and every loss is positive) spanning less than
    `PLAIN_LABEL_DECADES` decades gets plain tick labels: a loss from 4.2 to
    1.1 reads 1, 2, 3, 4 rather than 10^0, 2×10^0, 3×10^0, 4×10^0.
    ``mean_over`` (2 or more) draws over a noisy loss its mean over the last
    that many steps, from the step where that many exist: its ends are the
    means of the first and of the last ``mean_over`` steps. ``xlabel`` names
    the x axis ("epoch" for a full-batch loop, whose every step is an epoch).
    """
    check_switch("loss_figure", "log_scale", log_scale)
    # `not losses` failed on a numpy array as "truth value of an array ... is ambiguous", None was "no losses",
    # and a set was drawn in no fixed order.
    if (isinstance(losses, (str, bytes, Mapping, set, frozenset)) or not isinstance(losses, Iterable)
            or getattr(losses, "ndim", 1) != 1):
        raise TypeError(f"losses must be a sequence of numbers, one per step, got {type(losses).__name__} "
                        f"{shown(losses)}")
    losses = list(losses)
    if not losses:
        raise ValueError("no losses to plot")
    if isinstance(mean_over, bool) or not isinstance(mean_over, int) or mean_over < 0 or mean_over == 1:
        raise ValueError(f"mean_over must be 0 (no mean) or a whole number of steps from 2, got {shown(mean_over)}")
    losses = chart_numbers(losses, "loss {}")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    if mean_over and len(losses) >= mean_over:
        ax.plot(range(1, len(losses) + 1), losses, color="#a5d8ff", linewidth=0.8, label="each step")
        means = [sum(losses[k - mean_over:k]) / mean_over for k in range(mean_over, len(losses) + 1)]
        ax.plot(range(mean_over, len(losses) + 1), means, color="#1971c2", linewidth=2.0,
                label=f"mean of the last {mean_over} steps")
        ax.legend(loc="upper right", fontsize=8)
    else:
        ax.plot(range(1, len(losses) + 1), losses, color="#1971c2")
    if log_scale and min(losses) > 0:
        ax.set_yscale("log")
        if math.log10(max(losses) / min(losses)) < PLAIN_LABEL_DECADES:
            _plain_log_ticks(ax, min(losses), max(losses))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    return fig


def _plain_log_ticks(ax: Axes, low: float, high: float) -> None:
    """Ticks at 1, 2, 5 x 10^k (or every digit, or linear steps for a narrow range), labelled as plain numbers."""
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

    def inside(subs: tuple[float, ...]) -> int:
        return sum(1 for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
                   for s in subs if low <= s * 10.0**k <= high)

    locator: LogLocator | MaxNLocator
    for subs in ((1.0, 2.0, 5.0), tuple(float(d) for d in range(1, 10))):
        if inside(subs) >= 3:
            locator = LogLocator(base=10.0, subs=subs)
            break
    else:  # under a factor of ~2.5: evenly spaced round numbers read best
        locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    ax.yaxis.set_major_locator(locator)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_locator(NullLocator())


def _check_series(steps: Sequence[int], norms: Mapping[str, Sequence[float]]) -> None:
    """TypeError or ValueError naming what matplotlib would fail on deep inside, draw as a gap, or leave off the
    log axis: steps that are no numbers, series of another length, NaN, infinite or negative norms."""
    if not chart_numbers(steps, "step {}"):
        raise ValueError("no steps to plot")
    if not isinstance(norms, Mapping):
        raise TypeError(f"norms must be a mapping of cell kind to values, got {type(norms).__name__}")
    for kind, values in norms.items():
        numbers = chart_numbers(values, f"norms[{shown(kind)}] {{}}")
        if len(numbers) != len(steps):
            raise ValueError(f"norms[{shown(kind)}] has {len(numbers)} values for {len(steps)} steps")
        for i, x in enumerate(numbers):
            if x < 0:
                raise ValueError(f"norms[{shown(kind)}] {i} is {shown(x)}: a norm is >= 0")


def vanishing_gradient_chart(steps: Sequence[int], norms: Mapping[str, Sequence[float]],
                             path: str | os.PathLike[str]) -> Path:
    """||dL/dh_t|| against time step t, one line per cell kind, log scale."""
    _check_series(steps, norms)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 3.6))
    names = {"rnn": "vanilla RNN", "lstm": "LSTM"}
    for kind, values in norms.items():
        ax.plot(steps, values, marker="o", markersize=3, label=names.get(kind, kind))
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the loss is at the last step)")
    ax.set_ylabel("gradient norm reaching h_t")
    ax.set_title("Vanishing gradients: how far back the error signal reaches")
    ax.legend()
    ax.grid(alpha=0.3)
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)


def _check_maps(maps: Mapping[str, Sequence[Sequence[float | None]]]) -> None:
    """TypeError or ValueError naming a connectivity entry matplotlib would fail on deep inside ("'>' not supported
    between instances of 'str' and 'int'", "inhomogeneous shape", "cannot convert float infinity to integer") or
    silently leave blank (NaN, a negative size), before any figure is opened."""
    if not isinstance(maps, Mapping):
        raise TypeError(f"maps must be a mapping of cell kind to rows of sizes, got {type(maps).__name__}")
    if not maps:
        raise ValueError("no connectivity maps to draw")
    positive = False
    for kind, grid in maps.items():
        if isinstance(grid, (str, bytes)) or not isinstance(grid, Sequence) or not grid:
            raise TypeError(f"maps[{shown(kind)}] must be a non-empty sequence of rows, got {type(grid).__name__} "
                            f"{shown(grid)}")
        for t, row in enumerate(grid, start=1):
            if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
                raise TypeError(f"maps[{shown(kind)}] row {t} must be a sequence of sizes, got {type(row).__name__}")
            if len(row) != len(grid[0]):
                raise ValueError(f"maps[{shown(kind)}] row {t} has {len(row)} entries, row 1 has {len(grid[0])}")
            sizes = chart_numbers((0.0 if v is None else v for v in row), f"maps[{shown(kind)}] row {t} entry {{}}")
            for k, x in enumerate(sizes):
                if x < 0:
                    raise ValueError(f"maps[{shown(kind)}] row {t} entry {k} is {shown(x)}: a size is >= 0")
                positive = positive or x > 0
    if not positive:
        raise ValueError("every connectivity value is zero or missing: nothing to draw on a log scale")


def gradient_reach_figure(steps: Sequence[int], norms: Mapping[str, Sequence[float]],
                          maps: Mapping[str, Sequence[Sequence[float | None]]], path: str | os.PathLike[str]) -> Path:
    """The vanishing-gradient chart with, beside it, one connectivity heat map per cell kind.

    ``maps[kind][t - 1][k - 1]`` is the size of d(loss at t)/d(input at k), None where k > t; drawn on one
    shared log colour scale so the RNN and the LSTM compare directly.
    """
    _check_series(steps, norms)
    _check_maps(maps)
    plt = _pyplot()
    from matplotlib.colors import LogNorm

    names = {"rnn": "vanilla RNN", "lstm": "LSTM"}
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(1, 1 + len(maps), figsize=(6.5 + 5 * len(maps), 4.6),
                             gridspec_kw={"width_ratios": [1.3] + [1.0] * len(maps)})
    ax = axes[0]
    for kind, values in norms.items():
        ax.plot(steps, values, marker="o", markersize=3, label=names.get(kind, kind))
    ax.set_yscale("log")
    ax.set_xlabel("time step t (the loss is at the last step)")
    ax.set_ylabel("gradient norm reaching h_t")
    ax.set_title("Vanishing gradients: how far back the error reaches")
    ax.legend()
    ax.grid(alpha=0.3)
    values = [v for grid in maps.values() for row in grid for v in row if v is not None and v > 0]
    norm = LogNorm(vmin=max(min(values), max(values) * 1e-12), vmax=max(values))
    image = None
    for ax, (kind, grid) in zip(axes[1:], maps.items()):
        masked = [[float("nan") if v is None or v <= 0 else v for v in row] for row in grid]
        image = ax.imshow(masked, origin="lower", cmap="viridis", norm=norm, interpolation="nearest",
                          extent=(0.5, len(grid[0]) + 0.5, 0.5, len(grid) + 0.5))
        ax.set_xlabel("input step k")
        ax.set_ylabel("loss step t")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(f"{names.get(kind, kind)}: |d loss_t / d input_k|")
    fig.colorbar(image, ax=list(axes[1:]), label="|d loss_t / d input_k|, log scale (blank: k > t)")
    try:
        return _save(fig, path)
    finally:
        plt.close(fig)
