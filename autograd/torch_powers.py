"""The exponents torch's CPU pow kernel computes without pow, as it computes them, so ``x ** n`` is torch's bits.

torch 2.13's ``pow(Tensor, Scalar)`` (aten/src/ATen/native/Pow.cpp and cpu/PowKernel.cpp) fills 1 for the exponent
0 and copies x for 1 (C's pow gives the same numbers); 0.5, -0.5 and -1 go to its sqrt, rsqrt (1 / sqrt(x)) and
reciprocal (1 / x) kernels; 2, 3 and -2 are the products x * x, x * x * x and 1 / (x * x). Every other exponent is
C's pow (libm's, the same as Python's ``**``) for a 0-d tensor. Its gradient (pow_backward in
torch/csrc/autograd/FunctionsManual.cpp) is ``grad * (n * x.pow(n - 1))``, 0 for n = 0, and that inner pow takes
the same special cases: n = 1.5 is 1.5 sqrt(x), 0.5 is 0.5 / sqrt(x) rounded twice, 3 is 3 (x * x), 4 is
3 products, -1 is -(1 / (x * x)).

Measured against torch 2.13 (0-d float64 tensors, 6,000-7,500 random points each): each formula below equals
torch's bits at every point, except sqrt: torch's float64 sqrt is MKL's (not correctly rounded in about 1.2% of
inputs), ours `math.sqrt` (correctly rounded; docs/torch_parity.md). In a tensor of more than a few elements torch
computes the general exponents with SLEEF's vectorized pow, a last bit from libm's in about 1.5% of elements: ours is
the 0-d tensor's, a Value being a scalar.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def _square(a: float) -> float:
    return a * a


def _cube(a: float) -> float:
    return a * a * a


def _inverse_square(a: float) -> float:
    # torch's 1 / (x * x): 0 where x * x overflows (|x| > 1.3e154), though the true x^-2 is a subnormal there
    square = a * a
    return 1.0 / square if square else math.inf


def _inverse_sqrt(a: float) -> float:
    return 1.0 / math.sqrt(a)


def _reciprocal(a: float) -> float:
    return 1.0 / a


#: By exponent: the function torch's kernel computes x ** n with, for every n it treats apart (but 0 and 1, where
#: C's pow is exact already). The results may be infinite (1 / x of a subnormal x): callers check.
SPECIAL_POWERS: dict[float, Callable[[float], float]] = {
    2.0: _square,
    3.0: _cube,
    -2.0: _inverse_square,
    0.5: math.sqrt,
    -0.5: _inverse_sqrt,
    -1.0: _reciprocal,
}
