"""A tape's generated source, kept compressed: readable by tracebacks, small in memory.

Generated code is repetitive text (``gv12 = gv15 * (1.0 - v12 * v12)``), so
zlib shrinks it about tenfold; kept as plain lines in `linecache` it cost
more memory than the compiled function itself (about 220 bytes per op node,
measured). `CompressedLines` stands in for linecache's list of lines and
unpacks the text only when a traceback, debugger or `Tape.source` reads it.
"""

from __future__ import annotations

import linecache
import zlib
from collections.abc import Iterator, Sequence
from typing import overload


class CompressedLines(Sequence[str]):
    """The lines of a text (each with its newline), stored compressed and unpacked on each read."""

    __slots__ = ("_packed", "_count")

    def __init__(self, text: str) -> None:
        """Compress ``text``."""
        self._packed = zlib.compress(text.encode(), 1)  # level 1: fast, and still about 10x on generated code
        self._count = text.count("\n") + (0 if text.endswith("\n") or not text else 1)

    @property
    def text(self) -> str:
        """The whole text."""
        return zlib.decompress(self._packed).decode()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self.text.splitlines(keepends=True)[index]

    def __iter__(self) -> Iterator[str]:
        return iter(self.text.splitlines(keepends=True))


def register_compressed(filename: str, lines: CompressedLines) -> None:
    """Let tracebacks and debuggers read ``lines`` as the source of code compiled under ``filename``."""
    # mtime None marks an entry that linecache.checkcache must keep (there is no file to re-check).
    linecache.cache[filename] = (len(lines), None, lines, filename)  # type: ignore[assignment]
