"""Checks of the arguments the public drawing functions share, so each gives the same clear error."""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from autograd import Value
from autograd.path_errors import check_names_a_file
from autograd.shown import short_repr as shown  # viz's messages show arguments as the engine's do


def file_path(who: str, path: object) -> Path:
    """``path`` as a Path; TypeError for what names no file (None, a number, bytes), ValueError for a NUL in it,
    `autograd.path_errors.NamesAFolderError` (an IsADirectoryError) for a name ending in a separator.

    pathlib's own errors ("expected str, bytes or os.PathLike object, not NoneType", "embedded null byte")
    came from inside it, naming neither the drawing function nor the argument.
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise TypeError(f"{who}: the file name must be a str or os.PathLike, got {type(path).__name__} {shown(path)}")
    checked = Path(path)
    if "\0" in str(checked):
        raise ValueError(f"{who}: the file name {str(checked)!r} contains a NUL character, which no file name can hold")
    check_names_a_file(f"{who}: cannot write", path)  # before the Path forgets a trailing separator
    return checked


def check_root(who: str, root: object) -> None:
    """TypeError unless ``root`` is a Value (a float, a list of Values or None has no graph to draw)."""
    if not isinstance(root, Value):
        raise TypeError(f"{who} needs a Value, got {type(root).__name__}")


def check_decimals(decimals: object) -> None:
    """ValueError unless ``decimals`` is an int in 0..12 (True is no digit count, though bool is an int)."""
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer in 0..12, got {shown(decimals)}")


def check_max_nodes(max_nodes: object) -> None:
    """TypeError unless ``max_nodes`` is an int (a str would fail later as '>' between int and str); ValueError
    below 1, as every graph has its root (0 or -1 was a GraphTooLarge saying "more than -1 nodes")."""
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes must be an integer, got {type(max_nodes).__name__}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {shown(max_nodes)}")


def check_switch(who: str, name: str, flag: object, none_too: bool = False) -> None:
    """TypeError unless the on/off argument ``name`` is True or False (or None, where that means "decide"):
    read by its truth, "no" and "False" switched a picture's feature on."""
    if not isinstance(flag, bool) and not (none_too and flag is None):
        either = "True, False or None" if none_too else "True or False"
        raise TypeError(f"{who}: {name} must be {either}, got {shown(flag)}")


def check_title(title: object, what: str = "title") -> None:
    """TypeError unless ``title`` is a str (``what`` names the argument: title, key)."""
    if not isinstance(title, str):
        raise TypeError(f"{what} must be a str, got {type(title).__name__}")


def value_set(what: str, values: object) -> set[Value]:
    """``values`` (parameters=, inputs=, highlight=) as a set, or a TypeError naming ``what``.

    A single Value or a float is refused rather than iterated, and None is refused
    as torch refuses ``optim.SGD(None)``: the default is an empty tuple.
    """
    if isinstance(values, (Value, str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{what} must be an iterable of Values, got {type(values).__name__}")
    found = set(values)
    for v in found:
        if not isinstance(v, Value):
            raise TypeError(f"{what} must be an iterable of Values, got an item of type {type(v).__name__}")
    return found


def check_mapping(what: str, mapping: object) -> None:
    """TypeError unless ``mapping`` is None or a Mapping (groups=, legend=, gradients=)."""
    if mapping is not None and not isinstance(mapping, Mapping):
        raise TypeError(f"{what} must be a mapping, got {type(mapping).__name__}")


def check_gradients(who: str, gradients: object) -> None:
    """TypeError unless every entry of ``gradients`` maps a Value to a real number or None (a str failed deep in
    the drawing as "bad operand type for abs(): 'str'")."""
    if not isinstance(gradients, Mapping):
        return
    for node, grad in gradients.items():
        if not isinstance(node, Value):
            raise TypeError(f"{who}: gradients maps Values to numbers (or None), got a key of type "
                            f"{type(node).__name__} {shown(node)}")
        if grad is not None and (isinstance(grad, bool) or not isinstance(grad, numbers.Real)):
            raise TypeError(f"{who}: gradients maps Values to numbers (or None), got {type(grad).__name__} "
                            f"{shown(grad)} for {shown(node)}")


def check_legend(who: str, legend: object) -> None:
    """TypeError unless every meaning in ``legend`` is a str (an int failed inside a regular expression as
    "expected string or bytes-like object"); unknown roles are refused where the legend is drawn."""
    if not isinstance(legend, Mapping):
        return
    for role, meaning in legend.items():
        if not isinstance(meaning, str):
            raise TypeError(f"{who}: legend maps roles to their meaning (a str), got {type(meaning).__name__} "
                            f"{shown(meaning)} for {shown(role)}")


def check_groups(who: str, groups: object) -> None:
    """TypeError unless every entry of ``groups`` maps a Value to a cluster path (a str such as "layer 1/neuron 2").

    A path of another type failed deep in the drawing as "'NoneType' object has no attribute 'split'".
    """
    if not isinstance(groups, Mapping):
        return
    for node, path in groups.items():
        if not isinstance(node, Value):
            raise TypeError(f"{who}: groups maps Values to cluster paths, got a key of type {type(node).__name__} "
                            f"{shown(node)}")
        if not isinstance(path, str):
            raise TypeError(f"{who}: groups maps Values to cluster paths (str such as 'layer 1/neuron 2'), got "
                            f"{type(path).__name__} {shown(path)} for {shown(node)}")
