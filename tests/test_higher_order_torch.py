"""Second derivatives against `torch.autograd.grad(..., create_graph=True)` in float64, to 1e-9.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch")

from autograd import OPS, Value, apply, grad, hessian, hvp  # noqa: E402

N_INPUTS = 3


def random_program(seed: int) -> list[tuple[str, list[int], float]]:
    """Steps (op name, operand slots, constant) using every op of the table once, in a random order."""
    rng = random.Random(seed)
    names = [n for n in OPS if n in TORCH]
    rng.shuffle(names)
    program = []
    slots = N_INPUTS
    for name in names:
        op = OPS[name]
        count = 4 if op.arity is None else op.arity - op.constant_args
        program.append((name, [rng.randrange(slots) for _ in range(count)], rng.choice([2.0, 3.0, 0.5])))
        slots += 1
    return program


def _positive(x):
    return x * x + 0.5


TORCH = {
    "add": lambda xs, c: xs[0] + xs[1],
    "sub": lambda xs, c: xs[0] - xs[1],
    "mul": lambda xs, c: xs[0] * xs[1],
    "div": lambda xs, c: xs[0] / _positive(xs[1]),
    "neg": lambda xs, c: -xs[0],
    "reciprocal": lambda xs, c: torch.reciprocal(_positive(xs[0])),
    "pow": lambda xs, c: _positive(xs[0]) ** c,
    "pow_value": lambda xs, c: _positive(xs[0]) ** torch.tanh(xs[1]),
    "rpow": lambda xs, c: c ** torch.tanh(xs[0]),
    "exp": lambda xs, c: torch.exp(torch.tanh(xs[0])),
    "log": lambda xs, c: torch.log(_positive(xs[0])),
    "sqrt": lambda xs, c: torch.sqrt(_positive(xs[0])),
    "tanh": lambda xs, c: torch.tanh(xs[0]),
    "sigmoid": lambda xs, c: torch.sigmoid(xs[0]),
    "silu_sigmoid": lambda xs, c: torch.sigmoid(xs[0]),  # SiLU's sigmoid node (torch's 1 / (1 + e^-x))
    "softplus_sigmoid": lambda xs, c: torch.sigmoid(xs[0]),  # softplus's derivative node (torch's e^x / (e^x + 1))
    "relu": lambda xs, c: torch.relu(xs[0]) * xs[0],
    "abs": lambda xs, c: torch.abs(xs[0]) * xs[0],
    "step": lambda xs, c: (xs[0] > 0).to(torch.float64) * xs[0],
    "sign": lambda xs, c: torch.sign(xs[0]) * xs[0],
    "sum": lambda xs, c: xs[0] + xs[1] + xs[2] + xs[3],
    "dot": lambda xs, c: xs[0] * xs[2] + xs[1] * xs[3],
    "logsumexp": lambda xs, c: torch.logsumexp(torch.stack(xs[:4]), 0),
    "maximum": lambda xs, c: torch.maximum(xs[0], xs[1]) * xs[0],
    "largest": lambda xs, c: torch.amax(torch.stack(xs[:4]), 0) * xs[0],
    "log1pexp": lambda xs, c: torch.nn.functional.softplus(xs[0]),
    "erf": lambda xs, c: torch.erf(xs[0]),
    "gelu": lambda xs, c: torch.nn.functional.gelu(xs[0]),
    "gelu_tanh": lambda xs, c: torch.nn.functional.gelu(xs[0], approximate="tanh"),
    "silu": lambda xs, c: torch.nn.functional.silu(xs[0]),
    "leaky_relu": lambda xs, c: torch.nn.functional.leaky_relu(xs[0], c) * xs[0],
    "elu": lambda xs, c: torch.nn.functional.elu(xs[0], c),
    "softplus_beta": lambda xs, c: torch.nn.functional.softplus(xs[0], c, 1.0),
    "hardtanh": lambda xs, c: torch.nn.functional.hardtanh(xs[0], -c, c) * xs[0],
    # torch's formula written out, not F.binary_cross_entropy: torch's double backward of that adds 1e-12 to p and
    # 1 - p (derivatives.yaml, binary_cross_entropy_double_backward), which a cancellation in the chain through
    # the sigmoid magnifies: at x = 5.969 (p = 0.99745) torch's d2/dx2 is 1.2e-7 off the closed form
    # s(1 - s) = 0.0025437043299568650 (50 digits), which ours equals to 16 digits (seed 3 once the table grew).
    "binary_cross_entropy": lambda xs, c: _bce_written_out(torch.sigmoid(xs[0]), torch.sigmoid(xs[1])),
    # written out too: torch refuses a pos_weight that requires grad, and its loss has no double backward in the
    # target; the formula is its forward's, (1 - y) x - log_sigmoid(x) ((w - 1) y + 1)
    "smooth_l1": lambda xs, c: torch.nn.functional.smooth_l1_loss(xs[0], torch.zeros_like(xs[0]), beta=c),
    "huber": lambda xs, c: torch.nn.functional.huber_loss(xs[0], torch.zeros_like(xs[0]), delta=c),
    "shift": lambda xs, c: xs[0] - c,  # z - m with m a constant: what torch's log_softmax backward differentiates
    "binary_cross_entropy_with_logits": lambda xs, c: (
        (1.0 - torch.sigmoid(xs[1])) * xs[0] - torch.nn.functional.logsigmoid(xs[0])),
    "binary_cross_entropy_with_logits_pos_weight": lambda xs, c: (
        (1.0 - torch.sigmoid(xs[1])) * xs[0]
        - torch.nn.functional.logsigmoid(xs[0]) * ((_positive(xs[2]) - 1.0) * torch.sigmoid(xs[1]) + 1.0)),
}


def _bce_written_out(p, y):  # type: ignore[no-untyped-def]
    """-(y log p + (1 - y) log(1 - p)), torch's binary cross-entropy away from its log clamp at -100."""
    return -(y * torch.log(p) + (1.0 - y) * torch.log1p(-p))


