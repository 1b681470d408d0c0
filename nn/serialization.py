"""Saving and loading models (and optimizer state) as JSON: exact floats, no pickle.

Python's JSON writes each float with ``repr``, the shortest text that reads
back as the same float, so a save/load round trip is exact. Files are written
to a temporary file beside the target first and renamed into place, so an
interrupted save never leaves a half-written file where a good one was; a
temporary file left by a killed save is removed by the next save to the same
target. Loading validates the whole file before changing anything.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd.path_errors import check_link_loop, check_name_length, check_names_a_file

from .module import Module
from .numbers_in_messages import checked_float, short_repr
from .optim import Optimizer

FORMAT = "valuegrad-state"
VERSION = 1

# Temporary files are named ".<target name>.valuegrad-<pid>-<random hex>.tmp":
# the pid tells a later save whether the writer is still alive, so only
# orphans of dead writers are removed, never a concurrent save's file.
_TEMP_MARK = "valuegrad"


# Bytes a temporary name may take from the target's name: the mark, pid, token and dots add 39 more, and most
# file systems allow 255 bytes a name; a longer target name is cut and tagged with a hash of the whole of it.
_TEMP_NAME_ROOM = 200


def _temp_stem(target: Path) -> str:
    """The part of ``target``'s name its temporary files carry: the name, or for a long one a cut plus a hash.

    ".<name>.valuegrad-<pid>-<token>.tmp" for a valid 220-byte name was longer than a file name may be, and the
    save failed with "File name too long" naming the temporary file.
    """
    raw = os.fsencode(target.name)
    if len(raw) <= _TEMP_NAME_ROOM:
        return target.name
    cut = target.name[:_TEMP_NAME_ROOM - 17]
    while len(os.fsencode(cut)) > _TEMP_NAME_ROOM - 17:  # characters of several bytes each
        cut = cut[:-1]
    return f"{cut}~{hashlib.sha256(raw).hexdigest()[:16]}"


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{_temp_stem(target)}.{_TEMP_MARK}-{os.getpid()}-{secrets.token_hex(6)}.tmp")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be saving right now
    if os.name == "nt":
        return True  # os.kill(pid, 0) would terminate the process on Windows: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # exists but is not ours, or cannot tell: keep the file
    return True


def _remove_orphan_temp_files(target: Path) -> None:
    """Delete temporary files of earlier saves to ``target`` whose writing process has died."""
    pattern = re.compile(rf"\.{re.escape(_temp_stem(target))}\.{_TEMP_MARK}-(\d{{1,10}})-[0-9a-f]{{12}}\.tmp")
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or _process_alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
        except OSError:
            pass  # someone else removed it, or we may not: not worth failing a save for


def _refusing_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; ValueError for a key given twice (``json`` would keep the last one silently:
    a file edited by hand or spliced from two saves must not load half of one and half of the other)."""
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"entry {short_repr(key)} appears twice")
            seen.add(key)
    return document


def _checked_numbers(entries: dict[str, Any], where: str) -> dict[str, float]:
    return {name: checked_float(value, f"{where} {name!r}") for name, value in entries.items()}


def _check_arguments(action: str, model: Any, optimizer: Any) -> None:
    """TypeError unless ``model`` is a Module and ``optimizer`` an Optimizer or None (before any file is touched)."""
    if not isinstance(model, Module):
        # torch.save(model.state_dict(), path) and model.load_state_dict(torch.load(path)) are the habits met here.
        hint = ""
        if isinstance(model, Mapping):
            hint = f"; pass the model itself, {action}(model, path), not its state_dict()"
        elif isinstance(model, (str, os.PathLike)):
            hint = f"; the model comes first: {action}(model, path)"
        raise TypeError(f"{action} needs an nn.Module as its model (its parameters are what is saved), "
                        f"got {type(model).__name__} {short_repr(model)}{hint}")
    if optimizer is not None and not isinstance(optimizer, Optimizer):
        raise TypeError(f"{action}: optimizer must be an nn optimizer (SGD, Adam, ...) or None, "
                        f"got {type(optimizer).__name__} {short_repr(optimizer)}")
    if optimizer is not None:
        # The file pairs the optimizer's buffers with the model's weights: an optimizer of another model
        # would be saved (or loaded) as if it belonged to this one.
        own = {id(p) for p in model.parameters()}
        for g, group in enumerate(optimizer.param_groups):
            for i, p in enumerate(group["params"]):
                if id(p) not in own:
                    raise ValueError(f"{action}: the optimizer's param_groups[{g}]['params'][{i}] is not a "
                                     f"parameter of this {type(model).__name__} (was the optimizer built for "
                                     f"another model?); nothing was {'written' if action == 'save' else 'changed'}")


