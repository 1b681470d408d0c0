"""The tour's output folder: created and checked up front, and never overwriting a file it did not make.

A manifest in the folder lists the files earlier tours wrote there; a file
with one of the tour's names that is not in the manifest is the user's, so
the tour stops with a `UsageError` instead of writing over it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viz import RenderError

MANIFEST = ".valuegrad-demo-files.json"  # names of the files earlier tours made in the folder


class UsageError(Exception):
    """A problem with the user's arguments or files, which the user can fix (the CLI prints it as one line)."""


class OutputFolder:
    """A folder the tour writes into, and the files it made there (part, relative name, description)."""

    def __init__(self, path: Path, picture_format: str = "svg", say: Callable[[str], None] = print) -> None:
        """Create ``path`` if needed and check it can be written; UsageError otherwise. Existing files stay.

        Pictures and charts are written as ``picture_format``; ``say`` tells the user what was skipped.
        """
        self.path = path
        self.format = picture_format
        self.say = say
        self.made: list[tuple[str, str, str]] = []
        self.told_no_renderer = False
        try:
            path.mkdir(parents=True, exist_ok=True)
            probe = path / ".valuegrad-write-test"
            probe.write_text("ok", encoding="utf-8")
            probe.unlink()
        except OSError as err:
            raise UsageError(f"cannot write to output folder {str(path)!r}: {err.strerror or err}") from None

    def claim(self, *names: str) -> None:
        """Refuse (UsageError) to overwrite a file here that an earlier tour did not make; else note the names."""
        manifest = self.path / MANIFEST
        try:
            ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.exists() else set()
        except (OSError, ValueError):
            ours = set()
        for name in names:
            if (self.path / name).exists() and name not in ours:
                raise UsageError(f"{self.path / name} already exists and was not made by demo.py:"
                                 " move it or choose another --out")
        manifest.write_text(json.dumps(sorted(ours | set(names)), indent=0), encoding="utf-8")

    def record(self, part: str, path: Path, description: str) -> Path:
        """Remember a file made for ``part`` (for the index page); returns ``path``."""
        self.made.append((part, path.relative_to(self.path).as_posix(), description))
        return path

    def write_text(self, name: str, content: str) -> Path:
        """Claim ``name`` and write ``content`` to it as UTF-8; returns its path."""
        self.claim(name)
        path = self.path / name
        path.write_text(content, encoding="utf-8")
        return path

    def picture(self, part: str, graph: Any, name: str, description: str) -> None:
        """Render a `viz` graph picture (its .dot source is always written too).

        Without any Graphviz an SVG falls back to the DOT source (said once); PNG/PDF then are a UsageError.
        """
        self.claim(f"{name}.dot", f"{name}.{self.format}")
        try:
            path = Path(graph.save_picture(str(self.path / name), self.format))
        except RenderError as err:
            if self.format != "svg":
                raise UsageError(str(err)) from None
            self.no_renderer(err)
            path = self.path / f"{name}.dot"
            description += " (DOT source: no Graphviz to draw it here)"
        self.record(part, path, description)

    def no_renderer(self, err: Exception) -> None:
        """Tell once that pictures are skipped, and why."""
        if not self.told_no_renderer:
            self.say(f"  (graph pictures skipped, DOT sources kept: {err})")
            self.told_no_renderer = True

    def chart(self, part: str, draw: Callable[[Path], Path], name: str, description: str) -> None:
        """Draw a matplotlib chart with ``draw(path)``, or say how to get matplotlib."""
        self.claim(f"{name}.{self.format}")
        try:
            self.record(part, draw(self.path / f"{name}.{self.format}"), description)
        except ImportError as err:
            self.say(f"  (chart skipped: {err})")

    def page(self, part: str, name: str, content: str | Callable[[], str], description: str) -> None:
        """Write an HTML page made for ``part``: ``content``, or what ``content()`` makes.

        A page whose making needs Graphviz (``content()`` raising RenderError) is skipped, said once.
        """
        if callable(content):
            try:
                content = content()
            except RenderError as err:
                self.no_renderer(err)
                return
        self.record(part, self.write_text(name, content), description)
