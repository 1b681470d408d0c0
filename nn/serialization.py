"""Saving and loading models (and optimizer state) as JSON: exact floats, no pickle.

Python's JSON writes each float with ``repr``, the shortest text that reads
back as the same float, so a save/load round trip is exact. Files are written
to a temporary file first and renamed into place, so an interrupted save
never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .module import Module
from .optim import Optimizer

FORMAT = "valuegrad-state"
VERSION = 1


def save(model: Module, path: str | os.PathLike[str], optimizer: Optimizer | None = None) -> Path:
    """Write ``model``'s parameters (and ``optimizer``'s state) to ``path`` as JSON; return the path."""
    path = Path(path)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "model": type(model).__name__,
        "parameters": model.state_dict(),
    }
    if optimizer is not None:
        document["optimizer"] = optimizer.state_dict()
    text = json.dumps(document, indent=1, allow_nan=False)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(model: Module, path: str | os.PathLike[str], optimizer: Optimizer | None = None) -> None:
    """Set ``model`` (and ``optimizer``) from a file written by `save`; all-or-nothing.

    Raises FileNotFoundError for a missing file, and ValueError naming the
    problem for a file that is not valuegrad JSON, is for another kind of
    model, or has a missing, extra or bad entry. On error nothing changes.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path}: not a valuegrad state file (not UTF-8 text)") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not a valuegrad state file (corrupt JSON: {err})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a valuegrad state file (no \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ValueError(f"{path}: unsupported version {document.get('version')!r} (this is version {VERSION})")
    if document.get("model") != type(model).__name__:
        raise ValueError(f"{path}: holds a {document.get('model')!r}, not a {type(model).__name__}")
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        raise ValueError(f"{path}: \"parameters\" must be an object of name: number")
    if optimizer is not None and "optimizer" not in document:
        raise ValueError(f"{path}: has no optimizer state to load")
    previous = model.state_dict()
    try:
        model.load_state_dict(parameters)
        if optimizer is not None:
            optimizer.load_state_dict(document["optimizer"])
    except (TypeError, ValueError) as err:
        model.load_state_dict(previous)
        raise type(err)(f"{path}: {err}") from None