def _checked_path(action: str, path: Any) -> Path:
    """``path`` as a Path; TypeError for what names no file (None, a number, bytes), ValueError for a NUL in it,
    FileNotFoundError for an empty path (as ``open("")``).

    pathlib's own errors ("expected str, bytes or os.PathLike object, not NoneType", "embedded null byte")
    came from deep inside it and named neither the call nor the argument.
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{action}: path must be a file name (a str or os.PathLike), got {type(path).__name__} "
                        f"{short_repr(path)}")
    if os.fspath(path) == "":  # pathlib reads "" as ".": the message named the current folder, not the argument
        raise FileNotFoundError(errno.ENOENT, f"cannot {action}{' to' if action == 'save' else ''} '': the path is "
                                "empty; give a file name")
    checked = Path(path)
    if "\0" in str(checked):
        raise ValueError(f"{action}: path {str(checked)!r} contains a NUL character, which no file name can hold")
    # Before the Path is used: Path("x.json/") is x.json, and a save wrote that file where open() refuses.
    check_names_a_file(f"cannot {action}" + (" to" if action == "save" else ""), path)
    return checked


def _document(model: Module, optimizer: Optimizer | None) -> dict[str, Any]:
    """The JSON document for a save; ValueError naming any entry that is not a finite number."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "model": type(model).__name__,
        "parameters": _checked_numbers(model.state_dict(), "cannot save: parameter"),
    }
    if optimizer is not None:
        state = optimizer.state_dict()
        state["buffers"] = {
            name: [checked_float(v, f"cannot save: optimizer buffer {name!r} entry {i}") for i, v in enumerate(values)]
            for name, values in state["buffers"].items()
        }
        document["optimizer"] = state
    return document


#: Every top-level entry a file of this VERSION may hold: `save` has written exactly these (``optimizer`` only
#: with an optimizer) since version 1 began, so refusing any other entry refuses no file we wrote.
TOP_LEVEL_KEYS = ("format", "version", "model", "parameters", "optimizer")


def _check_top_level_keys(path: Path, document: dict[str, Any]) -> None:
    """ValueError naming the first top-level entry `save` never writes, and the entries it does.

    An extra entry (a hand edit, another tool's field, a typo such as "parameter") used to load silently;
    `Module.load_state_dict` refuses an unknown entry the same way. A future version that adds an entry
    changes VERSION, which is refused (by number) first.
    """
    extra = [key for key in document if key not in TOP_LEVEL_KEYS]
    if extra:
        expected = ", ".join(f'"{key}"' for key in TOP_LEVEL_KEYS)
        raise ValueError(f"{path}: unknown top-level entry {short_repr(extra[0])} ({len(extra)} unknown in all):"
                         f" a valuegrad state file of version {VERSION} holds only {expected} (the last only with"
                         " an optimizer's state)")


