"""Writing a picture or DOT file so that a failed or interrupted write never damages the file already there.

Opening the target for writing truncates it at once: a render, a ``savefig`` or a disk that filled
part-way through then left the user's old picture empty or cut short. Here every file is written to a
fresh temporary name in the same folder and renamed over the target only once it is complete (the rename
is atomic), so the target holds either the old contents or the new, never a mixture.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from autograd.path_errors import check_link_loop, check_name_length, check_names_a_file


def make_parent_folder(path: Path) -> None:
    """Create ``path``'s folder (and its parents) if missing; NotADirectoryError when a file stands in the way.

    ``Path.mkdir(parents=True, exist_ok=True)`` reports a file in the way as "FileExistsError: File exists:
    'notes'", which names neither the file being written nor what is wrong.
    """
    for folder in (path.parent, *path.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise NotADirectoryError(f"cannot write {path}: {folder} is a file, not a folder")
            break
    path.parent.mkdir(parents=True, exist_ok=True)


#: Bytes of the target's name a temporary name keeps: the token and dots add 18 more, and most file systems allow
#: 255 bytes a name.
TEMPORARY_NAME_ROOM = 200


def _temporary_stem(name: str) -> str:
    """``name``, or for a long one its start and a hash of the whole, so that the temporary name fits too.

    ".<name>.<token>.tmp" for a valid 240-byte picture name was longer than a file name may be: the write
    failed with "File name too long" naming the temporary file, not the picture.
    """
    raw = os.fsencode(name)
    if len(raw) <= TEMPORARY_NAME_ROOM:
        return name
    cut = name[:TEMPORARY_NAME_ROOM - 17]
    while len(os.fsencode(cut)) > TEMPORARY_NAME_ROOM - 17:  # characters of several bytes each
        cut = cut[:-1]
    return f"{cut}~{hashlib.sha256(raw).hexdigest()[:16]}"


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], object]) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it over ``path``.

    On any error (or Ctrl-C) inside ``write`` the temporary file is removed and ``path`` is left as it was.
    A symbolic link at ``path`` is written through (the file it points to gets the contents, as ``open``
    would do); an existing file keeps its permission bits, a new one gets the user's umask; a file the user
    may not write is a PermissionError, as ``open`` would raise; a loop of symbolic links is a
    `autograd.path_errors.SymlinkLoopError` naming the part that loops; a name ending in a separator
    (``x.svg/``) is a `autograd.path_errors.NamesAFolderError`, as ``open`` refuses it.
    """
    check_names_a_file("cannot write", path)  # os.path.realpath("x.svg/") is x.svg: the file open() refuses
    check_name_length("cannot write", path)
    check_link_loop("cannot write", path)  # realpath leaves a loop as it is, and stat fails on it with a bare ELOOP
    target = Path(os.path.realpath(path))
    make_parent_folder(target)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    if mode is not None and not os.access(target, os.W_OK):  # open() for writing would refuse it too
        raise PermissionError(f"cannot write {path}: the file is read-only (renaming over it would replace it)")
    temporary = target.with_name(f".{_temporary_stem(target.name)}.{secrets.token_hex(6)}.tmp")
    # O_EXCL never opens a file or link someone placed at the name; 0o666 lets the umask set a new file's mode.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        os.close(os.open(temporary, flags, 0o666))
    except OSError as err:  # /proc, a read-only mount: the OS's error named only our hidden temporary file
        raise type(err)(err.errno, f"cannot write {path}: folder {target.parent} takes no new files "
                                   f"({err.strerror}); nothing was written") from None
    try:
        write(temporary)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """``Path(path).write_bytes(data)``, but all or nothing (see `write_atomically`)."""
    write_atomically(path, lambda temporary: temporary.write_bytes(data))