def _logits_written_out(x, y, w=1.0):  # type: ignore[no-untyped-def]
    """(1 - y) x - log_sigmoid(x) ((w - 1) y + 1), torch's forward of binary_cross_entropy_with_logits."""
    return (1.0 - y) * x - torch.nn.functional.logsigmoid(x) * ((w - 1.0) * y + 1.0)


# The mean-loss ops (autograd.mean_loss_ops) over two elements made of the four operands; ours below in the same
# layout: (probability or logit, target, [pos_weight], [weight]) per element.
def _mean_groups(xs, per, ours):  # type: ignore[no-untyped-def]
    sig = (lambda v: v.sigmoid()) if ours else torch.sigmoid
    groups = {2: [(sig(xs[0]), sig(xs[1])), (sig(xs[2]), sig(xs[3]))],
              3: [(xs[0], sig(xs[1]), xs[2]), (xs[3], sig(xs[0]), xs[1])],
              4: [(xs[0], sig(xs[1]), _positive(xs[2]), xs[3]), (xs[3], sig(xs[2]), _positive(xs[0]), xs[1])]}
    return groups[per]


def _torch_mean(terms):  # type: ignore[no-untyped-def]
    return (terms[0] + terms[1]) / 2.0


TORCH.update({
    "smooth_l1_mean": lambda xs, c: torch.nn.functional.smooth_l1_loss(
        torch.stack(xs[:3]), torch.zeros(3, dtype=torch.float64), beta=c),
    "binary_cross_entropy_mean": lambda xs, c: _torch_mean(
        [_bce_written_out(p, y) for p, y in _mean_groups(xs, 2, False)]),
    "binary_cross_entropy_mean_weighted": lambda xs, c: _torch_mean(
        [_bce_written_out(torch.sigmoid(x), y) * w for x, y, w in _mean_groups(xs, 3, False)]),
    "binary_cross_entropy_with_logits_mean": lambda xs, c: _torch_mean(
        [_logits_written_out(torch.logit(x), y) for x, y in _mean_groups(xs, 2, False)]),
    "binary_cross_entropy_with_logits_mean_weighted": lambda xs, c: _torch_mean(
        [_logits_written_out(x, y) * w for x, y, w in _mean_groups(xs, 3, False)]),
    "binary_cross_entropy_with_logits_pos_weight_mean": lambda xs, c: _torch_mean(
        [_logits_written_out(x, y, w) for x, y, w in _mean_groups(xs, 3, False)]),
    "binary_cross_entropy_with_logits_pos_weight_mean_weighted": lambda xs, c: _torch_mean(
        [_logits_written_out(x, y, pw) * w for x, y, pw, w in _mean_groups(xs, 4, False)]),
})

