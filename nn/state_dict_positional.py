"""``Module.state_dict(destination, prefix, keep_vars)`` given by position, as torch 2.13 still takes them.

torch reads up to three positional arguments in that order and warns
(FutureWarning) that the keyword form will be required; here the same, except
that a fourth, or one given both by position and by keyword, is refused:
torch ignores the fourth and silently prefers the keyword.
"""

from __future__ import annotations

import warnings
from typing import Any

KEYWORD_FORM = "state_dict(destination=..., prefix=..., keep_vars=...)"


def from_positions(args: tuple[Any, ...], destination: Any, prefix: Any, keep_vars: Any) -> tuple[Any, Any, Any]:
    """``(destination, prefix, keep_vars)`` with ``args`` filled in by position, warning as torch's does."""
    if not args:
        return destination, prefix, keep_vars
    if len(args) > 3:
        raise TypeError(f"state_dict() takes at most 3 positional arguments ({len(args)} given); use {KEYWORD_FORM}")
    given = [destination, prefix, keep_vars]
    # A keyword left at its default counts as not given, as torch decides it.
    at_default = [destination is None, isinstance(prefix, str) and prefix == "", keep_vars is False]
    for i, value in enumerate(args):
        if not at_default[i]:
            raise TypeError(f"state_dict() got {('destination', 'prefix', 'keep_vars')[i]} both by position and "
                            "by keyword")
        given[i] = value
    # stacklevel 3: the warning names the line that called state_dict, as torch's stacklevel=2 does.
    warnings.warn(f"Positional args are being deprecated, use kwargs instead: {KEYWORD_FORM}", FutureWarning,
                  stacklevel=3)
    return given[0], given[1], given[2]
