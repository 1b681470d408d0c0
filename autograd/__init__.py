"""valuegrad's scalar autograd engine.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad
    7.0

Gradients are graphs too: ``grad(y, [x], create_graph=True)`` (or
``y.backward(create_graph=True)``) returns Values that can be differentiated
again; `hessian`, `hvp` and `gradgradcheck` build on it.

The engine imports nothing else of the project: `nn` and `viz` build on it.
"""

from . import collector
from .backward import topological_order
from .extend import register_op
from .functional import dot, log_softmax, logsumexp, maximum, softmax, sum_of
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckReport, gradcheck, gradgradcheck
from .helpers import helper
from .hessian import hessian, hvp
from .higher_order import grad
from .ops import OPS, Op
from .value import Value, apply, constant

# Full collections get rarer while a large graph lives (see autograd.collector and docs/semantics.md).
collector.install()

__all__ = [
    "Value",
    "Op",
    "OPS",
    "apply",
    "helper",
    "register_op",
    "constant",
    "dot",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "hessian",
    "hvp",
    "GradcheckReport",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "inference_mode",
    "set_grad_enabled",
    "log_softmax",
    "logsumexp",
    "maximum",
    "no_grad",
    "enable_grad",
    "softmax",
    "sum_of",
    "topological_order",
]
