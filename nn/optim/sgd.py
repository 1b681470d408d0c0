"""`SGD`: the slides' w* = w - lr * grad, with torch.optim.SGD's momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value

from ..numbers_in_messages import short_repr
from .base import Optimizer, Proposal
from .options import flag, hyperparameter, implementation_flags, option_name


class SGD(Optimizer):
    """Stochastic gradient descent as `torch.optim.SGD` (its formulas, argument checks and ``param_groups``).

    With ``d = grad + weight_decay * w`` (``-grad`` with ``maximize=True``)
    and the velocity buffer ``b`` (``b = d`` on a group's first step, then
    ``b = momentum * b + (1 - dampening) * d``), the step is ``w -= lr * b``,
    or ``w -= lr * (d + momentum * b)`` with ``nesterov=True``. Without
    momentum it is the slides' ``w -= lr * d``.

    As in torch, a group's buffer starts (``b = d``) on its first step taken
    with a nonzero momentum, not on its first step: a momentum switched on
    mid-run (``param_groups[i]['momentum'] = 0.9``) starts it then, and steps
    taken with momentum 0 leave it as it was.
    """

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]] | Iterable[dict[str, Any]],
        lr: float = 0.001,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        """Defaults are torch's (lr 0.001). ``momentum`` in [0, 1), ``dampening`` in [0, 1].

        ``weight_decay`` >= 0 is an L2 term added to the gradient; ``maximize``
        ascends the objective (the gradient's sign is flipped first, as torch).

        Nesterov momentum needs a positive momentum and zero dampening (ValueError otherwise, as torch). As in
        torch that is checked for the constructor's options only: a group given or later set to momentum 0 with
        ``nesterov=True`` takes plain steps. ``foreach``, ``differentiable`` and ``fused``: see
        `nn.optim.options.implementation_flags`.
        """
        self.velocity: list[float] = []
        # Per group: has a step with nonzero momentum made its buffer (torch's momentum_buffer is not None)?
        self._buffer_started: list[bool] = []
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                                  "foreach": foreach, "differentiable": differentiable, "fused": fused})

    def _checked_options(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        checked = super()._checked_options(options, where)
        checked["momentum"] = hyperparameter(option_name(where, "momentum"), options["momentum"], below_one=True)
        checked["dampening"] = hyperparameter(option_name(where, "dampening"), options["dampening"], at_most_one=True)
        checked["weight_decay"] = hyperparameter(option_name(where, "weight_decay"), options["weight_decay"])
        checked["nesterov"] = flag(option_name(where, "nesterov"), options["nesterov"])
        checked["maximize"] = flag(option_name(where, "maximize"), options["maximize"])
        checked.update(implementation_flags(options, where))
        # torch checks this in its constructor only: a group's momentum of 0 (given, or set mid-run) is a plain step.
        if not where and checked["nesterov"] and (checked["momentum"] <= 0.0 or checked["dampening"] != 0.0):
            raise ValueError(f"{option_name(where, 'Nesterov')} momentum requires a momentum and zero dampening")
        return checked

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """As `Optimizer.add_param_group`; the new group's momentum buffer starts on its first step with momentum."""
        super().add_param_group(param_group)
        self._buffer_started.append(False)

    def _take_step(self) -> None:
        """As `Optimizer._take_step`; afterwards every group stepped with a nonzero momentum has its buffer."""
        super()._take_step()
        for i, group in enumerate(self.param_groups):
            if group["momentum"]:  # checked by the step just taken
                self._buffer_started[i] = True

    def _cannot_skip(self, plans: list[tuple[dict[str, Any], int, int]], i: int) -> str:
        """A parameter with gradient None is skipped as torch's, unless its group has momentum and dampening:
        torch starts a skipped parameter's buffer later, undamped (``b = d``), where ours has started with the
        group's (``b = momentum * 0 + (1 - dampening) * d``); without dampening the two are the same number."""
        options = next(options for options, start, stop in plans if start <= i < stop)
        if options["momentum"] and options["dampening"]:
            return ("SGD with momentum and dampening starts each parameter's buffer without dampening on its first "
                    "step in torch, and this group's buffers have started together")
        return ""

    def _group_index(self, start: int, stop: int) -> int:
        """The group that owns parameters ``start:stop`` (the non-empty one, when empty groups share ``start``)."""
        offset = 0
        for i, params in enumerate(self._group_params):
            if offset == start and len(params) == stop - start:
                return i
            offset += len(params)
        raise IndexError(f"no parameter group holds parameters {start}:{stop}")

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float], step: int) -> Proposal:
        lr, momentum, decay = options["lr"], options["momentum"], options["weight_decay"]
        nesterov, maximize = options["nesterov"], options["maximize"]
        keep = 1.0 - options["dampening"]
        first = not self._buffer_started[self._group_index(start, stop)]
        new_data: list[float] = []
        velocity: list[float] = []
        if maximize:
            grads = [-g for g in grads]
        for p, g, b in zip(self.params[start:stop], grads, self.velocity[start:stop]):
            w = p.data
            d = g + decay * w if decay else g
            if momentum:  # with momentum 0 the buffer is neither used nor changed, as torch's
                b = d if first else momentum * b + keep * d
            velocity.append(b)
            new_data.append(w - lr * (d + momentum * b if nesterov else b if momentum else d))
        return new_data, {"velocity": velocity}

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        index = next(k for k, g in enumerate(self.param_groups) if g is group)
        return {"momentum_buffer": self.velocity[i]} if self._buffer_started[index] else {}

    def state_dict(self) -> dict[str, Any]:
        """As `Optimizer.state_dict`, plus ``buffer_started``: per group, whether its momentum buffer exists."""
        state = super().state_dict()
        state["buffer_started"] = list(self._buffer_started)
        return state

    def _checked_state(self, state: Any, where: str = "optimizer state") -> Callable[[], None]:
        apply_rest = super()._checked_state(state, where)
        started = state.get("buffer_started")
        if started is not None and (not isinstance(started, list) or len(started) != len(self.param_groups)
                                    or not all(isinstance(s, bool) for s in started)):
            raise ValueError(f"{where} 'buffer_started' must be a list of {len(self.param_groups)} True/False, "
                             f"got {short_repr(started)}")

        def apply() -> None:
            apply_rest()
            # A state saved before this entry existed: a group that has stepped with momentum has its buffer.
            self._buffer_started = list(started) if started is not None else [
                bool(steps and group["momentum"]) for steps, group in zip(self._group_steps, self.param_groups)]

        return apply

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}
