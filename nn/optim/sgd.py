"""`SGD`: the slides' w* = w - lr * grad, with torch.optim.SGD's momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value

from ..numbers_in_messages import short_repr
from .base import Optimizer, Proposal
from .fused import fma
from .options import flag, hyperparameter, implementation_flags, option_name


class SGD(Optimizer):
    """Stochastic gradient descent as `torch.optim.SGD` (its formulas, argument checks and ``param_groups``).

    With ``d = grad + weight_decay * w`` (``-grad`` with ``maximize=True``)
    and the velocity buffer ``b`` (``b = d`` on a parameter's first step, then
    ``b = momentum * b + (1 - dampening) * d``), the step is ``w -= lr * b``,
    or ``w -= lr * (d + momentum * b)`` with ``nesterov=True``. Without
    momentum it is the slides' ``w -= lr * d``.

    As in torch, each parameter's buffer starts (``b = d``) on its first step
    taken with a nonzero momentum and a gradient: a momentum switched on
    mid-run (``param_groups[i]['momentum'] = 0.9``) starts it then, steps
    taken with momentum 0 leave it as it was, and a parameter whose gradient
    is None is skipped (no buffer yet, if it never stepped).
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
        # Per parameter: has a step with nonzero momentum made its buffer (torch's momentum_buffer is not None)?
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
        """As `Optimizer.add_param_group`; each new parameter's momentum buffer starts on its first step with
        momentum."""
        super().add_param_group(param_group)
        self._buffer_started.extend([False] * len(self.param_groups[-1]["params"]))

    def _stepped(self, plans: list[tuple[dict[str, Any], int, int]], skipped: list[int]) -> None:
        """Every parameter stepped with a nonzero momentum has its buffer now (a skipped one does not, as torch)."""
        kept = [(i, self._buffer_started[i]) for i in skipped]
        for options, start, stop in plans:
            if options["momentum"]:
                self._buffer_started[start:stop] = [True] * (stop - start)  # one slice: no loop per parameter
        for i, had in kept:  # a skipped parameter's buffer is as it was
            self._buffer_started[i] = had

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float],
                  steps: list[int]) -> Proposal:
        lr, momentum, decay = options["lr"], options["momentum"], options["weight_decay"]
        nesterov, maximize = options["nesterov"], options["maximize"]
        keep = 1.0 - options["dampening"]
        new_data: list[float] = []
        velocity: list[float] = []
        if maximize:
            grads = [-g for g in grads]
        for p, g, b, started in zip(self.params[start:stop], grads, self.velocity[start:stop],
                                    self._buffer_started[start:stop]):
            # torch's kernels, fused as torch's (`fused`): grad.add(param, alpha=wd), buf.mul_(m).add_(grad,
            # alpha=1 - dampening), grad.add(buf, alpha=m), param.add_(grad, alpha=-lr): one rounding each.
            w = p.data
            d = fma(w, decay, g) if decay else g
            if momentum:  # with momentum 0 the buffer is neither used nor changed, as torch's
                b = fma(d, keep, b * momentum) if started else d  # torch's first buffer is undamped
            velocity.append(b)
            new_data.append(fma(fma(b, momentum, d) if nesterov else b if momentum else d, -lr, w))
        return new_data, {"velocity": velocity}

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        return {"momentum_buffer": self.velocity[i]} if self._buffer_started[i] else {}

    def state_dict(self) -> dict[str, Any]:
        """As `Optimizer.state_dict`, plus ``param_buffer_started``: per parameter, whether its momentum buffer
        exists, and ``buffer_started`` (per group: whether any of its buffers does), as written before."""
        state = super().state_dict()
        state["param_buffer_started"] = list(self._buffer_started)
        state["buffer_started"] = [any(self._buffer_started[start:stop]) for start, stop in self._group_slices()]
        return state

    def _group_slices(self) -> list[tuple[int, int]]:
        """Each group's ``start, stop`` in ``params``."""
        slices = []
        start = 0
        for group in self.param_groups:
            slices.append((start, start + len(group["params"])))
            start += len(group["params"])
        return slices

    def _checked_state(self, state: Any, where: str = "optimizer state") -> Callable[[], None]:
        apply_rest = super()._checked_state(state, where)
        started = state.get("buffer_started")
        if started is not None and (not isinstance(started, list) or len(started) != len(self.param_groups)
                                    or not all(isinstance(s, bool) for s in started)):
            raise ValueError(f"{where} 'buffer_started' must be a list of {len(self.param_groups)} True/False, "
                             f"got {short_repr(started)}")
        per_param = state.get("param_buffer_started")
        if per_param is not None and (not isinstance(per_param, list) or len(per_param) != len(self.params)
                                      or not all(isinstance(s, bool) for s in per_param)):
            raise ValueError(f"{where} 'param_buffer_started' must be a list of {len(self.params)} True/False, "
                             f"got {short_repr(per_param)}")

        def apply() -> None:
            apply_rest()  # the step counts first: an older state's buffers are derived from them
            if per_param is not None:
                self._buffer_started = list(per_param)
                return
            flags: list[bool] = []
            for g, ((start, stop), group) in enumerate(zip(self._group_slices(), self.param_groups)):
                # A state saved before per-parameter buffers: its groups' flags, or, older still, whether the
                # group has stepped with momentum.
                on = started[g] if started is not None else bool(max(self._param_steps[start:stop], default=0)
                                                                 and group["momentum"])
                flags.extend([on] * (stop - start))
            self._buffer_started = flags

        return apply

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}
