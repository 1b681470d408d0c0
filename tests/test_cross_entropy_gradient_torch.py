"""cross_entropy's gradient at each logit is torch's g_i - exp(log_softmax_i) * sum(g), with nothing added at the
largest logit: the shift m of (z - m) - log(s) is a `shift` node, not differentiated (torch's backward has no term
for it). As a ``sub`` node m collected minus the sum of the row's gradients, 0 up to rounding, and passed it to
the largest logit: up to 3 ulps of the upstream gradient off torch's there.

Where the engine cannot give torch's bits the entry is left out, each reason checked against torch itself: a
row whose log-probabilities differ from torch's (ours log1p of the other terms, torch's log of the sum: about a
quarter of them a last bit apart), an entry whose exp(log_softmax) in torch's kernel is not libm's (SLEEF's
vectorized exp), and the target's entry (torch's c - e c is one fused multiply-add, ours two roundings).
"""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip("torch")
functional = torch.nn.functional

import nn.functional as F  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.functional import log_softmax  # noqa: E402


def test_every_other_logits_gradient_is_torchs_the_largest_included() -> None:
    rng = random.Random(3)
    compared = largest_compared = 0
    for case in range(400):
        n, c = rng.choice([1, 2, 3, 5, 8]), rng.choice([2, 3, 4, 7, 10, 17])
        z = [[rng.gauss(0, 2) for _ in range(c)] for _ in range(n)]
        target = [rng.randrange(c) for _ in range(n)]
        weight = [rng.uniform(0.2, 2.0) for _ in range(c)] if case % 2 else None
        rows = [[Value(v) for v in row] for row in z]
        F.cross_entropy(rows, target, weight=weight).backward()
        tz = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        torch_weight = None if weight is None else torch.tensor(weight, dtype=torch.float64)
        functional.cross_entropy(tz, torch.tensor(target), weight=torch_weight).backward()
        torch_log_probs = functional.log_softmax(tz.detach(), 1).tolist()
        # The gradient nll_loss hands each row's target log-probability: -(1 / total weight) * weight[target].
        tl = torch.tensor(torch_log_probs, dtype=torch.float64, requires_grad=True)
        functional.nll_loss(tl, torch.tensor(target), weight=torch_weight).backward()
        for i in range(n):
            if [v.data for v in log_softmax(z[i])] != torch_log_probs[i]:
                continue  # our log(s) is a last bit from torch's here
            upstream = tl.grad[i][target[i]].item()
            largest = max(range(c), key=lambda k: z[i][k])
            for k in range(c):
                want = tz.grad[i][k].item()
                if k == target[i] or want != -(math.exp(torch_log_probs[i][k]) * upstream):
                    continue  # the fused target entry, or SLEEF's exp a last bit from libm's
                assert rows[i][k].grad == want, (z[i], target[i], k)
                compared += 1
                largest_compared += k == largest
    assert compared > 2500 and largest_compared > 300  # not vacuous: the largest logits are among them
