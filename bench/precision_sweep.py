"""Accuracy sweep: every op of the table and every loss and activation, ours and torch's, against mpmath.

For each case, random float64 inputs; the value and the gradient of ours
(`Value`), of torch (float64) and of a 200-bit mpmath reference (the gradient
by mpmath's own high-precision differentiation). Errors are in ulps of the
reference; entries whose reference is below 1e-200 are skipped (an ulp there
means nothing). Vector outputs (softmax) are weighed by random numbers into
one scalar, so their gradient is a vector-Jacobian product.

    python bench/precision_sweep.py [--samples 200] [--only NAME]

Needs mpmath and torch. Prints one line per case: mean and largest error of
the value and of the gradient, ours then torch's, and how often ours equals
torch's to the last bit.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

try:
    import mpmath
    import torch
except ModuleNotFoundError as missing:
    # The sweep measures against PyTorch and mpmath (torch brings mpmath): one line, not a traceback.
    sys.exit(f"precision_sweep.py compares with PyTorch and mpmath; {missing.name} is not installed here: "
             "pip install torch (it brings mpmath), then run it again")

import nn.functional as F  # noqa: E402
from autograd import OPS, Value, apply  # noqa: E402
from nn.losses import softmax_cross_entropy  # noqa: E402

mpmath.mp.prec = 200
mpf = mpmath.mpf
TF = torch.nn.functional


@dataclass
class Case:
    """One function three ways: on Values, on torch tensors, on mpmath numbers; and its inputs' sampler."""

    name: str
    ours: Callable[[list[Value]], Value]
    theirs: Callable[[list[Any]], Any]
    exact: Callable[[list[Any]], Any]
    sample: Callable[[random.Random], list[float]]


def _u(low: float, high: float, n: int = 1) -> Callable[[random.Random], list[float]]:
    return lambda r: [r.uniform(low, high) for _ in range(n)]