OURS = {
    "div": lambda xs, c: apply(OPS["div"], xs[0], _positive(xs[1])),
    "pow": lambda xs, c: apply(OPS["pow"], _positive(xs[0]), c),
    "reciprocal": lambda xs, c: _positive(xs[0]).reciprocal(),
    "pow_value": lambda xs, c: apply(OPS["pow_value"], _positive(xs[0]), xs[1].tanh()),
    "rpow": lambda xs, c: apply(OPS["rpow"], xs[0].tanh(), c),
    "exp": lambda xs, c: xs[0].tanh().exp(),
    "log": lambda xs, c: _positive(xs[0]).log(),
    "sqrt": lambda xs, c: _positive(xs[0]).sqrt(),
    "relu": lambda xs, c: xs[0].relu() * xs[0],
    "abs": lambda xs, c: xs[0].abs() * xs[0],
    "step": lambda xs, c: xs[0].step() * xs[0],
    "sign": lambda xs, c: xs[0].sign() * xs[0],
    "maximum": lambda xs, c: apply(OPS["maximum"], xs[0], xs[1]) * xs[0],
    "largest": lambda xs, c: apply(OPS["largest"], *xs[:4]) * xs[0],
    "leaky_relu": lambda xs, c: apply(OPS["leaky_relu"], xs[0], c) * xs[0],
    "elu": lambda xs, c: apply(OPS["elu"], xs[0], c),
    "softplus_beta": lambda xs, c: apply(OPS["softplus_beta"], xs[0], c, 1.0),
    "hardtanh": lambda xs, c: apply(OPS["hardtanh"], xs[0], -c, c) * xs[0],
    "binary_cross_entropy": lambda xs, c: apply(OPS["binary_cross_entropy"], xs[0].sigmoid(), xs[1].sigmoid()),
    "smooth_l1": lambda xs, c: apply(OPS["smooth_l1"], xs[0], c),
    "huber": lambda xs, c: apply(OPS["huber"], xs[0], c),
    "shift": lambda xs, c: apply(OPS["shift"], xs[0], c),
    "binary_cross_entropy_with_logits": lambda xs, c: apply(OPS["binary_cross_entropy_with_logits"], xs[0],
                                                            xs[1].sigmoid()),
    "binary_cross_entropy_with_logits_pos_weight": lambda xs, c: apply(
        OPS["binary_cross_entropy_with_logits_pos_weight"], xs[0], xs[1].sigmoid(), _positive(xs[2])),
    "smooth_l1_mean": lambda xs, c: apply(OPS["smooth_l1_mean"], *xs[:3], c),
    "binary_cross_entropy_mean": lambda xs, c: apply(
        OPS["binary_cross_entropy_mean"], *[v for g in _mean_groups(xs, 2, True) for v in g]),
    "binary_cross_entropy_mean_weighted": lambda xs, c: apply(
        OPS["binary_cross_entropy_mean_weighted"],
        *[v for x, y, w in _mean_groups(xs, 3, True) for v in (x.sigmoid(), y, w)]),
    "binary_cross_entropy_with_logits_mean": lambda xs, c: apply(
        OPS["binary_cross_entropy_with_logits_mean"],
        *[v for p, y in _mean_groups(xs, 2, True) for v in (_logit(p), y)]),
}
for _name, _per in (("binary_cross_entropy_with_logits_mean_weighted", 3),
                    ("binary_cross_entropy_with_logits_pos_weight_mean", 3),
                    ("binary_cross_entropy_with_logits_pos_weight_mean_weighted", 4)):
    OURS[_name] = lambda xs, c, _name=_name, _per=_per: apply(
        OPS[_name], *[v for g in _mean_groups(xs, _per, True) for v in g])


def _logit(p):  # type: ignore[no-untyped-def]
    """log(p / (1 - p)) on Values, as torch.logit (a logit spread over the real line from a probability)."""
    return (p / (1.0 - p)).log()


def run(program, inputs, torch_side: bool):
    pool = list(inputs)
    for name, slots, c in program:
        args = [pool[k] for k in slots]
        if torch_side:
            pool.append(TORCH[name](args, c))
        else:
            pool.append(OURS[name](args, c) if name in OURS else apply(OPS[name], *args))
    tail = pool[-5:]
    total = tail[0] + tail[1] + tail[2] + tail[3] + tail[4]
    return (torch.tanh(total) if torch_side else total.tanh()) + pool[-1] * pool[-2]


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs_of_every_op_match_torch_second_derivatives(seed: int) -> None:
    rng = random.Random(1000 + seed)
    point = [rng.uniform(-1.0, 1.0) for _ in range(N_INPUTS)]
    program = random_program(seed)
    assert {name for name, _, _ in program} == set(OPS)  # every op of the table, built-in or registered
    ours = hessian(lambda *xs: run(program, xs, False), point)

    xs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    first = torch.autograd.grad(run(program, xs, True), xs, create_graph=True, allow_unused=True,
                                materialize_grads=True)
    theirs = [[float(h) for h in torch.autograd.grad(g, xs, retain_graph=True, allow_unused=True,
                                                       materialize_grads=True)] for g in first]
    for i in range(N_INPUTS):
        for j in range(N_INPUTS):
            assert abs(ours[i][j] - theirs[i][j]) <= 1e-9 * max(1.0, abs(theirs[i][j])), (i, j, ours, theirs)


