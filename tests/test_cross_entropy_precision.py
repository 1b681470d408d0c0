"""`nn.losses.softmax_cross_entropy` as accurate as torch's ``F.cross_entropy``, and replayed in every mode.

References: a 60-digit `decimal` computation of -log softmax(z)[t] and of its
gradient softmax(z) - onehot(t) (exact to far below an ulp), torch's float64
``F.cross_entropy`` (its error against that reference bounds ours), and the
eager engine (every replay mode equal to it to 1e-12).

The loss used to be ``logsumexp(z) - z_t``: near large logits (40, -300) the
two terms are large and cancel, and the loss lost up to ~800 ulps. It is now
torch's ``-( (z_t - m) - log(sum_j exp(z_j - m)) )``.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal, localcontext

import pytest

from autograd import Value, dot
from autograd.functional import largest, maximum
from autograd.replay import record
from autograd.replay.codegen import SHIFT_MIN_MEMBERS
from nn.losses import softmax_cross_entropy


def exact(logits: list[float], target: int) -> tuple[Decimal, list[Decimal]]:
    """The loss and its gradient to 60 digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        z = [Decimal(x) for x in logits]
        top = max(z)
        total = sum((x - top).exp() for x in z)
        lse = top + total.ln()
        grad = [(x - lse).exp() - (1 if j == target else 0) for j, x in enumerate(z)]
        return lse - z[target], grad


def ulps(ours: float, ref: Decimal) -> float:
    """|ours - ref| in ulps of ref (as a float)."""
    r = float(ref)
    if r == 0.0:
        return 0.0 if ours == 0.0 else math.inf
    with localcontext() as ctx:
        ctx.prec = 60
        return float(abs(Decimal(ours) - ref) / Decimal(math.ulp(r)))


def sweep(samples: int = 120) -> list[tuple[list[float], int]]:
    """Logits around 0, 40 and -300 (where the old form lost its digits), 6 classes, a random target."""
    rng = random.Random(21)
    out = []
    for k in range(samples):
        shift = (0.0, 40.0, -300.0, 1000.0)[k % 4]
        out.append(([rng.gauss(0.0, 3.0) + shift for _ in range(6)], rng.randrange(6)))
    return out


def ours(logits: list[float], target: int) -> tuple[float, list[float]]:
    z = [Value(x) for x in logits]
    loss = softmax_cross_entropy(z, target)
    loss.backward()
    return loss.data, [v.grad for v in z]


def test_the_loss_and_its_gradient_are_within_two_ulps_of_the_exact_values() -> None:
    worst_value = worst_grad = 0.0
    for logits, target in sweep():
        value, grad = ours(logits, target)
        ref_value, ref_grad = exact(logits, target)
        worst_value = max(worst_value, ulps(value, ref_value))
        # Entries below 1e-200 (softmax of a logit far below the rest) have no meaningful ulp.
        worst_grad = max([worst_grad] + [ulps(g, r) for g, r in zip(grad, ref_grad) if abs(r) > Decimal("1e-200")])
    # Measured 1.7 and 12 ulps (the gradient's worst entries are small probabilities, exp's own rounding of a
    # rounded difference); the old form: 770 and 760.
    assert worst_value <= 2.0
    assert worst_grad <= 16.0


def test_as_accurate_as_torch_cross_entropy() -> None:
    torch = pytest.importorskip("torch")
    total_ours = total_torch = 0.0
    for logits, target in sweep():
        value, grad = ours(logits, target)
        z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(z, torch.tensor(target))
        loss.backward()
        ref_value, ref_grad = exact(logits, target)
        total_ours += ulps(value, ref_value)
        total_torch += ulps(loss.item(), ref_value)
        for g, tg, r in zip(grad, z.grad.tolist(), ref_grad):
            if abs(r) > Decimal("1e-200"):
                total_ours += ulps(g, r)
                total_torch += ulps(tg, r)
    assert total_ours <= total_torch


