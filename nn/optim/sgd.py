"""`SGD`: the slides' w* = w - lr * grad, with torch.optim.SGD's momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from autograd import Value

from .base import Optimizer, Proposal
from .options import flag, hyperparameter, option_name


class SGD(Optimizer):
    """Stochastic gradient descent as `torch.optim.SGD` (its formulas, argument checks and ``param_groups``).

    With ``d = grad + weight_decay * w`` (``-grad`` with ``maximize=True``)
    and the velocity buffer ``b`` (``b = d`` on a group's first step, then
    ``b = momentum * b + (1 - dampening) * d``), the step is ``w -= lr * b``,
    or ``w -= lr * (d + momentum * b)`` with ``nesterov=True``. Without
    momentum it is the slides' ``w -= lr * d``.
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
    ) -> None:
        """Defaults are torch's (lr 0.001). ``momentum`` in [0, 1), ``dampening`` in [0, 1].

        ``weight_decay`` >= 0 is an L2 term added to the gradient; ``maximize``
        ascends the objective (the gradient's sign is flipped first, as torch).

        Nesterov momentum needs a positive momentum and zero dampening (ValueError otherwise, as torch).
        """
        self.velocity: list[float] = []
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize})

    def _checked_options(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        checked = super()._checked_options(options, where)
        checked["momentum"] = hyperparameter(option_name(where, "momentum"), options["momentum"], below_one=True)
        checked["dampening"] = hyperparameter(option_name(where, "dampening"), options["dampening"], at_most_one=True)
        checked["weight_decay"] = hyperparameter(option_name(where, "weight_decay"), options["weight_decay"])
        checked["nesterov"] = flag(option_name(where, "nesterov"), options["nesterov"])
        checked["maximize"] = flag(option_name(where, "maximize"), options["maximize"])
        if checked["nesterov"] and (checked["momentum"] <= 0.0 or checked["dampening"] != 0.0):
            raise ValueError(f"{option_name(where, 'Nesterov')} momentum requires a momentum and zero dampening")
        return checked

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float], step: int) -> Proposal:
        lr, momentum, decay = options["lr"], options["momentum"], options["weight_decay"]
        nesterov, maximize = options["nesterov"], options["maximize"]
        keep = 1.0 - options["dampening"]
        first = step == 1
        new_data: list[float] = []
        velocity: list[float] = []
        if maximize:
            grads = [-g for g in grads]
        for p, g, b in zip(self.params[start:stop], grads, self.velocity[start:stop]):
            w = p.data
            d = g + decay * w if decay else g
            b = d if first or not momentum else momentum * b + keep * d
            velocity.append(b)
            new_data.append(w - lr * (d + momentum * b if nesterov else b))
        return new_data, {"velocity": velocity}

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        return {"momentum_buffer": self.velocity[i]} if group["momentum"] and steps else {}

    def _buffers(self) -> dict[str, list[float]]:
        return {"velocity": self.velocity}
