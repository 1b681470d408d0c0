"""`Adagrad`: per-parameter steps scaled by the running sum of squared gradients."""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import repeat
from typing import Any

from autograd import Value

from ..numbers_in_messages import short_repr
from .base import Optimizer, Proposal
from .fused import fma
from .options import flag, hyperparameter, implementation_flags, option_name


class Adagrad(Optimizer):
    """Adagrad as `torch.optim.Adagrad`, or in min-char-rnn's form on request.

    With G the running sum of squared gradients (starting at
    ``initial_accumulator_value``) and ``clr = lr / (1 + (step - 1) * lr_decay)``:

    - ``form="pytorch"`` (default): w -= clr * g / (sqrt(G) + eps), eps 1e-10;
    - ``form="min-char-rnn"`` (Karpathy's min-char-rnn, which the lecture
      follows): w -= clr * g / sqrt(G + eps), eps 1e-8.

    ``eps=None`` picks the form's own default (per group: a group that sets
    only ``form`` gets that form's eps). ``weight_decay`` adds
    ``weight_decay * w`` to the gradient first, as PyTorch does;
    ``maximize=True`` flips the gradient's sign before that, as torch.
    As in torch, every sum starts at the constructor's
    ``initial_accumulator_value``: a group's own value is kept in its dict but
    not used.
    """

    PYTORCH = "pytorch"
    MIN_CHAR_RNN = "min-char-rnn"
    _default_eps = {PYTORCH: 1e-10, MIN_CHAR_RNN: 1e-8}
    _nonnegative_buffers = frozenset({"memory"})

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]] | Iterable[dict[str, Any]],
        lr: float = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float | None = None,
        form: str = PYTORCH,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        """Adagrad with per-parameter accumulated squared gradients (defaults: PyTorch's).

        ``foreach``, ``differentiable`` and ``fused``: see `nn.optim.options.implementation_flags` (torch also
        takes ``foreach`` by position after ``eps``, where ``form`` is here).
        """
        self.memory: list[float] = []
        self._eps_given = eps is not None
        if form not in self._default_eps:
            raise ValueError(f"Adagrad form must be {short_repr(self.PYTORCH)} or {short_repr(self.MIN_CHAR_RNN)}, "
                             f"got {short_repr(form)}")
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay,  # torch's order (its repr and ours list them so)
                                  "eps": self._default_eps[form] if eps is None else eps,
                                  "weight_decay": weight_decay, "initial_accumulator_value": initial_accumulator_value,
                                  "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                                  "fused": fused, "form": form})
        # torch makes the state of the constructor's parameters at once (step 0, the initial sum), and that of a
        # group added later on its first step: `state` shows the same.
        self._groups_at_construction = len(self.param_groups)

    def _defaults_for(self, param_group: dict[str, Any]) -> dict[str, Any]:
        form = param_group.get("form", self.defaults["form"])
        if self._eps_given or form not in self._default_eps:
            return self.defaults
        return {**self.defaults, "eps": self._default_eps[form]}

    def _checked_options(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        checked = super()._checked_options(options, where)
        form = options["form"]
        if form not in self._default_eps:
            raise ValueError(f"{option_name(where, 'Adagrad form')} must be {short_repr(self.PYTORCH)} or "
                             f"{short_repr(self.MIN_CHAR_RNN)}, got {short_repr(form)}")
        for name in ("lr_decay", "weight_decay", "initial_accumulator_value"):
            checked[name] = hyperparameter(option_name(where, name), options[name])
        # eps > 0 (PyTorch allows 0): with eps 0 a zero or underflowing gradient divides 0 by 0.
        checked["eps"] = hyperparameter(option_name(where, "eps"), options["eps"], positive=True)
        checked["maximize"] = flag(option_name(where, "maximize"), options["maximize"])
        checked.update(implementation_flags(options, where))
        return checked

    def _initial_buffers(self, group: dict[str, Any], count: int) -> dict[str, list[float]]:
        # torch starts every sum at the constructor's value (its defaults'), whatever a group says: so do we.
        return {"memory": [self.defaults["initial_accumulator_value"]] * count}

    @property
    def eps(self) -> float:
        """The first group's eps (see ``param_groups`` for every group's)."""
        value: float = self.param_groups[0]["eps"]
        return value

    @property
    def form(self) -> str:
        """The first group's form, ``"pytorch"`` or ``"min-char-rnn"``."""
        value: str = self.param_groups[0]["form"]
        return value

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float],
                  steps: list[int]) -> Proposal:
        lr, lr_decay = options["lr"], options["lr_decay"]
        inside_sqrt = options["form"] == self.MIN_CHAR_RNN
        decay, eps, maximize, sqrt = options["weight_decay"], options["eps"], options["maximize"], math.sqrt
        new_data: list[float] = []
        memory: list[float] = []
        if maximize:
            grads = [-g for g in grads]
        # Each parameter's decayed rate from its own count, as torch; one division when the counts agree.
        if not lr_decay:
            rates: Iterable[float] = repeat(lr)
        elif not steps or steps.count(steps[0]) == len(steps):
            rates = repeat(lr / (1.0 + (steps[0] - 1) * lr_decay) if steps else lr)
        else:
            rates = [lr / (1.0 + (step - 1) * lr_decay) for step in steps]
        for p, g, G, clr in zip(self.params[start:stop], grads, self.memory[start:stop], rates):
            w = p.data
            if inside_sqrt:
                if decay:
                    g = g + decay * w
                G = G + g * g
                memory.append(G)
                new_data.append(w - clr * g / sqrt(G + eps))
            else:
                # torch's kernels, fused as torch's (`fused`): grad.add(param, alpha=wd),
                # state_sum.addcmul_(grad, grad, value=1), param.addcdiv_(grad, sqrt(sum) + eps, value=-clr).
                if decay:
                    g = fma(w, decay, g)
                G = fma(g, g, G)
                memory.append(G)
                new_data.append(w + (-clr * g) / (sqrt(G) + eps))
        return new_data, {"memory": memory}

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        if not steps and next(k for k, g in enumerate(self.param_groups) if g is group) >= self._groups_at_construction:
            return {}
        return {"step": float(steps), "sum": self.memory[i]}

    def _buffers(self) -> dict[str, list[float]]:
        return {"memory": self.memory}