def _mp_sigmoid(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def _mp_lse(xs: Sequence[Any]) -> Any:
    return mpmath.log(mpmath.fsum(mpmath.exp(x) for x in xs))


def _weights(n: int) -> list[float]:
    return [math.sin(3.1 * k + 0.7) for k in range(n)]  # fixed, irregular, mixed signs


def _weighed_ours(fn: Callable[[list[Value]], list[Value]]) -> Callable[[list[Value]], Value]:
    def ours(xs: list[Value]) -> Value:
        out = fn(xs)
        total = out[0] * _weights(len(out))[0]
        for w, o in zip(_weights(len(out))[1:], out[1:]):
            total = total + o * w
        return total
    return ours


def _weighed_torch(fn: Callable[[Any], Any]) -> Callable[[list[Any]], Any]:
    def theirs(xs: list[Any]) -> Any:
        out = fn(torch.stack(xs))
        return (out * torch.tensor(_weights(len(xs)), dtype=torch.float64)).sum()
    return theirs


def _weighed_exact(fn: Callable[[list[Any]], list[Any]]) -> Callable[[list[Any]], Any]:
    def exact(xs: list[Any]) -> Any:
        out = fn(xs)
        return mpmath.fsum(mpf(w) * o for w, o in zip(_weights(len(out)), out))
    return exact


def _mp_log_softmax(xs: list[Any]) -> list[Any]:
    lse = _mp_lse(xs)
    return [x - lse for x in xs]


def _logits(r: random.Random, n: int = 6) -> list[float]:
    shift = r.choice([0.0, 0.0, 40.0, -300.0])
    return [r.gauss(0.0, 3.0) + shift for _ in range(n)]


def cases() -> list[Case]:
    """Every op of the table (its forward on its domain) and the losses and activations."""
    t = torch
    out = [
        Case("add", lambda x: x[0] + x[1], lambda x: x[0] + x[1], lambda x: x[0] + x[1], _u(-3, 3, 2)),
        Case("sub", lambda x: x[0] - x[1], lambda x: x[0] - x[1], lambda x: x[0] - x[1], _u(-3, 3, 2)),
        Case("mul", lambda x: x[0] * x[1], lambda x: x[0] * x[1], lambda x: x[0] * x[1], _u(-3, 3, 2)),
        Case("div", lambda x: x[0] / x[1], lambda x: x[0] / x[1], lambda x: x[0] / x[1],
             lambda r: [r.uniform(-3, 3), r.uniform(0.5, 3)]),
        Case("neg", lambda x: -x[0], lambda x: -x[0], lambda x: -x[0], _u(-3, 3)),
        Case("pow 2.5", lambda x: x[0] ** 2.5, lambda x: x[0] ** 2.5, lambda x: x[0] ** mpf(2.5), _u(0.1, 4)),
        Case("pow 3", lambda x: x[0] ** 3, lambda x: x[0] ** 3, lambda x: x[0] ** 3, _u(-3, 3)),
        Case("pow_value", lambda x: x[0] ** x[1], lambda x: x[0] ** x[1], lambda x: x[0] ** x[1],
             lambda r: [r.uniform(0.1, 4), r.uniform(-2, 2)]),
        Case("exp", lambda x: x[0].exp(), lambda x: t.exp(x[0]), lambda x: mpmath.exp(x[0]), _u(-20, 20)),
        Case("log", lambda x: x[0].log(), lambda x: t.log(x[0]), lambda x: mpmath.log(x[0]), _u(0.01, 100)),
        Case("sqrt", lambda x: x[0].sqrt(), lambda x: t.sqrt(x[0]), lambda x: mpmath.sqrt(x[0]), _u(0.01, 100)),
        Case("tanh", lambda x: x[0].tanh(), lambda x: t.tanh(x[0]), lambda x: mpmath.tanh(x[0]), _u(-4, 4)),
        Case("sigmoid", lambda x: x[0].sigmoid(), lambda x: t.sigmoid(x[0]), lambda x: _mp_sigmoid(x[0]),
             _u(-30, 30)),
        Case("relu", lambda x: x[0].relu(), lambda x: t.relu(x[0]), lambda x: max(x[0], 0), _u(-3, 3)),
        Case("abs", lambda x: x[0].abs(), lambda x: t.abs(x[0]), lambda x: abs(x[0]), _u(-3, 3)),
        Case("sum", lambda x: apply(OPS["sum"], *x), lambda x: t.stack(x).sum(), mpmath.fsum, _u(-3, 3, 6)),
        Case("dot", lambda x: apply(OPS["dot"], *x), lambda x: t.dot(t.stack(x[:3]), t.stack(x[3:])),
             lambda x: mpmath.fsum(a * b for a, b in zip(x[:3], x[3:])), _u(-3, 3, 6)),
        Case("logsumexp", lambda x: apply(OPS["logsumexp"], *x), lambda x: t.logsumexp(t.stack(x), 0), _mp_lse,
             _logits),
        Case("maximum", lambda x: apply(OPS["maximum"], *x), lambda x: t.maximum(x[0], x[1]), max, _u(-3, 3, 2)),
        Case("erf", lambda x: x[0].erf(), lambda x: t.erf(x[0]), lambda x: mpmath.erf(x[0]), _u(-4, 4)),
        Case("gelu", lambda x: F.gelu(x[0]), lambda x: TF.gelu(x[0]),
             lambda x: x[0] / 2 * (1 + mpmath.erf(x[0] / mpmath.sqrt(2))), _u(-6, 6)),
        Case("gelu tanh", lambda x: F.gelu(x[0], "tanh"), lambda x: TF.gelu(x[0], approximate="tanh"),
             lambda x: x[0] / 2 * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi) * (x[0] + mpf(0.044715) * x[0] ** 3))),
             _u(-6, 6)),
        Case("silu", lambda x: F.silu(x[0]), lambda x: TF.silu(x[0]), lambda x: x[0] * _mp_sigmoid(x[0]), _u(-30, 30)),
        Case("leaky_relu", lambda x: F.leaky_relu(x[0], 0.01), lambda x: TF.leaky_relu(x[0], 0.01),
             lambda x: x[0] if x[0] > 0 else mpf(0.01) * x[0], _u(-3, 3)),
        Case("elu", lambda x: F.elu(x[0]), lambda x: TF.elu(x[0]),
             lambda x: x[0] if x[0] > 0 else mpmath.expm1(x[0]), _u(-6, 3)),
        Case("softplus", lambda x: F.softplus(x[0]), lambda x: TF.softplus(x[0]),
             lambda x: x[0] if x[0] > 20 else mpmath.log1p(mpmath.exp(x[0])), _u(-30, 30)),
        Case("hardtanh", lambda x: F.hardtanh(x[0]), lambda x: TF.hardtanh(x[0]),
             lambda x: min(max(x[0], -1), 1), _u(-3, 3)),
        Case("log_softmax", _weighed_ours(F.log_softmax), _weighed_torch(lambda z: TF.log_softmax(z, 0)),
             _weighed_exact(_mp_log_softmax), _logits),
        Case("softmax", _weighed_ours(F.softmax), _weighed_torch(lambda z: TF.softmax(z, 0)),
             _weighed_exact(lambda xs: [mpmath.exp(v) for v in _mp_log_softmax(xs)]), _logits),
        Case("cross_entropy", lambda x: F.cross_entropy(x, 2),
             lambda x: TF.cross_entropy(t.stack(x), t.tensor(2)), lambda x: -_mp_log_softmax(x)[2], _logits),
        Case("softmax_cross_entropy", lambda x: softmax_cross_entropy(x, 2),
             lambda x: TF.cross_entropy(t.stack(x), t.tensor(2)), lambda x: -_mp_log_softmax(x)[2], _logits),
        Case("mse_loss", lambda x: F.mse_loss(x[:3], [0.3, -1.2, 2.0]),
             lambda x: TF.mse_loss(t.stack(x[:3]), t.tensor([0.3, -1.2, 2.0], dtype=t.float64)),
             lambda x: mpmath.fsum((a - mpf(b)) ** 2 for a, b in zip(x, [0.3, -1.2, 2.0])) / 3, _u(-3, 3, 3)),
        Case("huber_loss", lambda x: F.huber_loss(x[:3], [0.3, -1.2, 2.0]),
             lambda x: TF.huber_loss(t.stack(x[:3]), t.tensor([0.3, -1.2, 2.0], dtype=t.float64)),
             lambda x: mpmath.fsum(_mp_huber(a - mpf(b)) for a, b in zip(x, [0.3, -1.2, 2.0])) / 3, _u(-3, 3, 3)),
        Case("binary_cross_entropy", lambda x: F.binary_cross_entropy(x[0], 0.3),
             lambda x: TF.binary_cross_entropy(x[0], t.tensor(0.3, dtype=t.float64)),
             lambda x: -(mpf(0.3) * mpmath.log(x[0]) + (1 - mpf(0.3)) * mpmath.log(1 - x[0])), _u(0.001, 0.999)),
        Case("bce_with_logits", lambda x: F.binary_cross_entropy_with_logits(x[0], 0.3),
             lambda x: TF.binary_cross_entropy_with_logits(x[0], t.tensor(0.3, dtype=t.float64)),
             lambda x: -(mpf(0.3) * mpmath.log(_mp_sigmoid(x[0])) + (1 - mpf(0.3)) * mpmath.log(1 - _mp_sigmoid(x[0]))),
             _u(-40, 40)),
        Case("bce_with_logits y=1", lambda x: F.binary_cross_entropy_with_logits(x[0], 1.0),
             lambda x: TF.binary_cross_entropy_with_logits(x[0], t.tensor(1.0, dtype=t.float64)),
             lambda x: -mpmath.log(_mp_sigmoid(x[0])), _u(-40, 40)),
    ]
    return out


