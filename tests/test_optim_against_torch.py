"""Optimizers and tied weights against PyTorch in float64, step by step, to 1e-12.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import random
import zlib

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import SGD, Adagrad, Adam, AdamW, Module  # noqa: E402

OURS = {"sgd": SGD, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}
THEIRS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def _compare(kind: str, options: dict, grad_scale: float = 1.0, steps: int = 25) -> None:
    # crc32, not hash(): str hashes change per process, which made the data (and any failure) unrepeatable.
    rng = random.Random(zlib.crc32(repr((kind, sorted(options.items()), grad_scale)).encode()))
    start = [rng.uniform(-1.0, 1.0) for _ in range(6)]
    ours = [Value(x) for x in start]
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt_ours = OURS[kind](ours, **options)
    opt_theirs = THEIRS[kind]([theirs], **options)
    for step in range(steps):
        grads = [rng.gauss(0.0, grad_scale) for _ in start]
        for p, g in zip(ours, grads, strict=True):
            p.grad = g
        theirs.grad = torch.tensor(grads, dtype=torch.float64)
        opt_ours.step()
        opt_theirs.step()
        expected = theirs.detach().tolist()
        # 1e-12 of the parameters' scale: torch's `p.add_(buf, alpha=-lr)` may round once (a fused
        # multiply-add), so a parameter that cancels to ~1e-5 can differ from ours by one ulp of the
        # O(1) values it came from: far below this bound, but 1e-11 *relative to itself*.
        scale = max(1.0, max(abs(x) for x in expected))
        assert [p.data for p in ours] == pytest.approx(expected, rel=1e-12, abs=1e-12 * scale), f"step {step + 1}"


@pytest.mark.parametrize("grad_scale", [1.0, 1e-3, 1e-6])
@pytest.mark.parametrize(
    "options",
    [{}, {"lr": 0.1}, {"lr": 0.05, "lr_decay": 0.3, "weight_decay": 0.01, "initial_accumulator_value": 0.2},
     {"lr": 0.5, "eps": 1e-6}],
)
def test_adagrad_matches_torch(options: dict, grad_scale: float) -> None:
    _compare("adagrad", options, grad_scale)


def test_the_min_char_rnn_form_is_a_different_rule_from_torch() -> None:
    # Guards the test above: with gradients of 1e-6 the two forms differ by ~100x in step size.
    w_ours, w_theirs = Value(0.0), torch.zeros(1, dtype=torch.float64, requires_grad=True)
    w_ours.grad, w_theirs.grad = 1e-6, torch.tensor([1e-6], dtype=torch.float64)
    Adagrad([w_ours], lr=0.1, form="min-char-rnn").step()
    torch.optim.Adagrad([w_theirs], lr=0.1).step()
    assert w_theirs.item() / w_ours.data == pytest.approx(100.0, rel=1e-3)


@pytest.mark.parametrize(
    "options",
    [{"lr": 0.1}, {"lr": 0.05, "momentum": 0.9}, {"lr": 0.3, "momentum": 0.5},
     {"lr": 0.1, "weight_decay": 0.3}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.4, "weight_decay": 0.01},
     {"lr": 0.05, "momentum": 0.9, "nesterov": True},
     {"lr": 0.1, "momentum": 0.7, "nesterov": True, "weight_decay": 0.2},
     {"lr": 0.1, "dampening": 0.5}],
)
def test_sgd_matches_torch(options: dict) -> None:
    _compare("sgd", options)


@pytest.mark.parametrize("grad_scale", [1.0, 1e-4])
@pytest.mark.parametrize(
    "options",
    [{}, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}, {"lr": 0.05, "weight_decay": 0.1},
     {"lr": 0.02, "betas": (0.5, 0.9), "weight_decay": 2.0}],
)
def test_adam_matches_torch(options: dict, grad_scale: float) -> None:
    _compare("adam", options, grad_scale)


@pytest.mark.parametrize("grad_scale", [1.0, 1e-4])
@pytest.mark.parametrize(
    "options", [{}, {"lr": 0.05}, {"lr": 0.05, "weight_decay": 0.5}, {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6,
                                                                     "weight_decay": 0.0}]
)
def test_adamw_matches_torch(options: dict, grad_scale: float) -> None:
    _compare("adamw", options, grad_scale)


def test_adamw_decays_differently_from_adams_l2_term() -> None:
    # Guards the test above: with the same weight_decay the two rules move a weight by different amounts.
    a, b = Value(1.0), Value(1.0)
    a.grad = b.grad = 0.0
    Adam([a], lr=0.1, weight_decay=0.5).step()  # L2: gradient 0.5, Adam's first step is lr * sign = 0.1
    AdamW([b], lr=0.1, weight_decay=0.5).step()  # decoupled: w *= 1 - 0.05, then a zero Adam step
    theirs = torch.ones(1, dtype=torch.float64, requires_grad=True)
    theirs.grad = torch.zeros(1, dtype=torch.float64)
    torch.optim.AdamW([theirs], lr=0.1, weight_decay=0.5).step()
    assert a.data == pytest.approx(0.9, rel=1e-7)
    assert b.data == theirs.item() == 0.95


@pytest.mark.parametrize(
    "kind, options",
    [("sgd", {"lr": 0.1, "weight_decay": -0.1}), ("sgd", {"lr": 0.1, "nesterov": True}),
     ("sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}), ("sgd", {"lr": 0.1, "momentum": -0.5}),
     ("adam", {"weight_decay": -1e-3}), ("adamw", {"weight_decay": -1e-3}), ("adamw", {"lr": -1.0})],
)
def test_bad_options_are_value_errors_as_in_torch(kind: str, options: dict) -> None:
    with pytest.raises(ValueError):
        THEIRS[kind]([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError):
        OURS[kind]([Value(0.0)], **options)


def test_defaults_are_torchs() -> None:
    import inspect

    for kind in ("sgd", "adam", "adamw"):
        ours = inspect.signature(OURS[kind]).parameters
        theirs = inspect.signature(THEIRS[kind]).parameters
        for name in ours:
            if name in theirs and name != "params":
                assert ours[name].default == theirs[name].default, (kind, name)


class _TiedOurs(Module):
    def __init__(self) -> None:
        self.a = Value(0.5)
        self.b = self.a
        self.c = Value(-1.0)


class _TiedTheirs(torch.nn.Module):  # type: ignore[name-defined]
    def __init__(self) -> None:
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(0.5, dtype=torch.float64))
        self.b = self.a
        self.c = torch.nn.Parameter(torch.tensor(-1.0, dtype=torch.float64))


def test_tied_weights_are_named_and_stepped_as_in_torch() -> None:
    ours, theirs = _TiedOurs(), _TiedTheirs()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()] == ["a", "c"]
    assert len(ours.parameters()) == len(list(theirs.parameters())) == 2
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["a", "b", "c"]
    (ours.a * 3.0 + ours.b * 2.0 + ours.c).backward()
    (theirs.a * 3.0 + theirs.b * 2.0 + theirs.c).backward()
    SGD(ours.parameters(), lr=0.125).step()  # exact in binary: both sides round alike
    torch.optim.SGD(theirs.parameters(), lr=0.125).step()
    assert ours.a.data == theirs.a.item() == 0.5 - 0.125 * 5.0  # once (twice: -0.75)
    assert ours.c.data == theirs.c.item()


@pytest.mark.filterwarnings("ignore:Using backward.. with create_graph=True:UserWarning")  # torch's cycle note
@pytest.mark.parametrize("kind", ["sgd", "adagrad", "adam"])
def test_a_gradient_left_as_a_value_by_create_graph_steps_like_torch(kind: str) -> None:
    # After backward(create_graph=True) .grad is a Value (in torch a tensor with a grad_fn);
    # both optimizers step with its number.
    ours = Value(0.7)
    (ours**3).backward(create_graph=True)
    assert isinstance(ours.grad, Value)
    theirs = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (theirs**3).backward(create_graph=True)
    assert theirs.grad is not None and theirs.grad.grad_fn is not None
    OURS[kind]([ours], lr=0.1).step()
    THEIRS[kind]([theirs], lr=0.1).step()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-15)
    assert ours.data != 0.7
