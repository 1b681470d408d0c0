"""`get_total_norm` (and so `clip_grad_norm_`) with a tiny or huge ``norm_type``: torch's answer, or the true norm.

References: torch's ``get_total_norm`` where its float64 formula is exact
(one number's norm is its size; a norm past the float range is inf), and a
60-digit `decimal` evaluation of (sum |g|^p)^(1/p) elsewhere (where torch's
powers round to 1, overflow or underflow and its answer is off).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import pytest

from nn.optim.clip import get_total_norm


def exact_norm(grads: list[float], p: float) -> float:
    """(sum |g|^p)^(1/p) to 60 digits, rounded once (inf past the largest float)."""
    with localcontext() as ctx:
        ctx.prec = 60
        sizes = [abs(Decimal(g)) for g in grads if g]
        if not sizes:
            return 0.0
        top = max(sizes)
        # Powers of ratios (at most 1) and the log of their sum: no Decimal overflow for p = 1e300 or 1e-300.
        total = sum((s / top) ** Decimal(p) for s in sizes)
        log_norm = top.ln() + total.ln() / Decimal(p)
        if log_norm > Decimal(math.log(1.7976931348623157e308)):
            return math.inf
        return float(log_norm.exp())


@pytest.mark.parametrize("p", [1e-300, 1e-20, 1e-5, 1e20, 1e300])
@pytest.mark.parametrize("grads", [[3.0], [-2.5], [3.0, 4.0], [0.0, 0.0], [7.0, 7.0, 1.0]])
def test_a_tiny_or_huge_norm_type_gives_torchs_answer(p: float, grads: list[float]) -> None:
    torch = pytest.importorskip("torch")
    theirs = torch.nn.utils.get_total_norm([torch.tensor(grads, dtype=torch.float64)], norm_type=p).item()
    ours = get_total_norm(grads, norm_type=p)
    if math.isfinite(theirs) or math.isinf(exact_norm(grads, p)):
        assert ours == theirs  # one number's size, 0, or a norm truly past the float range (2 ** 1e300 * 3)
    else:  # torch's p-th powers of 4 or 7 overflow (p = 1e20): the norm itself is the largest entry
        assert ours == exact_norm(grads, p) == max(abs(g) for g in grads)


@pytest.mark.parametrize(("grads", "p"), [
    ([3.0, 0.0], 1e-300),  # torch: 3 ** 1e-300 rounds to 1.0, then 1.0 ** 1e300 = 1.0
    ([0.0, 5.0, 0.0], 1e-5),  # torch: 5.000000000020705
    ([1e-300, 2e-300], 3.0),  # torch: the cubes underflow to 0
    ([1e-200, 3e-201], 1e300),  # every power underflows
    ([3.0, 4.0], 1e300),  # every power of 4 overflows (torch: inf)
])
def test_where_torchs_powers_round_away_the_norm_it_is_the_true_norm(grads: list[float], p: float) -> None:
    assert get_total_norm(grads, norm_type=p) == pytest.approx(exact_norm(grads, p), rel=1e-15)


def test_the_smallest_norm_type_does_not_raise_a_bare_overflow() -> None:
    assert get_total_norm([3.0], norm_type=5e-324) == 3.0
    assert get_total_norm([3.0, 4.0], norm_type=5e-324) == math.inf  # 1 / 5e-324 is inf: 2 ** inf
    assert get_total_norm([1e308, 1e308, 1e308], norm_type=1.0) == math.inf
