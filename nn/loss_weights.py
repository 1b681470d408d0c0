"""A loss's ``weight`` or ``pos_weight`` spread over the input's shape, as torch broadcasts them.

torch expands a weight tensor to the input's shape under its broadcasting
rules: dimensions are matched from the last one, a missing leading dimension
or a length of 1 is repeated, any other mismatch is an error, and the weight
may never make the result larger than the input (``output with shape [2, 3]
doesn't match the broadcast shape [1, 2, 3]``). The same rules here, over
nested lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any

from autograd import Value

from .numbers_in_messages import short_repr


def _is_sequence(x: Any) -> bool:
    """Whether ``x`` holds entries (a 0-d array is one number, though iterable by type)."""
    return isinstance(x, Iterable) and not isinstance(x, (str, bytes, Mapping, Value)) and getattr(x, "ndim", 1) != 0


def _depth(x: Any) -> int:
    """How many list levels ``x`` has (its tensor's number of dimensions; the first entry's, for ragged lists)."""
    depth = 0
    while _is_sequence(x):
        items = list(x)
        depth += 1
        if not items:
            break
        x = items[0]
    return depth


def _as_lists(x: Any) -> Any:
    """Nested iterables (generators, tuples, ...) as nested lists; anything else as it is."""
    return [_as_lists(item) for item in x] if _is_sequence(x) else x


def broadcast_to_input(weight: Any, like: Any, name: str) -> Any:
    """``weight`` repeated into ``like``'s nesting (a number per element of ``like``), or ValueError naming ``name``.

    ``like`` is the input (nested lists of numbers or Values); the entries of
    ``weight`` are returned as they are (numbers or Values), unchecked.
    """
    if isinstance(weight, Set):  # no order to match the input's (torch.tensor refuses a set too)
        raise TypeError(f"{name} must be a number or (nested) lists of them, got {type(weight).__name__}")
    weight = _as_lists(weight)  # a generator would be used up by measuring its depth
    _refuse_ragged(weight, name, "")
    weight_depth, like_depth = _depth(weight), _depth(like)
    if weight_depth > like_depth:
        raise ValueError(f"{name} has {weight_depth} dimensions but the input only {like_depth}: torch's "
                         "broadcasting cannot spread it over the input (it would make the loss larger)")

    def spread(w: Any, x: Any, w_depth: int, x_depth: int, at: str) -> Any:
        if x_depth == 0:
            return w
        xs = list(x)
        if w_depth < x_depth:  # a missing leading dimension: the same weights for every entry
            return [spread(w, item, w_depth, x_depth - 1, f"{at}[{i}]") for i, item in enumerate(xs)]
        ws = list(w)
        if len(ws) == 1 and len(xs) != 1:
            ws = ws * len(xs)
        if len(ws) != len(xs):
            raise ValueError(f"{name}{at} has {len(ws)} entries where the input has {len(xs)}: it must have "
                             f"the same length or 1 (torch's broadcasting), got {short_repr(w)}")
        return [spread(a, item, w_depth - 1, x_depth - 1, f"{at}[{i}]") for i, (a, item) in enumerate(zip(ws, xs))]

    return spread(weight, like, weight_depth, like_depth, "")


def _refuse_ragged(w: Any, name: str, at: str) -> None:
    """ValueError unless ``w`` (nested lists) is a tensor's shape: sibling rows of one length and depth.

    torch cannot make a tensor of ``[[1, 1], [1]]``; spreading the short row as a row of length 1 would
    weigh the input by weights its author never wrote.
    """
    if not isinstance(w, list) or not w:
        return
    shapes = {(len(row) if isinstance(row, list) else None) for row in w}
    if len(shapes) > 1:
        raise ValueError(f"{name}{at} must be a tensor's shape: its rows must have the same length, got "
                         f"{short_repr(w)}")
    for i, row in enumerate(w):
        _refuse_ragged(row, name, f"{at}[{i}]")
