"""Optimizers (SGD, Adagrad, Adam, AdamW), learning-rate schedulers and gradient clipping, one per file.

Each optimizer updates parameter ``.data`` in place from ``.grad`` and keeps
its state (momentum buffers, squared-gradient sums, step counts) as plain
floats, so ``state_dict()`` can be saved beside the model's. Parameters come
in torch's ``param_groups`` (per-group options, `Optimizer.add_param_group`),
and `lr_scheduler`'s schedulers write ``group['lr']`` as torch's do. A step is
all-or-nothing: if any new value or state would not be finite, nothing moves
(`Optimizer.step`).
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .base import Optimizer, StepOverflowError
from .clip import (
    NonFiniteNormError,
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    MultiplicativeLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)
from .saved_state import MAX_STEPS
from .sgd import SGD

__all__ = [
    "Adagrad", "Adam", "AdamW", "ChainedScheduler", "clip_grad_norm", "clip_grad_norm_", "clip_grad_value",
    "clip_grad_value_", "clip_grads_with_norm_", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
    "CyclicLR", "ExponentialLR", "get_total_norm", "LambdaLR", "LinearLR", "lr_scheduler", "LRScheduler", "MAX_STEPS",
    "MultiplicativeLR", "MultiStepLR", "NonFiniteNormError", "OneCycleLR", "Optimizer", "PolynomialLR",
    "ReduceLROnPlateau", "SequentialLR", "SGD", "StepLR", "StepOverflowError",
]
