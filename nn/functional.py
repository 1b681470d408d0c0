"""torch.nn.functional under torch's names: ``import nn.functional as F; F.mse_loss(x, y)``, ``F.relu(h)``.

Each loss takes torch's ``reduction=`` ('mean', 'sum', 'none') and its other
options; see `nn.elementwise_losses` and `nn.class_losses`. The activations
(relu, tanh, sigmoid, softmax, log_softmax) are in `nn.activation_functions`, torch's other pointwise ones
(leaky_relu, elu, silu, softplus, gelu, hardtanh) in `nn.pointwise_activations`, dropout in `nn.dropout`.
"""

from __future__ import annotations

from .activation_functions import log_softmax, relu, sigmoid, softmax, tanh
from .class_losses import TargetOutOfBounds, cross_entropy, nll_loss
from .dropout import dropout
from .elementwise_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    huber_loss,
    l1_loss,
    mse_loss,
    smooth_l1_loss,
)
from .pointwise_activations import elu, gelu, hardtanh, leaky_relu, silu, softplus

__all__ = [
    "TargetOutOfBounds",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "elu",
    "gelu",
    "hardtanh",
    "leaky_relu",
    "huber_loss",
    "l1_loss",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "relu",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]
