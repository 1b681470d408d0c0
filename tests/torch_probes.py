"""Calibration probes for tests that compare with torch to the last bit: does this machine's torch round as
the order we model does? torch picks its CPU kernels by the processor (``torch.backends.cpu.
get_cpu_capability()``), and two of them change the bits: how many doubles a vector holds (the order of
``Tensor.sum``) and whether multiply-adds are fused (the optimizers' ``add_``, ``addcmul_``, ``lerp_``; the
generic kernels, used without AVX2, round twice). A probe's expected value is worked out by hand, not by our
code, so a test it lets run still fails when our order is wrong; where torch's order differs the test is
skipped with the reason, since then there is no bit-exact torch number to meet."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

#: Each 1 is lost next to 1e16 (ulp 2; a tie rounds to even 1e16) unless the 1s are added among themselves.
SUM_PROBE = [1e16, 1.0, 1.0, 1.0, -1e16, 1.0, 1.0, 1.0, 1.0]
#: With vectors of 4 doubles: lanes 1e16 + -1e16 = 0, 1 + 1 = 2, 2, 2; the last scalar first: 1 + 0 + 2 + 2 + 2.
#: Left to right gives 4.0, vectors of 8 give 3.0.
SUM_PROBE_WITH_4_LANES = 7.0


def _capability(torch: Any) -> str:
    try:
        return str(torch.backends.cpu.get_cpu_capability())
    except AttributeError:  # a torch older than 2.1, or a stand-in
        return "unknown"


def sum_order_reason(torch: Any) -> str | None:
    """None if torch's float64 ``Tensor.sum`` adds as `nn.reduction.torch_sum` models (4 doubles per vector),
    else why the bit-exact comparison is skipped here."""
    got = torch.tensor(SUM_PROBE, dtype=torch.float64).sum().item()
    if got == SUM_PROBE_WITH_4_LANES:
        return None
    return (f"torch {torch.__version__} on this CPU (capability {_capability(torch)}) sums {SUM_PROBE} to {got}, "
            f"not {SUM_PROBE_WITH_4_LANES} (vectors of 4 doubles): its Tensor.sum order is not the one "
            "nn.reduction.torch_sum follows, so there is no bit-exact number to compare with")


def fused_multiply_add_reason(torch: Any) -> str | None:
    """None if torch's ``add_(y, alpha=a)`` rounds x + a·y once, as `nn.optim.fused` models, else why the
    bit-exact optimizer comparison is skipped here."""
    a = 0.1
    product = a * a  # rounded: 0.010000000000000002
    once = float(Fraction(a) * Fraction(a) - Fraction(product))  # the product's rounding error, ~ -8.3e-19
    x = torch.tensor(-product, dtype=torch.float64)
    got = x.add_(torch.tensor(a, dtype=torch.float64), alpha=a).item()
    if got == once:
        return None
    return (f"torch {torch.__version__} on this CPU (capability {_capability(torch)}) gives {got} for "
            f"-fl(0.1·0.1) + 0.1·0.1, not the fused {once}: its multiply-adds round twice here, so "
            "the optimizers' bit-exact comparison with it does not apply")
