"""valuegrad's neural-network layer: modules, losses and optimizers built from `autograd.Value` ops.

Follows PyTorch's `nn.Module` conventions (`parameters()`, `named_parameters()`,
`zero_grad()`, `state_dict()`); every gradient flows through the engine, so
every graph can be drawn by `viz`.
"""

from typing import TYPE_CHECKING

# `nn.serialization.save(model, path, optimizer)` after a bare `import nn`, as the README writes it.
from . import functional, init, serialization
from .activation_modules import Identity, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activations import ACTIVATIONS
from .char_model import CharModel, sample_index
from .datasets import two_moons
from .dropout import Dropout
from .layer import Layer
from .linear import Linear
from .loss_modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from .losses import half_sum_squared_error, mean_squared_error, softmax_cross_entropy
from .lstm import LSTMCell
from .mlp import MLP
from .module import Module
from .module_dict import ModuleDict
from .module_list import ModuleList
from .neuron import Neuron
from .optim import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Optimizer,
    clip_grad_norm,
    clip_grad_norm_,
    clip_grad_value,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from .pointwise_activation_modules import ELU, GELU, Hardtanh, LeakyReLU, SiLU, Softplus
from .projected_input import ProjectedInput
from .rnn import RNNCell
from .sequential import Sequential
from .text import Vocabulary
from .torch_names import missing_attribute
from .vectors import parameters_to_vector, vector_to_parameters

__all__ = [
    "ACTIVATIONS",
    "Dropout",
    "ELU",
    "GELU",
    "Hardtanh",
    "LeakyReLU",
    "SiLU",
    "Softplus",
    "Identity",
    "LogSoftmax",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "Tanh",
    "Adagrad",
    "Adam",
    "AdamW",
    "BCELoss",
    "BCEWithLogitsLoss",
    "CharModel",
    "CrossEntropyLoss",
    "HuberLoss",
    "L1Loss",
    "Layer",
    "Linear",
    "LSTMCell",
    "MLP",
    "MSELoss",
    "NLLLoss",
    "Module",
    "ModuleDict",
    "ModuleList",
    "Neuron",
    "Optimizer",
    "ProjectedInput",
    "RNNCell",
    "SGD",
    "SmoothL1Loss",
    "Vocabulary",
    "clip_grad_norm",
    "clip_grad_norm_",
    "clip_grad_value",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "functional",
    "get_total_norm",
    "init",
    "half_sum_squared_error",
    "mean_squared_error",
    "parameters_to_vector",
    "sample_index",
    "serialization",
    "softmax_cross_entropy",
    "two_moons",
    "vector_to_parameters",
]

# Hidden from type checkers: a module __getattr__ would make mypy accept any misspelt nn.Name as an object.
if not TYPE_CHECKING:
    def __getattr__(name: str) -> object:
        """Refuse an unknown ``nn.name``, saying where torch's name of that kind lives here (``nn.save``)."""
        raise missing_attribute(__name__, name)
