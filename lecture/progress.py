"""A progress bar for the training loops' ``progress(step, loss)`` callback (tqdm when installed)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, what: str, quiet: bool = False) -> Iterator[Callable[[int, float], None]]:
    """A callback that advances a tqdm bar of ``total`` steps (nothing when ``quiet`` or tqdm is missing)."""
    bar = None
    if not quiet:
        try:
            from tqdm import tqdm

            # disable=None: no bar when stdout is not a terminal (logs, pipes, CI).
            bar = tqdm(total=total, desc=f"  {what}", unit="step", leave=False, file=sys.stdout, disable=None)
        except ImportError:
            bar = None

    def update(step: int, loss: float) -> None:
        if bar is not None:
            bar.update(1)
            if step % 10 == 0:
                bar.set_postfix(loss=f"{loss:.4f}")

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