def test_probability_targets_keep_their_digits_at_large_logits() -> None:
    rng = random.Random(4)
    for shift in (40.0, -300.0, 1e4):
        logits = [rng.gauss(0.0, 2.0) + shift for _ in range(5)]
        probabilities = [0.125, 0.5, 0.0, 0.25, 0.125]  # exact binary fractions: the reference needs no rounding
        z = [Value(x) for x in logits]
        loss = softmax_cross_entropy(z, probabilities)
        loss.backward()
        with localcontext() as ctx:
            ctx.prec = 60
            terms = [exact(logits, j) for j in range(5)]
            ref = sum(Decimal(p) * value for p, (value, _) in zip(probabilities, terms))
            ref_grad = [sum(Decimal(p) * grad[i] for p, (_, grad) in zip(probabilities, terms)) for i in range(5)]
        assert ulps(loss.data, ref) <= 4.0  # the old form, logsumexp * sum(p) - p . z: hundreds of ulps
        for v, r in zip(z, ref_grad):
            assert abs(Decimal(v.grad) - r) <= Decimal(2.0**-50) * max(abs(r), Decimal(2.0**-10))


def layer_model(classes: int, shift: float, seed: int):
    """A layer of ``classes`` neurons (one matrix product), its outputs plus ``shift`` as the logits."""
    rng = random.Random(seed)
    rows = [[Value(rng.uniform(-1, 1)), Value(rng.uniform(-1, 1)), Value(rng.uniform(-1, 1))] for _ in range(classes)]
    params = [w for row in rows for w in row]

    def fn(x0: Value, x1: Value) -> Value:
        logits = [dot(row, [x0, x1, 1.0]) + shift for row in rows]
        return softmax_cross_entropy(logits, 2) + softmax_cross_entropy(logits[::-1], 0)

    return params, fn


def eager(fn, params, inputs):
    for p in params:
        p.grad = 0.0
    loss = fn(*[Value(x) for x in inputs])
    loss.backward()
    return loss.data, [p.grad for p in params]


@pytest.mark.parametrize("classes", [3, SHIFT_MIN_MEMBERS, 11, 27])
@pytest.mark.parametrize("shift", [0.0, 40.0, -300.0])
def test_every_replay_mode_equals_eager(classes: int, shift: float) -> None:
    pytest.importorskip("numpy")
    params, fn = layer_model(classes, shift, classes)
    samples = [[0.3, -0.7], [2.0, 1.5], [-4.0, 0.25]]
    refs = [eager(fn, params, x) for x in samples]
    tapes = {"levels": record(fn, samples[0], params)}
    assert tapes["levels"].strategy == "levels"
    for vectorize in (False, True):
        tape = record(fn, samples[0], params, vectorize=vectorize)
        tape.compile()
        tapes[tape.strategy] = tape
    assert set(tapes) == {"levels", "scalar", "vectorized"}
    for mode, tape in tapes.items():
        for x, (ref_loss, ref_grads) in zip(samples, refs):
            loss, grads = tape.evaluate(x)
            assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12), mode
            assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12), mode
    losses, summed = tapes["vectorized"].run_batch([[x[0] for x in samples], [x[1] for x in samples]])
    assert losses.tolist() == pytest.approx([r[0] for r in refs], rel=1e-12)
    totals = [math.fsum(r[1][k] for r in refs) for k in range(len(params))]
    assert [float(s) for s in summed] == pytest.approx(totals, rel=1e-12, abs=1e-12)


def test_a_wide_layers_shift_is_one_call_and_the_shifted_logits_one_array() -> None:
    pytest.importorskip("numpy")
    params, fn = layer_model(27, 40.0, 1)
    tape = record(fn, [0.3, -0.7], params, vectorize=True)
    source = tape.source
    assert source.count("rows_largest(") == 2 and "maximum(" not in source.replace("rows_largest(", "")
    assert source.count("rows_logsumexp(") == 2


TIES = [[1.0, 3.0, 3.0, 0.5, 3.0], [2.0] * 7, [0.0, -0.0, -1.0, 0.0], [5.0, 1.0, 5.0]]


