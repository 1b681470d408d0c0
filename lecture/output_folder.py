"""The tour's output folder: checked up front, and never touching a file the tour did not make.

A manifest in the folder lists the files earlier tours wrote there. Before
any training, `OutputFolder.reserve` checks every name the tour will write:
each must be absent, or a regular file an earlier tour made (listed in the
manifest). A user's file, a folder, or a symbolic link (even a dangling
one) with one of those names stops the tour with a `UsageError` before any
work is done. Files are written through `lecture.safe_files`, so a link
appearing later is never followed out of the folder.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from autograd.path_errors import SymlinkLoopError, check_link_loop
from viz import RenderError
from viz import render as _render

from .safe_files import NameTaken, describe_kind, entry_kind, temporary_file, write_file

MANIFEST = ".valuegrad-demo-files.json"  # names of the files earlier tours made in the folder
MANIFEST_MAX_BYTES = 1_000_000


class UsageError(Exception):
    """A problem with the user's arguments or files, which the user can fix (the CLI prints it as one line)."""


class OutputFolder:
    """A folder the tour writes into, and the files it made there (part, relative name, description)."""

    def __init__(self, path: Path, picture_format: str = "svg", say: Callable[[str], None] = print,
                 notice: Callable[[str], None] | None = None) -> None:
        """Create ``path`` if needed and check it can be written; UsageError otherwise. Existing files stay.

        Pictures and charts are written as ``picture_format``; ``say`` passes on matplotlib's notes and
        ``notice`` (default: ``say``, in brackets) tells the user what was skipped, a message without layout,
        so that a quiet command line can still show it.
        """
        if not str(path):
            raise UsageError("--out is empty: name a folder for the pictures")
        self.path = path
        self.format = picture_format
        self.say = say
        self.notice = notice if notice is not None else (lambda message: say(f"  ({message})"))
        self.made: list[tuple[str, str, str]] = []
        self.told_no_renderer = False
        # (part, name, why) of each page not made for want of Graphviz: index.html names it without a link.
        self.skipped: list[tuple[str, str, str]] = []
        self.reserved: set[str] = set()
        try:  # pathlib reads a loop as missing, and the OS's "Too many levels of symbolic links" names no part
            check_link_loop("--out", path)
        except SymlinkLoopError as err:
            raise UsageError(err.strerror) from None
        try:
            kind = entry_kind(path)
        except OSError:  # e.g. a file where a parent folder should be: mkdir below says so
            kind = None
        if kind is not None and not path.is_dir():  # a link to a folder is a folder; mkdir would say "File exists"
            what = "a file" if path.is_file() else describe_kind(kind)
            raise UsageError(f"--out {str(path)!r} is {what}, not a folder: name a folder for the pictures")
        if kind is not None and (path / "__init__.py").exists():
            # `--out lecture` run from the checkout (the old --help example) filled valuegrad's own lecture/
            # package with pictures and pages (new-user trial 24): a package folder holds code, never output
            raise UsageError(f"--out {str(path)!r} is a Python package (it holds __init__.py), a folder of"
                             " source code: name another folder for the pictures")
        try:
            path.mkdir(parents=True, exist_ok=True)
            with temporary_file(path):  # a fresh name of our own: a user's file is never touched
                pass
        except OSError as err:
            raise UsageError(f"cannot write to output folder {str(path)!r}: {err.strerror or err}") from None
        self.ours = self._read_manifest()

    def _read_manifest(self) -> set[str]:
        """Names earlier tours made here; UsageError if the manifest's name holds anything but such a list."""
        manifest = self.path / MANIFEST
        kind = entry_kind(manifest)
        if kind is None:
            return set()
        problem = f"{manifest} is not demo.py's list of files it made"
        if kind != "file":
            raise UsageError(f"{problem} ({describe_kind(kind)}): move it or choose another --out")
        try:
            with open(manifest, "rb") as file:
                raw = file.read(MANIFEST_MAX_BYTES + 1)
            names = json.loads(raw.decode("utf-8")) if len(raw) <= MANIFEST_MAX_BYTES else None
        except (OSError, ValueError) as err:
            raise UsageError(f"{problem} ({err}): move it or choose another --out") from None
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise UsageError(f"{problem} (expected a JSON list of file names): move it or choose another --out")
        return set(names)

    def reserve(self, names: Iterable[str]) -> None:
        """Check, before any work, that every name the tour will write is free or ours; UsageError otherwise."""
        for name in (*names, MANIFEST):
            path = self.path / name
            kind = entry_kind(path)
            if kind not in (None, "file"):
                raise UsageError(f"{path} is {describe_kind(kind)}: demo.py writes only regular files it made"
                                 " (never through a link); move it or choose another --out")
            if kind == "file" and name not in self.ours and name != MANIFEST:
                raise UsageError(f"{path} already exists and was not made by demo.py:"
                                 " move it or choose another --out")
            self.reserved.add(name)

    def earlier_files(self, part_of: Callable[[str], str | None]) -> list[tuple[str, str, str]]:
        """(part, name, description) of each file an earlier tour made here that is still a regular file.

        Only names in the manifest count (the tour never links a user's file), with their part from
        ``part_of`` (names it does not know are left out), and none this tour made (those are in `made`).
        """
        made_now = {name for _, name, _ in self.made}
        found = []
        for name in sorted(self.ours - made_now):
            part = part_of(name)
            if part is not None and entry_kind(self.path / name) == "file":
                found.append((part, name, "written by an earlier run of demo.py"))
        return found

    def _write(self, name: str, write: Callable[[Path], object]) -> Path:
        """Write a reserved ``name`` with ``write(temporary path)``, then list it in the manifest."""
        if name not in self.reserved:
            raise RuntimeError(f"demo.py bug: {name!r} is written but was not reserved before the tour started")
        try:
            path = write_file(self.path, name, write, replace_ours=name in self.ours)
            if name not in self.ours:
                self.ours.add(name)
                listing = json.dumps(sorted(self.ours), indent=0).encode("utf-8")
                write_file(self.path, MANIFEST, lambda p: p.write_bytes(listing),
                           replace_ours=(self.path / MANIFEST).exists())
        except NameTaken as err:
            raise UsageError(f"{err}: demo.py does not write over it; move it or choose another --out") from None
        except OSError as err:
            raise UsageError(f"cannot write {self.path / name}: {err.strerror or err}") from None
        return path

    def record(self, part: str, path: Path, description: str) -> Path:
        """Remember a file made for ``part`` (for the index page); returns ``path``."""
        self.made.append((part, path.relative_to(self.path).as_posix(), description))
        return path

    def write_text(self, name: str, content: str) -> Path:
        """Write ``content`` to the reserved ``name`` as UTF-8; returns its path."""
        data = content.encode("utf-8")
        return self._write(name, lambda p: p.write_bytes(data))

    def picture(self, part: str, graph: Any, name: str, description: str) -> None:
        """Render a `viz` graph picture (its .dot source is always written, and listed, too, with a .dot.txt copy).

        Without any Graphviz an SVG falls back to the DOT source (said once); PNG/PDF then are a UsageError.
        """
        dot = self.write_text(f"{name}.dot", graph.source)
        # The same text as NAME.dot.txt, the copy index.html links: a browser downloads a .dot file (the
        # extension of a Word template) instead of showing it (new-user trial 26), and shows a .txt.
        text = self.write_text(f"{name}.dot.txt", graph.source)
        try:
            picture = _render.render_source(graph.source, self.format)
        except RenderError as err:
            if self.format != "svg":
                raise UsageError(f"{err} (the DOT source is in {dot})") from None
            self.no_renderer(err)
            self.record(part, dot, description + " (DOT source: no Graphviz to draw it here)")
            self.record(part, text, f"{description} (DOT source as text, the same as {dot.name}: no Graphviz to"
                                    " draw it here)")
            return
        drawn = self.record(part, self._write(f"{name}.{self.format}", lambda p: p.write_bytes(picture)), description)
        # Listed as this run's: left unrecorded, the index called it "written by an earlier run".
        self.record(part, dot, f"the Graphviz (DOT) source of {drawn.name}")
        self.record(part, text, f"the Graphviz (DOT) source of {drawn.name}, as text to read in the browser "
                                f"({dot.name} holds the same, for Graphviz's tools)")

    def no_renderer(self, err: Exception) -> None:
        """Tell once that pictures are skipped, and why."""
        if not self.told_no_renderer:
            self.notice(f"graph pictures skipped, DOT sources kept: {err}")
            self.told_no_renderer = True

    def chart(self, part: str, draw: Callable[[Path], Path], name: str, description: str) -> None:
        """Draw a matplotlib chart with ``draw(path)``, or say how to get matplotlib.

        matplotlib's warnings (a cache folder it cannot write, a missing glyph) are passed on through ``say``,
        not printed on stderr.
        """
        try:
            with self.matplotlib_notes():
                path = self._write(f"{name}.{self.format}", draw)
        except ImportError as err:
            self.notice(f"chart skipped: {err}")
            return
        self.record(part, path, description)

    @contextmanager
    def matplotlib_notes(self) -> Iterator[None]:
        """Route matplotlib's log warnings and Python warnings to ``say`` while a chart is drawn."""
        relay = _SayHandler(self.say)
        logger = logging.getLogger("matplotlib")
        logger.addHandler(relay)
        propagate, logger.propagate = logger.propagate, False
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                yield
        finally:
            logger.removeHandler(relay)
            logger.propagate = propagate
        for warning in {str(w.message) for w in caught}:
            self.say(f"  (matplotlib: {warning})")

    def page(self, part: str, name: str, content: str | Callable[[], str], description: str) -> None:
        """Write an HTML page made for ``part``: ``content``, or what ``content()`` makes.

        A page whose making needs Graphviz (``content()`` raising RenderError) is skipped, said once.
        """
        if callable(content):
            try:
                content = content()
            except RenderError as err:
                self.no_renderer(err)
                # The note above says "pictures": a page (the step-through) went missing without a word (trial 27).
                why = f"{description}: not made, as it is laid out by Graphviz, which cannot run here"
                self.notice(f"{name} skipped ({why})")
                self.skipped.append((part, name, why))
                return
        self.record(part, self.write_text(name, content), description)


class _SayHandler(logging.Handler):
    """A logging handler that passes each record's message to ``say`` as a note."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        """Say the record's message, indented like the tour's other notes."""
        self.say(f"  (matplotlib: {record.getMessage()})")

