"""The calibration probes (`tests/torch_probes.py`) name a torch whose sum order or multiply-adds differ from
the ones we model, and let this machine's torch through where it rounds as modelled. A stand-in torch that
sums left to right and rounds multiply-adds twice (the generic kernels' arithmetic) must be turned away."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from torch_probes import fused_multiply_add_reason, sum_order_reason


class _PlainTensor:
    """A float64 0-d or 1-d stand-in: sum left to right, add_ as x + alpha·y (two roundings)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def sum(self) -> _PlainTensor:
        total = 0.0
        for x in self.data:
            total = total + x
        return _PlainTensor(total)

    def add_(self, other: _PlainTensor, alpha: float) -> _PlainTensor:
        self.data = self.data + alpha * other.data
        return self

    def item(self) -> float:
        return float(self.data)


_PLAIN_TORCH = SimpleNamespace(__version__="0.0-stand-in", float64="float64",
                               tensor=lambda data, dtype=None: _PlainTensor(data))


def test_a_torch_summing_left_to_right_is_named() -> None:
    reason = sum_order_reason(_PLAIN_TORCH)
    assert reason is not None and "to 4.0, not 7.0" in reason and "capability unknown" in reason


def test_a_torch_rounding_multiply_adds_twice_is_named() -> None:
    reason = fused_multiply_add_reason(_PLAIN_TORCH)
    assert reason is not None and "gives 0.0" in reason and "round twice" in reason


def test_the_probes_pass_a_torch_with_vectors_of_four_and_fused_multiply_adds() -> None:
    torch = pytest.importorskip("torch")
    if torch.backends.cpu.get_cpu_capability() not in ("AVX2", "AVX512"):
        pytest.skip(f"the probes' positive answer is known for AVX2/AVX512 kernels; this CPU has "
                    f"{torch.backends.cpu.get_cpu_capability()}")
    assert sum_order_reason(torch) is None and fused_multiply_add_reason(torch) is None