def _mp_huber(d: Any) -> Any:
    return d * d / 2 if abs(d) < 1 else abs(d) - mpf(0.5)


def _ulps(x: float, ref: Any) -> float | None:
    r = float(ref)
    if abs(r) < 1e-200:
        return None
    return float(abs(mpf(x) - ref) / mpf(math.ulp(r)))


def measure(case: Case, samples: int, seed: int = 0) -> dict[str, Any]:
    """Errors in ulps of ours and torch's value and gradient, and how often ours equals torch's bit for bit."""
    rng = random.Random(seed)
    errors: dict[str, list[float]] = {"ours value": [], "torch value": [], "ours grad": [], "torch grad": []}
    same = total = 0
    for _ in range(samples):
        xs = case.sample(rng)
        vs = [Value(x) for x in xs]
        out = case.ours(vs)
        out.backward()
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        tout = case.theirs(ts)
        tout.backward()
        exact = case.exact
        ref = exact([mpf(x) for x in xs])
        grads = [mpmath.diff(lambda *a, f=exact: f(list(a)), [mpf(x) for x in xs],
                             tuple(1 if j == i else 0 for j in range(len(xs)))) for i in range(len(xs))]
        for key, value in (("ours value", out.data), ("torch value", tout.item())):
            e = _ulps(value, ref)
            if e is not None:
                errors[key].append(e)
        for v, tv, g in zip(vs, ts, grads):
            tg = 0.0 if tv.grad is None else tv.grad.item()
            for key, value in (("ours grad", v.grad), ("torch grad", tg)):
                e = _ulps(value, g)
                if e is not None:
                    errors[key].append(e)
            same += v.grad == tg
            total += 1
        same += out.data == tout.item()
        total += 1
    return {"errors": errors, "same": same / total}


def _stat(errors: list[float]) -> str:
    return f"{statistics.mean(errors):7.2f}/{max(errors):7.1f}" if errors else "      -/      -"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the sweep's table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="random inputs per case (default 200)")
    parser.add_argument("--only", help="run only the case of this name")
    args = parser.parse_args(argv)
    if args.samples < 1:  # 0 or -1 samples ended in a ZeroDivisionError traceback
        parser.error(f"--samples must be at least 1, got {args.samples}")
    names = [case.name for case in cases()]
    if args.only is not None and args.only not in names:  # printed the header and nothing else
        parser.error(f"--only {args.only!r} names no case; the cases are: {', '.join(names)}")
    print(f"{'case':24s} {'value ulps: ours mean/max':>26s} {'torch mean/max':>16s}  "
          f"{'gradient ulps: ours mean/max':>29s} {'torch mean/max':>16s}  same bits")
    for case in cases():
        if args.only and case.name != args.only:
            continue
        result = measure(case, args.samples)
        stat = {key: _stat(found) for key, found in result["errors"].items()}
        print(f"{case.name:24s} {stat['ours value']:>26s} {stat['torch value']:>16s}  {stat['ours grad']:>29s} "
              f"{stat['torch grad']:>16s}  {result['same']:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
