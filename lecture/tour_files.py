"""The files each part of the tour writes, so every name can be checked before any training starts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

INDEX = "index.html"
PICTURES = {  # graph pictures: NAME.dot, NAME.dot.txt (the same text, which a browser shows) and NAME.<format>
    "worked-example": ("worked_example_row1", "worked_example_batch"),
    "rnn": ("rnn_hello_unrolled", "rnn_hello_unrolled_collapsed", "rnn_sequence_shapes"),
    "lstm": ("lstm_step",),
    "gradients": ("gradients_dE_dw1_1_1",),
}
CHARTS = {  # matplotlib charts: NAME.<format>
    "mlp": ("mlp_loss",),
    "rnn": ("rnn_hello_loss",),
    "vanishing": ("vanishing_gradients",),
    "lstm": ("lstm_loss",),
    "gradients": ("gradients_tanh_derivatives",),
}
PAGES = {"worked-example": ("worked_example_step_through.html",), "mlp": ("mlp_training_film.html",),
         "rnn": ("rnn_hello_training_film.html",), "lstm": ("lstm_cells.html",)}

REPORTS = {  # what each part prints (tables, numbers), also written as text: a --quiet run keeps them too
    part: f"{part.replace('-', '_')}_report.txt"
    for part in ("worked-example", "mlp", "rnn", "vanishing", "lstm", "gradients")
}


def tour_files(parts: Iterable[str], picture_format: str) -> list[str]:
    """Every file name the given parts may write (and the index page), pictures in ``picture_format``."""
    names = []
    for part in parts:
        for name in PICTURES.get(part, ()):
            names += [f"{name}.dot", f"{name}.dot.txt", f"{name}.{picture_format}"]
        names += [f"{name}.{picture_format}" for name in CHARTS.get(part, ())]
        names += list(PAGES.get(part, ()))
        names += [REPORTS[part]] if part in REPORTS else []
    return [*names, INDEX]


def part_of_file(name: str, formats: Sequence[str]) -> str | None:
    """The part that writes the file ``name`` in one of the picture ``formats``; None for any other name."""
    for part in dict.fromkeys([*PICTURES, *CHARTS, *PAGES, *REPORTS]):
        if any(name in tour_files([part], picture_format)[:-1] for picture_format in formats):
            return part
    return None
