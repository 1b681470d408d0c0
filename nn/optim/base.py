"""`Optimizer`: the parameter list, the step count, and the all-or-nothing step every optimizer shares.

A subclass computes, from the gradients, every parameter's new value and its
new state buffers (`_proposal`); `step` checks all of them are finite before
assigning any, so an update that would overflow leaves the model and the
optimizer exactly as they were and names the parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value

from ..module import checked_float, short_repr

MAX_STEPS = 2**53  # beyond this a step count no longer converts to float exactly

#: What `_proposal` returns: every parameter's new ``.data`` and every buffer's new list.
Proposal = tuple[list[float], dict[str, list[float]]]


class StepOverflowError(OverflowError, ValueError):
    """A step refused because a new parameter value or optimizer state would not be finite.

    An OverflowError (what an overflowing float operation raises, so training
    loops that treat ArithmeticError as divergence keep doing so) and a
    ValueError (what `Optimizer.step` raises for a non-finite gradient).
    """


def hyperparameter(
    name: str, value: Any, *, positive: bool = False, below_one: bool = False, at_most_one: bool = False
) -> float:
    """A finite, non-negative (or positive, or below 1) hyperparameter as a float, or an error naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    number = checked_float(value, name)
    if (
        number < 0.0
        or (positive and number == 0.0)
        or (below_one and number >= 1.0)
        or (at_most_one and number > 1.0)
    ):
        kind = (
            "in [0, 1)" if below_one else "in [0, 1]" if at_most_one else "positive" if positive else "non-negative"
        )
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return number


