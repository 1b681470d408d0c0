"""Writing a file into a folder without ever writing through a link or over a file someone else put there.

Every file is first written to a fresh temporary name in the same folder,
created with ``O_CREAT | O_EXCL`` (which never follows a symbolic link,
dangling or not), then moved into place: a new name with ``os.link`` (which
fails instead of replacing a file that appeared meanwhile), a name we made
earlier with ``os.replace`` (which replaces the directory entry and never
follows it). A failed or interrupted write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from autograd.path_errors import check_names_a_file

TEMPORARY_PREFIX = ".valuegrad-tmp-"
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


class NameTaken(Exception):
    """The name is held by something we may not replace; the message says what it is."""


def entry_kind(path: Path) -> str | None:
    """What ``path`` is without following a link: None (absent), "file", "link", "folder" or "other"."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "link"
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def describe_kind(kind: str) -> str:
    """Words for an `entry_kind` in an error message."""
    return {"link": "a symbolic link", "folder": "a folder", "other": "not a regular file"}.get(kind, kind)


@contextlib.contextmanager
def temporary_file(folder: Path, suffix: str = "") -> Iterator[Path]:
    """A new, empty file in ``folder`` that nothing else names; removed on exit unless moved away."""
    for _ in range(100):
        path = folder / f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}{suffix}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            os.close(os.open(path, flags, 0o666))  # 0o666: the user's umask sets the mode, as for any file
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 collisions of 64 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def publish(temporary: Path, final: Path, replace_ours: bool) -> None:
    """Move ``temporary`` to ``final``: only where nothing is, or over our own regular file if ``replace_ours``.

    Raises NameTaken when ``final`` is a link, a folder, or a file we may not replace.
    """
    kind = entry_kind(final)
    if kind is not None and not (kind == "file" and replace_ours):
        raise NameTaken(f"{final} is {describe_kind(kind)}" if kind != "file" else f"{final} already exists")
    if kind == "file":
        os.replace(temporary, final)
        return
    try:
        os.link(temporary, final, follow_symlinks=False)
    except FileExistsError:
        raise NameTaken(f"{final} appeared while demo.py ran") from None
    except OSError as err:
        if err.errno not in _NO_HARD_LINKS:
            raise
        if entry_kind(final) is not None:  # a file system without hard links: check again, then rename
            raise NameTaken(f"{final} appeared while demo.py ran") from None
        os.replace(temporary, final)


def write_file(folder: Path, name: str, write: Callable[[Path], object], replace_ours: bool) -> Path:
    """Create ``folder/name`` through a temporary file that ``write(path)`` fills; returns the final path."""
    check_names_a_file("cannot write", name)  # folder / "x.svg/" is folder/x.svg: a bug in the caller's name
    final = folder / name
    with temporary_file(folder, Path(name).suffix) as temporary:
        write(temporary)
        publish(temporary, final, replace_ours)
    return final