def tree_of_maximum(values: list[Value]) -> Value:
    """A balanced tree of binary ``maximum`` nodes over ``values``, paired neighbour by neighbour."""
    level = values
    while len(level) > 1:
        paired = [maximum(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + level[-1:] if len(level) % 2 else paired
    return level[0]


@pytest.mark.parametrize("xs", TIES)
def test_the_largest_rows_gradient_splits_a_tie_as_the_tree_of_maximum_nodes(xs: list[float]) -> None:
    np = pytest.importorskip("numpy")
    from autograd.replay.row_reductions import rows_largest, rows_largest_grad

    values = [Value(x) for x in xs]
    top = tree_of_maximum(values)
    top.backward(0.75)
    assert rows_largest(np.array(xs)) == top.data
    assert rows_largest_grad(np.array(xs), 0.75).tolist() == [v.grad for v in values]


@pytest.mark.parametrize("xs", TIES)
def test_a_largest_node_and_its_rows_gradient_split_a_tie_as_torch_amax(xs: list[float]) -> None:
    np = pytest.importorskip("numpy")
    torch = pytest.importorskip("torch")
    from autograd.replay.row_reductions import rows_amax_grad, rows_largest

    values = [Value(x) for x in xs]
    top = largest(values)
    top.backward(0.75)
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    amax = torch.amax(t, 0)
    amax.backward(torch.tensor(0.75, dtype=torch.float64))
    assert math.copysign(1.0, top.data) == math.copysign(1.0, max(xs)) and top.data == amax.item()
    assert rows_largest(np.array(xs)) == top.data
    assert [v.grad for v in values] == t.grad.tolist()
    assert rows_amax_grad(np.array(xs), 0.75).tolist() == t.grad.tolist()


def test_tied_logits_replay_as_eager_in_every_mode() -> None:
    """Two neurons with equal weights give equal largest logits: every replay mode splits the gradient of a
    ``largest`` node as the eager engine does, evenly as torch.amax (and matches eager to 1e-12). The loss
    reads the largest logit itself too: through the shift alone its gradient is 0 up to rounding, and a
    wrong split would not show."""
    pytest.importorskip("numpy")
    params, _ = layer_model(27, 40.0, 5)
    rows = [params[3 * j: 3 * j + 3] for j in range(27)]
    for k in range(3):  # neurons 2 and 7 alike, and larger than the others (|w| < 1) at the samples: a tie on top
        rows[7][k].data = rows[2][k].data = (1.5, 0.5, 2.0)[k]

    def fn(x0: Value, x1: Value) -> Value:
        logits = [dot(row, [x0, x1, 1.0]) + 40.0 for row in rows]
        return softmax_cross_entropy(logits, 2) + 3.0 * largest(logits)

    samples = [[0.3, -0.7], [2.0, 1.5]]
    refs = [eager(fn, params, x) for x in samples]
    for x, (_, ref_grads) in zip(samples, refs):  # 3 * amax adds 3/2 * (x0, x1, 1) to each tied neuron's weights
        _, loss_only = eager(lambda x0, x1: softmax_cross_entropy([dot(r, [x0, x1, 1.0]) + 40.0 for r in rows], 2),
                             params, x)
        column = [x[0], x[1], 1.0]
        want = [1.5 * column[k % 3] if k // 3 in (2, 7) else 0.0 for k in range(len(params))]
        assert [a - b for a, b in zip(ref_grads, loss_only)] == pytest.approx(want, rel=1e-12, abs=1e-12)
    for vectorize in (None, False, True):
        tape = record(fn, samples[0], params) if vectorize is None else record(fn, samples[0], params,
                                                                                vectorize=vectorize)
        if vectorize is not None:
            tape.compile()
        if vectorize:  # the largest and its gradient as one call each on the layer's rows
            assert "rows_largest(" in tape.source and "rows_amax_grad(" in tape.source
        for x, (ref_loss, ref_grads) in zip(samples, refs):
            loss, grads = tape.evaluate(x)
            assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
            assert grads == pytest.approx(ref_grads, rel=1e-12, abs=1e-12)