class Optimizer:
    """Base class: holds the parameter list and per-parameter state."""

    # Buffers that hold sums of squares: a negative entry in a loaded file
    # would make the next step take the square root of a negative number.
    _nonnegative_buffers: frozenset[str] = frozenset()

    def __init__(self, params: Iterable[Value] | Iterable[tuple[str, Value]], lr: float) -> None:
        """Optimize ``params`` with learning rate ``lr`` (a positive number).

        ``params`` is a list of Values or, as torch accepts, of ``(name, Value)``
        pairs (``model.named_parameters()``); errors name a parameter by that
        name, else by its label, and always by its index. A Value listed twice
        is an error (it would be stepped twice; PyTorch warns that this will
        become an error): pass ``model.parameters()``, which lists a tied weight once.
        """
        items: list[Any] = list(params)
        self.names: list[str] = []
        self.params: list[Value] = []
        for item in items:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
                self.names.append(item[0])
                item = item[1]
            else:
                self.names.append(getattr(item, "label", "") if isinstance(item, Value) else "")
            self.params.append(item)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            if isinstance(p, dict):
                raise TypeError(f"optimizer parameter {i} is a dict: parameter groups (torch's [{{'params': ...}}]) "
                                "are not supported; pass a list of Values (model.parameters())")
            if not isinstance(p, Value):
                raise TypeError(f"optimizer parameters must be autograd Values, got {type(p).__name__} at index {i}")
        first: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if id(p) in first:
                raise ValueError(
                    f"optimizer parameter {i} is the same Value as parameter {first[id(p)]}: "
                    "it would be stepped twice (pass each Value once)"
                )
            first[id(p)] = i
        try:
            self.lr = hyperparameter("learning rate", lr, positive=True)
        except TypeError:
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}") from None
        except ValueError as err:
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}") from err
        self.steps = 0

    def describe(self, i: int) -> str:
        """Parameter ``i`` for an error message: its index, and its name when it has one."""
        return f"optimizer parameter {i} ({self.names[i]!r})" if self.names[i] else f"optimizer parameter {i}"

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Apply one update from the current gradients; all-or-nothing.

        A gradient left as a `Value` by ``backward(create_graph=True)`` is used by
        its number, as PyTorch's optimizers use a gradient that has a ``grad_fn``.
        Raises ValueError naming the first parameter whose gradient is not a
        finite number, or `StepOverflowError` (a ValueError and an
        OverflowError) naming the first whose new optimizer state (momentum
        buffer, moments, sum of squares) or new value would not be finite;
        nothing changes then, not even the step count.
        """
        grads: list[float] = []
        for i, p in enumerate(self.params):
            g: Any = p.grad
            if isinstance(g, Value):
                g = g.data
            if not (isinstance(g, (int, float)) and g - g == 0.0):
                raise ValueError(f"{self.describe(i)} has gradient {g!r}: not a finite number")
            grads.append(float(g))
        new_data, new_buffers = self._proposal(grads, self.steps + 1)
        for name, values in new_buffers.items():
            bad = _first_not_finite(values)
            if bad is not None:
                raise StepOverflowError(
                    f"{self.describe(bad)}: this step would make {type(self).__name__}'s {name!r} {values[bad]!r} "
                    "(not finite; the step is refused and nothing changed)"
                )
        bad = _first_not_finite(new_data)
        if bad is not None:
            raise StepOverflowError(
                f"{self.describe(bad)}: this step would set it to {new_data[bad]!r} from {self.params[bad].data!r} "
                "(not finite; the step is refused and nothing changed: lower the learning rate)"
            )
        buffers = self._buffers()
        for name, values in new_buffers.items():
            buffers[name][:] = values
        for p, v in zip(self.params, new_data):
            p.data = v
        self.steps += 1

    def _proposal(self, grads: list[float], step: int) -> Proposal:
        """New parameter values and buffers for step number ``step`` (from 1), changing nothing."""
        raise NotImplementedError

    def _buffers(self) -> dict[str, list[float]]:
        return {}

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's settings and state as JSON-ready plain data."""
        return {"type": type(self).__name__, "lr": self.lr, "steps": self.steps, "buffers": self._buffers()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore from `state_dict()` output; all-or-nothing, ValueError naming the bad entry."""
        self._checked_state(state)()

    def _checked_state(self, state: Any, where: str = "optimizer state") -> Callable[[], None]:
        """Validate ``state`` without changing anything; return the function that applies it.

        A loader validates the model's and the optimizer's entries first and
        applies both only when all are good.
        """
        if not isinstance(state, dict) or state.get("type") != type(self).__name__:
            found = state.get("type") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"{where} is for {short_repr(found)}, not {type(self).__name__}")
        buffers = state.get("buffers", {})
        mine = self._buffers()
        if not isinstance(buffers, dict) or set(buffers) != set(mine):
            raise ValueError(f"{where} 'buffers' must hold exactly {sorted(mine)}")
        checked: dict[str, list[float]] = {}
        for name, values in buffers.items():
            if not isinstance(values, list) or len(values) != len(self.params):
                raise ValueError(f"{where} buffer {name!r} must be a list of {len(self.params)} numbers")
            numbers_ = [checked_float(v, f"{where} buffer {name!r} entry {i}") for i, v in enumerate(values)]
            if name in self._nonnegative_buffers:
                for i, v in enumerate(numbers_):
                    if v < 0.0:
                        raise ValueError(f"{where} buffer {name!r} entry {i} must be >= 0 (a sum of squares)")
            checked[name] = numbers_
        steps = state.get("steps")
        if isinstance(steps, bool) or not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"{where} 'steps' must be an integer in [0, 2**53], got {short_repr(steps)}")
        lr = state.get("lr")
        if isinstance(lr, bool) or not isinstance(lr, (int, float)):
            raise ValueError(f"{where} 'lr' must be a positive finite number, got {short_repr(lr)}")
        lr_value = checked_float(lr, f"{where} 'lr'")
        if not lr_value > 0.0:
            raise ValueError(f"{where} 'lr' must be a positive finite number, got {lr_value!r}")

        def apply() -> None:
            self.lr = lr_value
            self.steps = steps
            for name, values in checked.items():
                mine[name][:] = values

        return apply


def _first_not_finite(values: list[float]) -> int | None:
    """The index of the first inf or NaN in ``values``, or None.

    One C-speed ``sum`` first: it is finite when every value is (a sum of
    finite values can still overflow, so a non-finite sum only starts the scan).
    """
    total = sum(values)
    if total - total == 0.0:
        return None
    for i, v in enumerate(values):
        if v - v != 0.0:
            return i
    return None
