"""torch_sum (the losses' reduction since polish24): torch's sign of an all-zero sum.

(Its order of addition is torch's Tensor.sum's since parity24, tested there against torch.)
"""

from __future__ import annotations

import math

from autograd import Value
from nn.reduction import torch_sum


def test_all_negative_zeros_sum_to_plus_zero() -> None:
    assert math.copysign(1.0, torch_sum([Value(-0.0), Value(-0.0)]).data) == 1.0
    assert math.copysign(1.0, torch_sum([Value(-0.0)]).data) == 1.0

