"""Checks of the arguments the public drawing functions share, so each gives the same clear error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from autograd import Value


def check_root(who: str, root: object) -> None:
    """TypeError unless ``root`` is a Value (a float, a list of Values or None has no graph to draw)."""
    if not isinstance(root, Value):
        raise TypeError(f"{who} needs a Value, got {type(root).__name__}")


def check_decimals(decimals: object) -> None:
    """ValueError unless ``decimals`` is an int in 0..12 (True is no digit count, though bool is an int)."""
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 12:
        raise ValueError(f"decimals must be an integer in 0..12, got {decimals!r}")


def check_max_nodes(max_nodes: object) -> None:
    """TypeError unless ``max_nodes`` is an int (a str would fail later as '>' between int and str)."""
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool):
        raise TypeError(f"max_nodes must be an integer, got {type(max_nodes).__name__}")


def check_title(title: object) -> None:
    """TypeError unless ``title`` is a str."""
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}")


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
