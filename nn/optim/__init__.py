"""Optimizers (SGD, Adagrad, Adam, AdamW) and gradient clipping, one per file.

Each optimizer updates parameter ``.data`` in place from ``.grad`` and keeps
its state (momentum buffers, squared-gradient sums, step count) as plain
floats, so ``state_dict()`` can be saved beside the model's. A step is
all-or-nothing: if any new value or state would not be finite, nothing moves
(`Optimizer.step`).
"""

from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .base import MAX_STEPS, Optimizer, StepOverflowError
from .clip import clip_grad_norm, clip_grad_value
from .sgd import SGD

__all__ = [
    "MAX_STEPS", "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "StepOverflowError",
    "clip_grad_norm", "clip_grad_value",
]