def save(model: Module, path: str | os.PathLike[str], optimizer: Optimizer | None = None) -> Path:
    """Write ``model``'s parameters (and ``optimizer``'s state) to ``path`` as JSON; return the path.

    A symlink is written through, as ``torch.save`` does: the file it points
    to gets the new contents and the link stays. A new file gets the mode
    the user's umask allows; an existing file keeps its mode. Raises
    ValueError naming the entry if a weight or buffer is inf or NaN (nothing
    is written then) or if ``path`` is a FIFO, device or socket (renaming over
    it would replace it), PermissionError for a file the user may not write,
    an OSError naming the folder when it takes no new files (``/proc``),
    `NameTooLongError` for a name longer than the file system allows and
    `SymlinkLoopError` for a loop of symbolic links in ``path`` (both
    OSErrors, from `autograd.path_errors`), TypeError if ``model`` is not a
    Module (or ``optimizer`` not an optimizer).
    """
    _check_arguments("save", model, optimizer)
    path = _checked_path("save", path)
    check_name_length("cannot save to", path)
    check_link_loop("cannot save to", path)
    text = json.dumps(_document(model, optimizer), indent=1, allow_nan=False)
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        if target.parent.exists():
            raise NotADirectoryError(f"cannot save to {path}: {target.parent} is a file, not a folder")
        raise FileNotFoundError(f"cannot save to {path}: folder {target.parent} does not exist")
    if target.is_dir():
        raise IsADirectoryError(f"cannot save to {path}: it is a folder")
    if target.exists() and not target.is_file():  # renaming over it would replace the user's FIFO or device
        raise ValueError(f"cannot save to {path}: it is not a regular file (a device, FIFO or socket)")
    if target.exists() and not os.access(target, os.W_OK):  # torch.save's open() would refuse it too
        raise PermissionError(f"cannot save to {path}: the file is read-only (renaming over it would replace it)")
    _remove_orphan_temp_files(target)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    tmp = _temp_name(target)
    # O_EXCL: never write through a file or link someone placed at our name.
    # Mode 0o666 lets the kernel apply the umask, as open() does for a new file.
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as err:  # /proc, a read-only mount: the OS's error named only our hidden temporary file
        raise type(err)(err.errno, f"cannot save to {path}: folder {target.parent} takes no new files "
                                   f"({err.strerror}); nothing was written") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as err:  # a full disk, a file-size limit, an I/O error: "[Errno 28] No space left" alone
        tmp.unlink(missing_ok=True)
        raise type(err)(err.errno, f"cannot save to {path}: {err.strerror}; the file there (if any) is "
                                   "unchanged") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def load(model: Module, path: str | os.PathLike[str], optimizer: Optimizer | None = None) -> None:
    """Set ``model`` (and ``optimizer``) from a file written by `save`; all-or-nothing.

    Raises FileNotFoundError for a missing file, `SymlinkLoopError` (an OSError) for a loop of
    symbolic links in ``path``, and ValueError (TypeError for
    an entry of the wrong type) naming the file and the problem for a file
    that is not valuegrad JSON or far too large to be this model's state, is for another kind of model, has a
    top-level entry other than `TOP_LEVEL_KEYS`, or has a missing, extra or bad entry (not a number, inf, NaN,
    too large for a float). Every entry is validated before anything is assigned, so on
    error neither the model nor the optimizer changes. TypeError if ``model``
    is not a Module (or ``optimizer`` not an optimizer).
    """
    _check_arguments("load", model, optimizer)
    path = _checked_path("load", path)
    check_name_length("cannot load", path)
    check_link_loop("cannot load", path)
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise ValueError(f"{path}: not a regular file")
        # A state is some 30 bytes per parameter and buffer entry (a name and a float's repr): a file past this
        # bound is not one, and reading it whole (a sparse 8 GiB file) would exhaust memory first.
        entries = len(model.state_dict())  # parameters and buffers
        limit = 1_000_000 + 1_000 * entries
        if status.st_size > limit:
            raise ValueError(f"{path}: {status.st_size:,} bytes is too large for the state of this "
                             f"{type(model).__name__} ({entries:,} parameters: at most {limit:,} bytes)")
        document = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_refusing_duplicates)
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a valuegrad state file (not UTF-8 text)") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not a valuegrad state file (corrupt JSON: {err})") from None
    except RecursionError:
        raise ValueError(f"{path}: not a valuegrad state file (JSON nested too deeply)") from None
    except ValueError as err:  # e.g. an integer of more than 4,300 digits
        message = str(err) if str(err).startswith(str(path)) else f"{path}: not a valuegrad state file ({err})"
        raise ValueError(message) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a valuegrad state file (no \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version != VERSION:
        raise ValueError(f"{path}: entry \"version\": unsupported version {short_repr(version)} (this is {VERSION})")
    _check_top_level_keys(path, document)
    if document.get("model") != type(model).__name__:
        raise ValueError(f"{path}: holds a {short_repr(document.get('model'))}, not a {type(model).__name__}")
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ValueError(f"{path}: \"parameters\" must be an object of name: number")
    if optimizer is not None and "optimizer" not in document:
        raise ValueError(f"{path}: has no optimizer state to load")
    try:
        assignments, _, _ = model._checked_state(parameters, where='"parameters"')
        apply_optimizer = optimizer._checked_state(document["optimizer"], where='"optimizer"') if optimizer else None
    except (TypeError, ValueError) as err:
        raise type(err)(f"{path}: {err}") from None
    for p, data in assignments:
        p.data = data
    if apply_optimizer is not None:
        apply_optimizer()
