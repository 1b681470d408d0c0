"""Texts to train character models on: built in (no download) or read from a file, checked."""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
from pathlib import Path

from autograd.path_errors import link_loop_reason

# The passage the slides use for char-rnn's "quote detection cell" (Tolstoy, War and Peace,
# public domain translation): it gives the default text quotations to track.
WAR_AND_PEACE_QUOTES = (
    '"You mean to imply that I have nothing to eat out of.... On the contrary, I can supply you'
    ' with everything even if you want to give dinner parties," warmly replied Chichagov, who'
    " tried by every word he spoke to prove his own rectitude and therefore imagined Kutuzov to"
    " be animated by the same desire.\n\nKutuzov, shrugging his shoulders, replied with his subtle"
    ' penetrating smile: "I meant merely to say what I said."\n'
)


def zen_of_python() -> str:
    """The Zen of Python, decoded from the standard library's `this` module (ROT13 there)."""
    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints the poem
        import this
    return codecs.decode(this.s, "rot13") + "\n"


def default_text() -> str:
    """The demo's LSTM text: the Zen of Python, then the slides' War and Peace quotations."""
    return zen_of_python() + "\n" + WAR_AND_PEACE_QUOTES


def load_text_file(path: str | os.PathLike[str], max_bytes: int = 5_000_000) -> str:
    """Read a UTF-8 text file to train on; ValueError naming the problem otherwise.

    Refuses a missing or unreadable file, anything but a regular file (a
    folder, a device such as /dev/zero, a FIFO or socket), an empty file, a
    binary file (NUL bytes), text that is not UTF-8, and files over
    ``max_bytes``. At most ``max_bytes + 1`` bytes are ever read, so a file
    growing while it is read cannot exhaust memory.
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
        raise TypeError(f"load_text_file: max_bytes must be a whole number of bytes, got {type(max_bytes).__name__}")
    if max_bytes < 1:
        raise ValueError(f"load_text_file: max_bytes must be at least 1, got {max_bytes}")
    p = Path(path)
    data = _read_regular_file(p, max_bytes)
    if not data.strip():
        raise ValueError(f"text file {str(p)!r} is empty")
    if b"\x00" in data:
        raise ValueError(f"text file {str(p)!r} looks binary (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"text file {str(p)!r} is not UTF-8 text (byte {err.start})") from None
    if len(set(text)) < 2:
        raise ValueError(f"text file {str(p)!r} needs at least two different characters")
    return text


def _read_regular_file(p: Path, max_bytes: int) -> bytes:
    """The bytes of regular file ``p`` (at most ``max_bytes``); ValueError for anything else."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever. The type is
        # checked on the opened descriptor, so the file cannot be swapped after the check.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValueError(f"text file {str(p)!r} does not exist") from None
    except OSError as err:
        # The OS's "Too many levels of symbolic links" says neither that it is a loop nor which part loops.
        reason = link_loop_reason(p) or err.strerror or err
        raise ValueError(f"cannot read text file {str(p)!r}: {reason}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ValueError(f"text file {str(p)!r} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ValueError(f"text file {str(p)!r} is not a regular file (a device, FIFO or socket)")
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as err:
        raise ValueError(f"cannot read text file {str(p)!r}: {err.strerror or err}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ValueError(f"text file {str(p)!r} is over the {max_bytes}-byte limit")
    return data