# torch warns that backward(create_graph=True) ties a parameter to its gradient in a cycle; here that is the point.
@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_third_derivatives_and_backward_create_graph_match_torch() -> None:
    def f_ours(x: Value, y: Value) -> Value:
        return (x * y).tanh() * x.sigmoid() + (x / y).exp() * y.log()

    def f_torch(x, y):
        return torch.tanh(x * y) * torch.sigmoid(x) + torch.exp(x / y) * torch.log(y)

    x, y = Value(0.4), Value(1.3)
    gx, gy = grad(f_ours(x, y), [x, y], create_graph=True)
    (gxx,) = grad(gx, [x], create_graph=True)
    gxxy, gxxx = grad(gxx, [y, x])
    tx = torch.tensor(0.4, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
    tgx, tgy = torch.autograd.grad(f_torch(tx, ty), [tx, ty], create_graph=True)
    (tgxx,) = torch.autograd.grad(tgx, [tx], create_graph=True)
    tgxxy, tgxxx = torch.autograd.grad(tgxx, [ty, tx])
    for ours, theirs in [(gx, tgx), (gy, tgy), (gxx, tgxx), (gxxy, tgxxy), (gxxx, tgxxx)]:
        assert ours.data == pytest.approx(float(theirs.detach()), rel=1e-12, abs=1e-12)

    # backward(create_graph=True) twice: leaves accumulate in both engines, and the sum is differentiable.
    x, y = Value(0.4), Value(1.3)
    out = f_ours(x, y)
    out.backward(create_graph=True)
    out.backward(create_graph=True)
    tx.grad = None
    tout = f_torch(tx, ty)
    tout.backward(create_graph=True)
    tout.backward(create_graph=True)
    assert x.grad.data == pytest.approx(float(tx.grad.detach()), rel=1e-13)
    (d,) = grad(x.grad, [y])
    (td,) = torch.autograd.grad(tx.grad, [ty])
    assert d.data == pytest.approx(float(td), rel=1e-12)


def test_hvp_matches_torch_functional_hvp() -> None:
    def f_ours(a: Value, b: Value, c: Value) -> Value:
        return (a * b + c).tanh() ** 2.0 + (a - c).sigmoid() * b.exp()

    def f_torch(v):
        a, b, c = v
        return torch.tanh(a * b + c) ** 2 + torch.sigmoid(a - c) * torch.exp(b)

    point, vector = [0.2, -0.7, 0.5], [1.0, 0.5, -2.0]
    value, ours = hvp(f_ours, point, vector)
    t_value, theirs = torch.autograd.functional.hvp(
        f_torch, torch.tensor(point, dtype=torch.float64), torch.tensor(vector, dtype=torch.float64)
    )
    assert value == pytest.approx(float(t_value), rel=1e-14)
    assert ours == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("op_name, x0", [("relu", 0.5), ("relu", -0.5), ("abs", 0.5), ("abs", -0.5)])
def test_second_derivative_of_a_piecewise_linear_op_is_zero_as_in_torch(op_name: str, x0: float) -> None:
    # torch: grad(relu(a), a, create_graph=True) has a grad_fn (ThresholdBackward), so differentiating
    # it again gives 0, not "unused"; a constant gradient (d(2a)/da) has none and is refused by both.
    ours = Value(x0)
    (g,) = grad(getattr(ours, op_name)(), [ours], create_graph=True)
    (h,) = grad(g, [ours])
    theirs = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (tg,) = torch.autograd.grad(getattr(theirs, op_name)(), [theirs], create_graph=True)
    (th,) = torch.autograd.grad(tg, [theirs])
    assert (g.data, h.data) == (tg.item(), th.item())
    (constant_gradient,) = grad(ours * 2.0, [ours], create_graph=True)
    with pytest.raises(ValueError, match="not used"):
        grad(constant_gradient, [ours])
    with pytest.raises(RuntimeError):
        (tc,) = torch.autograd.grad(theirs * 2.0, [theirs], create_graph=True)
        torch.autograd.grad(tc, [theirs])


def test_grad_takes_one_input_as_torch_does() -> None:
    x = Value(3.0)
    (g,) = grad(x * x, x)
    assert g.data == 6.0
    with pytest.raises(TypeError, match="grad: inputs must be a Value"):
        grad(x * x, None)  # type: ignore[arg-type]
