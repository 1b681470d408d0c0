"""Checks of the arguments the public drawing functions share, so each gives the same clear error."""

from __future__ import annotations

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
