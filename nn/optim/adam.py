"""`Adam` (Kingma & Ba) with bias correction, torch.optim.Adam's L2 weight decay, AMSGrad and maximize."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd import Value

from ..numbers_in_messages import short_repr
from .base import Optimizer, Proposal
from .fused import fma, lerp
from .options import flag, hyperparameter, implementation_flags, option_name


class Adam(Optimizer):
    """Adam as `torch.optim.Adam` (its formulas, defaults and ``param_groups``).

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2`` and
    ``w -= lr * (m_hat / (sqrt(v_hat) + eps))`` with ``m_hat = m / (1 - b1^t)``,
    ``v_hat = v / (1 - b2^t)``: torch's formula, grouped so that a huge ``lr``
    whose step is representable (the ratio is at most about 1 in size) does
    not overflow on the way, as torch's ``lr / (1 - b1^t)`` would.
    ``weight_decay`` adds ``weight_decay * w`` to the gradient first (L2
    regularisation, as torch.optim.Adam); with ``decoupled_weight_decay=True``
    (what `AdamW` is) the weight itself is shrunk by ``1 - lr * weight_decay``
    instead. ``amsgrad=True`` divides by the running maximum of ``v``
    (buffer ``v_max``, torch's ``max_exp_avg_sq``) in place of ``v``;
    ``maximize=True`` flips the gradient's sign first, as torch.
    """

    _nonnegative_buffers = frozenset({"v", "v_max"})
    _optional_buffers = frozenset({"v_max"})

    def __init__(
        self,
        params: Iterable[Value] | Iterable[tuple[str, Value]] | Iterable[dict[str, Any]],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        """Adam with first/second moment estimates; betas in [0, 1), eps > 0, weight_decay >= 0.

        ``foreach``, ``capturable``, ``differentiable`` and ``fused``: see `nn.optim.options.implementation_flags`.
        """
        self.m: list[float] = []
        self.v: list[float] = []
        self.v_max: list[float] = []
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                                  "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                                  "capturable": capturable, "differentiable": differentiable, "fused": fused,
                                  "decoupled_weight_decay": decoupled_weight_decay})

    def _checked_options(self, options: dict[str, Any], where: str) -> dict[str, Any]:
        checked = super()._checked_options(options, where)
        betas = options["betas"]
        if not isinstance(betas, (tuple, list)):  # torch: TypeError (it indexes betas[0])
            raise TypeError(f"{option_name(where, 'betas')} must be a pair of numbers in [0, 1), "
                            f"got {type(betas).__name__} {short_repr(betas)}")
        if len(betas) != 2:
            raise ValueError(f"{option_name(where, 'betas')} must be a pair of numbers in [0, 1), "
                             f"got {short_repr(betas)}")
        checked["betas"] = (hyperparameter(option_name(where, "betas[0]"), betas[0], below_one=True),
                            hyperparameter(option_name(where, "betas[1]"), betas[1], below_one=True))
        # eps > 0 (PyTorch allows 0): with eps 0 a zero first gradient divides 0 by 0.
        checked["eps"] = hyperparameter(option_name(where, "eps"), options["eps"], positive=True)
        checked["weight_decay"] = hyperparameter(option_name(where, "weight_decay"), options["weight_decay"])
        for name in ("amsgrad", "maximize", "decoupled_weight_decay"):
            checked[name] = flag(option_name(where, name), options[name])
        checked.update(implementation_flags(options, where))
        return checked

    @property
    def eps(self) -> float:
        """The first group's eps (see ``param_groups`` for every group's)."""
        value: float = self.param_groups[0]["eps"]
        return value

    def _proposal(self, options: dict[str, Any], start: int, stop: int, grads: list[float],
                  steps: list[int]) -> Proposal:
        b1, b2 = options["betas"]
        lr, eps, decay, sqrt = options["lr"], options["eps"], options["weight_decay"], math.sqrt  # locals: speed
        amsgrad, maximize = options["amsgrad"], options["maximize"]
        shrink = 1.0 - lr * decay  # AdamW's decoupled decay
        decoupled = options["decoupled_weight_decay"] and decay
        coupled = not options["decoupled_weight_decay"] and decay
        new_data: list[float] = []
        m_new: list[float] = []
        v_new: list[float] = []
        v_max_new = self.v_max[start:stop]  # unchanged without AMSGrad
        if maximize:
            grads = [-g for g in grads]
        # torch's kernels, fused as torch's (`fused`): grad.add(param, alpha=wd), exp_avg.lerp_(grad, 1 - b1),
        # exp_avg_sq.mul_(b2).addcmul_(grad, grad, value=1 - b2): one rounding each.
        keep1, keep2 = 1.0 - b1, 1.0 - b2
        for p, g, m, v in zip(self.params[start:stop], grads, self.m[start:stop], self.v[start:stop]):
            w = p.data
            if decoupled:
                w = w * shrink
            elif coupled:
                g = fma(w, decay, g)
            m_new.append(lerp(m, g, keep1))
            v_new.append(fma(keep2 * g, g, v * b2))
            new_data.append(w)
        if amsgrad:
            v_max_new = [v if v > top else top for v, top in zip(v_new, v_max_new)]
        denominators = v_max_new if amsgrad else v_new
        # torch's last steps: step_size = lr / (1 - b1^t), denom = sqrt(v) / (1 - b2^t) ** 0.5 + eps, then
        # param.addcdiv_(exp_avg, denom, value=-step_size), which is param + (-step_size * m) / denom.
        # A second pass over plain lists: one loop per option keeps the common case as fast as before AMSGrad.
        if not steps or steps.count(steps[0]) == len(steps):  # the usual case: every parameter at the same step
            step = steps[0] if steps else 1
            neg_size = -(lr / (1.0 - b1**step))
            root2 = (1.0 - b2**step) ** 0.5
            if neg_size - neg_size == 0.0:
                new_data = [w + (neg_size * m) / (sqrt(v) / root2 + eps)
                            for w, m, v in zip(new_data, m_new, denominators)]
            else:  # lr / (1 - b1^t) itself overflows (lr near 1e308; torch's step is then infinite): the same
                # step in an order whose intermediates stay finite where the step does
                correction1 = 1.0 - b1**step
                new_data = [w - lr * ((m / correction1) / (sqrt(v) / root2 + eps))
                            for w, m, v in zip(new_data, m_new, denominators)]
        else:  # some parameter was skipped (gradient None) at some step: each has its own bias corrections
            new_data = [w + (-(lr / (1.0 - b1**step)) * m) / (sqrt(v) / (1.0 - b2**step) ** 0.5 + eps)
                        for w, m, v, step in zip(new_data, m_new, denominators, steps)]
        return new_data, {"m": m_new, "v": v_new, "v_max": v_max_new}

    def _torch_state(self, group: dict[str, Any], i: int, steps: int) -> dict[str, float]:
        if not steps:
            return {}
        state = {"step": float(steps), "exp_avg": self.m[i], "exp_avg_sq": self.v[i]}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = self.v_max[i]
        return state

    def _buffers(self) -> dict[str, list[float]]:
        return {"m": self.m, "v": self.v, "v_max": self.v_max}

    def _saved_buffers(self) -> dict[str, list[float]]:
        # v_max only matters with AMSGrad: files without it keep the layout they had before AMSGrad existed.
        if any(group["amsgrad"] for group in self.param_groups):
            return self._buffers()
        return {"m": self.m, "v": self.v}
