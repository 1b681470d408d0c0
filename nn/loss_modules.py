"""torch's loss classes (``nn.MSELoss()``, ``nn.CrossEntropyLoss(reduction='sum')``, ...): a Module holding
the options, called as ``criterion(input, target)``.

Each checks ``reduction`` and its other options (delta, beta, ignore_index,
label_smoothing) when it is made, as torch's do when called, and
calls the function of the same loss (`nn.functional`) with its options.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .class_losses import checked_options, cross_entropy, nll_loss
from .elementwise_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    checked_beta,
    checked_delta,
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)
from .module import Module
from .reduction import checked_reduction


class _Loss(Module):
    """A loss as a module: no parameters, a ``reduction`` ('mean' by default, as torch's)."""

    def __init__(self, reduction: str = "mean") -> None:
        """Keep ``reduction`` ('none', 'mean' or 'sum'; torch's ValueError otherwise)."""
        self.reduction = checked_reduction(reduction)

    @property
    def weight(self) -> Any:
        """The class or element weights given (None: none); kept out of `parameters`, as torch keeps a buffer."""
        return self.__dict__.get("_weight")

    @weight.setter
    def weight(self, value: Any) -> None:
        self.__dict__["_weight"] = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSELoss(_Loss):
    """torch's ``nn.MSELoss``: see `nn.functional.mse_loss`."""

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of ``input`` against ``target`` under this module's reduction."""
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """torch's ``nn.L1Loss``: see `nn.functional.l1_loss`."""

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of ``input`` against ``target`` under this module's reduction."""
        return l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """torch's ``nn.HuberLoss(reduction, delta)``: see `nn.functional.huber_loss`."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        """``delta`` > 0: where the loss turns from square to linear (0, negative or NaN: torch's ValueError)."""
        super().__init__(reduction)
        self.delta = checked_delta(delta)

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of ``input`` against ``target`` under this module's reduction."""
        return huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """torch's ``nn.SmoothL1Loss(reduction, beta)``: see `nn.functional.smooth_l1_loss`."""

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        """``beta`` >= 0: where the loss turns from square to linear (0: L1; negative or NaN: ValueError)."""
        super().__init__(reduction)
        self.beta = checked_beta(beta)

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of ``input`` against ``target`` under this module's reduction."""
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_Loss):
    """torch's ``nn.BCELoss(weight, reduction=...)``: see `nn.functional.binary_cross_entropy`."""

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        """``weight``: optional rescaling of each element (shaped as the input)."""
        super().__init__(reduction)
        self.weight = weight

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of probabilities ``input`` against ``target`` under this module's reduction."""
        return binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """torch's ``nn.BCEWithLogitsLoss(weight, reduction=..., pos_weight=...)``."""

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        """``weight`` per element, ``pos_weight`` for the positive term (see the function)."""
        super().__init__(reduction)
        self.weight = weight
        self.pos_weight = pos_weight

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of logits ``input`` against ``target`` under this module's reduction."""
        return binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                pos_weight=self.pos_weight)


class NLLLoss(_Loss):
    """torch's ``nn.NLLLoss(weight, ignore_index=-100, reduction='mean')``: see `nn.functional.nll_loss`."""

    def __init__(self, weight: Sequence[Any] | None = None, ignore_index: int = -100,
                 reduction: str = "mean") -> None:
        """Class ``weight`` (C numbers) and the ``ignore_index`` whose samples count for nothing."""
        super().__init__(reduction)
        self.weight = weight
        self.ignore_index, _ = checked_options(ignore_index)

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of log-probabilities ``input`` against class indices ``target``."""
        return nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """torch's ``nn.CrossEntropyLoss(weight, ignore_index, reduction, label_smoothing)``."""

    def __init__(self, weight: Sequence[Any] | None = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        """torch's options: see `nn.functional.cross_entropy`."""
        super().__init__(reduction)
        self.weight = weight
        self.ignore_index, self.label_smoothing = checked_options(ignore_index, label_smoothing)

    def forward(self, input: Any, target: Any) -> Any:
        """The loss of logits ``input`` against class indices or probabilities ``target``."""
        return cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                             reduction=self.reduction, label_smoothing=self.label_smoothing)
