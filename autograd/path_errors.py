"""Naming what is wrong with a path where the OS gives only an errno, for the files nn saves and viz draws.

A loop of symbolic links: the operating system reports one (``a -> b``, ``b -> a``) only by its
errno, ``OSError: [Errno 40] Too many levels of symbolic links: 'a'``, which names neither the call
nor which part of the path loops, and `pathlib` hides it altogether (``Path('a/x').parent.exists()``
is False, so a save said "folder a does not exist"). A name longer than the file system allows:
``OSError: [Errno 36] File name too long`` came from deep inside pathlib, quoting the whole path and
not saying which name, how long, or the limit. The engine itself writes no files: this module lives
here only because it is the one package both nn and viz may import.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class SymlinkLoopError(OSError):
    """A path (or one of its folders) is a loop of symbolic links, or a chain longer than the system follows.

    An OSError with errno ELOOP, as the bare error it replaces, so ``except OSError`` still catches it.
    """


class NamesAFolderError(IsADirectoryError):
    """A file name that ends in a path separator (``x.json/``, ``x.json/.``): it names a folder, not a file.

    An IsADirectoryError (errno EISDIR), the error ``open("x.json/", "w")`` raises: pathlib drops the trailing
    separator (``Path("x.json/")`` is ``x.json``), so a save given such a name wrote the file ``x.json``.
    """


class NameTooLongError(OSError):
    """A part of a path is longer than its file system's limit on a name (errno ENAMETOOLONG, as the OS's)."""


def check_name_length(action: str, path: str | os.PathLike[str]) -> None:
    """Raise `NameTooLongError` "``action`` ``path``: ..." naming the first part of ``path`` longer than the
    file system allows (its bytes and the limit), before anything is opened."""
    whole = Path(path)
    for part in whole.parts:
        size = len(os.fsencode(part))
        if size <= 255:  # every file system allows this much; only a longer name is worth asking about
            continue
        folder = next((p for p in whole.parents if p.is_dir()), Path("."))
        try:
            limit = os.pathconf(folder, "PC_NAME_MAX")
        except (OSError, ValueError, AttributeError):
            limit = 255
        if size > limit:
            raise NameTooLongError(errno.ENAMETOOLONG, f"{action} {_cut(str(path), 120)}: the name "
                                   f"{_cut(part, 40)!r} is {size} bytes, longer than the file system's limit of "
                                   f"{limit} bytes a name")


def names_a_folder(path: str | os.PathLike[str]) -> bool:
    """True if ``path``, as given, ends in a path separator (``x.json/``) or in a separator and ``.`` (``x.json/.``).

    Asked of the name before it becomes a `Path`, which forgets both (``Path("x.json/.")`` is ``x.json``).
    A bare ``.``, a final ``..`` and ``/`` are left to the callers: pathlib keeps those, and they say the name
    names no file.
    """
    text = os.fspath(path)
    if not isinstance(text, str) or Path(text).name in ("", "..") or text == ".":  # bytes: refused by type
        return False
    separators = tuple(s for s in (os.sep, os.altsep) if s)
    return text.endswith(separators) or any(text.endswith(s + ".") for s in separators)


def check_names_a_file(action: str, path: str | os.PathLike[str]) -> None:
    """Raise `NamesAFolderError` "``action`` 'x.json/': ..." when ``path`` names a folder (see `names_a_folder`).

    ``open()`` and ``torch.save`` refuse such a name; without this check a save wrote the file without the
    separator. ``action`` starts the message ("cannot save to", "cannot write").
    """
    if names_a_folder(path):
        text = str(os.fspath(path))
        ending = text[-2:] if text.endswith(".") else text[-1:]
        raise NamesAFolderError(errno.EISDIR, f"{action} {_cut(text, 120)!r}: the name ends in {ending!r}, so it"
                                " names a folder, not a file; give a file name")


def _cut(text: str, most: int) -> str:
    """``text``, or its start and end around "..." when longer than ``most`` characters."""
    return text if len(text) <= most else f"{text[:most // 2]}...{text[-(most // 3):]}"


def _loops(path: str | os.PathLike[str]) -> bool:
    try:
        os.stat(path)
    except OSError as err:
        return err.errno == errno.ELOOP
    except ValueError:  # a NUL in the name: the caller names that
        return False
    return False


def link_loop_reason(path: str | os.PathLike[str], folders_only: bool = False) -> str | None:
    """Why ``path`` cannot be used if it (or a folder on its way) is a loop of symbolic links, else None.

    The reason names the first part that loops ("its folder a is a loop of symbolic links ..."). With
    ``folders_only`` the last part is not checked (a base name such as ``graph`` for ``graph.dot`` and
    ``graph.svg``). A path that merely does not exist, or cannot be searched, gives None: the caller's own
    checks name those.
    """
    whole = Path(path)
    if not _loops(whole.parent if folders_only else whole):
        return None
    culprit = whole
    for part in reversed((whole, *whole.parents)):  # the shortest prefix that loops is the link to blame
        if _loops(part):
            culprit = part
            break
    where = "it is" if culprit == whole else f"its folder {culprit} is"
    return (f"{where} a loop of symbolic links (following the links leads back to a link already passed, or "
            "through more links than the system follows); point the link at a real file or folder")


def check_link_loop(action: str, path: str | os.PathLike[str], folders_only: bool = False) -> None:
    """Raise `SymlinkLoopError` "``action`` ``path``: <reason>" if `link_loop_reason` finds a loop.

    ``action`` starts the message ("cannot save to", "cannot write").
    """
    reason = link_loop_reason(path, folders_only)
    if reason is not None:
        raise SymlinkLoopError(errno.ELOOP, f"{action} {path}: {reason}")


__all__ = ["NameTooLongError", "NamesAFolderError", "SymlinkLoopError", "check_link_loop", "check_name_length",
           "check_names_a_file", "link_loop_reason", "names_a_folder"]
