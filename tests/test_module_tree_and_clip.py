"""Module's torch-named tree walks (children, named_modules, apply) and torch.nn.utils' clippers, against torch.

Skipped where PyTorch is not installed (an optional reference, never a dependency).
"""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from autograd import Value  # noqa: E402
from nn import MLP, Module, clip_grad_norm_, clip_grad_value_  # noqa: E402
from nn.optim import NonFiniteNormError  # noqa: E402


class Leaf(Module):
    def __init__(self) -> None:
        self.w = Value(1.0)


class Tree(Module):
    def __init__(self) -> None:
        self.first = Leaf()
        self.pair = [Leaf(), Leaf()]
        self.shared = self.first  # one module under two names
        self.inner = Inner(self.first)


class Inner(Module):
    def __init__(self, leaf: Leaf) -> None:
        self.leaf = leaf
        self.own = Leaf()


class TorchLeaf(torch.nn.Module):  # type: ignore[name-defined]
    def __init__(self) -> None:
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor(1.0))


class TorchInner(torch.nn.Module):  # type: ignore[name-defined]
    def __init__(self, leaf: torch.nn.Module) -> None:
        super().__init__()
        self.leaf = leaf
        self.own = TorchLeaf()


class TorchTree(torch.nn.Module):  # type: ignore[name-defined]
    def __init__(self) -> None:
        super().__init__()
        self.first = TorchLeaf()
        self.pair = torch.nn.ModuleList([TorchLeaf(), TorchLeaf()])
        self.shared = self.first
        self.inner = TorchInner(self.first)


def _torch_names(names: list[str]) -> list[str]:
    # torch has a ModuleList named "pair" where valuegrad has a plain list: its members carry the same names.
    return [n for n in names if n.rsplit(".", 1)[-1] != "pair"]


def test_named_children_and_children_match_torch_with_a_shared_module() -> None:
    ours, theirs = Tree(), TorchTree()
    assert [n for n, _ in ours.named_children()] == ["first", "pair.0", "pair.1", "inner"]
    assert [n for n, _ in theirs.named_children()] == ["first", "pair", "inner"]
    assert list(ours.children()) == [m for _, m in ours.named_children()]
    assert list(ours.children())[0] is ours.first


@pytest.mark.parametrize("remove_duplicate", [True, False])
def test_named_modules_names_and_de_duplication_match_torch(remove_duplicate: bool) -> None:
    ours = [n for n, _ in Tree().named_modules(remove_duplicate=remove_duplicate)]
    theirs = [n for n, _ in TorchTree().named_modules(remove_duplicate=remove_duplicate)]
    assert ours == _torch_names(theirs)
    if remove_duplicate:
        assert ours == ["", "first", "pair.0", "pair.1", "inner", "inner.own"]
    else:
        assert ours.count("shared") == 1 and "inner.leaf" in ours
    prefixed = [n for n, _ in Tree().named_modules(prefix="model")]
    assert prefixed == _torch_names([n for n, _ in TorchTree().named_modules(prefix="model")])
    assert [m for _, m in Tree().named_modules()] != [] and len(list(MLP(2, [3, 1]).named_modules())) == 1 + 2 + 4


def test_named_modules_memo_skips_modules_already_seen_as_torch() -> None:
    tree = Tree()
    assert [n for n, _ in tree.named_modules(memo={tree.inner})] == ["", "first", "pair.0", "pair.1"]


def test_apply_visits_children_first_returns_self_as_torch() -> None:
    ours, theirs = Tree(), TorchTree()
    seen_ours: list[str] = []
    seen_theirs: list[str] = []
    names_ours = {id(m): n for n, m in ours.named_modules()}
    names_theirs = {id(m): n for n, m in theirs.named_modules()}
    assert ours.apply(lambda m: seen_ours.append(names_ours[id(m)])) is ours
    assert theirs.apply(lambda m: seen_theirs.append(names_theirs[id(m)])) is theirs
    assert seen_ours == _torch_names(seen_theirs)
    with pytest.raises(TypeError, match="apply needs a function"):
        ours.apply(3)  # type: ignore[arg-type]


def test_apply_initialises_every_weight_and_a_self_containing_module_ends() -> None:
    model = MLP(2, [3, 1], seed=0)

    def init(m: Module) -> None:
        for name, p in vars(m).items():
            if name == "b":
                p.data = 0.25

    model.apply(init)
    assert all(p.data == 0.25 for n, p in model.named_parameters() if n.endswith(".b"))
    loop = Leaf()
    loop.again = loop  # type: ignore[attr-defined]
    assert loop.apply(lambda m: None) is loop and [n for n, _ in loop.named_modules()] == [""]


def test_module_zero_grad_accepts_set_to_none() -> None:
    model = MLP(2, [2, 1], seed=1)
    model([1.0, -1.0]).backward()
    model.zero_grad(set_to_none=True)
    assert all(p.grad == 0.0 for p in model.parameters())
    with pytest.raises(TypeError, match="set_to_none"):
        model.zero_grad(set_to_none="yes")  # type: ignore[arg-type]


def _grads_pair(grads: list[float]) -> tuple[list[Value], torch.Tensor]:
    ours = [Value(0.0) for _ in grads]
    for p, g in zip(ours, grads, strict=True):
        p.grad = g
    theirs = torch.zeros(len(grads), dtype=torch.float64, requires_grad=True)
    theirs.grad = torch.tensor(grads, dtype=torch.float64)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf, "inf"])
@pytest.mark.parametrize(("grads", "max_norm"), [([3.0, -4.0, 0.5], 1.0), ([0.1, 0.2], 5.0), ([0.0, 0.0], 1.0),
                                                  ([3.0, 4.0], 5.0)])
def test_clip_grad_norm_matches_torch(grads: list[float], max_norm: float, norm_type: float | str) -> None:
    ours, theirs = _grads_pair(grads)
    norm = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    their_norm = torch.nn.utils.clip_grad_norm_([theirs], max_norm, norm_type=norm_type)
    assert isinstance(norm, float) and norm == pytest.approx(their_norm.item(), rel=1e-15)
    assert [p.grad for p in ours] == pytest.approx(theirs.grad.tolist(), rel=1e-15, abs=1e-300)


def test_clip_grad_norm_with_a_non_finite_norm_as_torch() -> None:
    ours, theirs = _grads_pair([3.0, math.inf])
    assert clip_grad_norm_(ours, 1.0) == math.inf == torch.nn.utils.clip_grad_norm_([theirs], 1.0).item()
    assert [p.grad for p in ours][0] == theirs.grad[0].item() == 0.0
    assert math.isnan(ours[1].grad) and math.isnan(theirs.grad[1].item())
    ours, theirs = _grads_pair([3.0, math.inf])
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_([theirs], 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="non-finite") as info:
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert isinstance(info.value, (NonFiniteNormError, ValueError))
    assert [p.grad for p in ours] == [3.0, math.inf]  # left alone, as torch


def test_clip_grad_value_matches_torch_and_returns_none() -> None:
    ours, theirs = _grads_pair([3.0, -4.0, 0.5, math.nan])
    assert clip_grad_value_(ours, 1.5) is None
    assert torch.nn.utils.clip_grad_value_([theirs], 1.5) is None
    assert [p.grad for p in ours][:3] == theirs.grad.tolist()[:3] == [1.5, -1.5, 0.5]
    assert math.isnan(ours[3].grad) and math.isnan(theirs.grad[3].item())
    single = Value(0.0)
    single.grad = -9.0
    clip_grad_value_(single, 0.0)  # one Value is accepted, as one tensor is; 0 zeroes every gradient
    assert single.grad == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda ps: clip_grad_norm_(ps, -1.0), "max_norm must be >= 0"),
     (lambda ps: clip_grad_norm_(ps, math.nan), "max_norm"),
     # norm_type 0 is torch's count of non-zero gradients (tests/test_hostile28_clip_conversions.py); NaN is refused
     (lambda ps: clip_grad_norm_(ps, 1.0, norm_type=math.nan), "norm_type must not be NaN"),
     (lambda ps: clip_grad_norm_(ps, 1.0, norm_type="two"), "norm_type"),
     (lambda ps: clip_grad_value_(ps, -0.5), "clip_value must be a number >= 0"),
     (lambda ps: clip_grad_norm_([1.0], 1.0), "must be autograd Values, got float")],
)
def test_clip_refuses_bad_arguments_and_changes_nothing(call, message: str) -> None:
    ours, _ = _grads_pair([3.0, -4.0])
    with pytest.raises((ValueError, TypeError), match=message):
        call(ours)
    assert [p.grad for p in ours] == [3.0, -4.0]


@pytest.mark.parametrize("norm_type", [1.0, 0.5])  # norms past the largest float
def test_clip_grad_norm_of_gradients_whose_norm_overflows_is_inf_as_torch(norm_type: float) -> None:
    # Before: sum(|g| ** p) raised a bare OverflowError out of fsum or ** instead of giving the norm.
    ours, theirs = _grads_pair([1e308, -1e308, 2.0])
    norm = clip_grad_norm_(ours, 1.0, norm_type=norm_type)
    assert norm == math.inf == torch.nn.utils.clip_grad_norm_([theirs], 1.0, norm_type=norm_type).item()
    assert [p.grad for p in ours] == theirs.grad.tolist() == [0.0, -0.0, 0.0]  # scaled by 1 / inf, as torch
    ours, _ = _grads_pair([1e308, -1e308, 2.0])
    with pytest.raises(NonFiniteNormError, match="non-finite"):
        clip_grad_norm_(ours, 1.0, norm_type=norm_type, error_if_nonfinite=True)


def test_clip_grad_norm_of_huge_gradients_whose_norm_is_finite() -> None:
    # |g| ** 3 overflows for g = 1e200 but the 3-norm, 1e200 * 3 ** (1/3), is a float: valuegrad gives it (as
    # it does for the 2-norm), where torch's float64 sum of cubes overflows to inf and zeroes the gradients.
    ours, _ = _grads_pair([1e200, -1e200, 1e200])
    norm = clip_grad_norm_(ours, 2.0, norm_type=3.0)
    assert norm == pytest.approx(1e200 * 3 ** (1 / 3), rel=1e-15)
    assert [p.grad for p in ours] == pytest.approx([2.0 / 3 ** (1 / 3), -2.0 / 3 ** (1 / 3), 2.0 / 3 ** (1 / 3)],
                                                   rel=1e-14)


def test_clip_skips_a_gradient_set_to_none_as_torch_and_names_one_that_is_no_number() -> None:
    # Before: float(None) raised "float() argument must be ..." naming no parameter, and a string gradient "3"
    # was measured as 3.0 and then failed half-way through the scaling.
    ours, theirs = _grads_pair([3.0, 4.0])
    extra = Value(1.0)
    extra.grad = None  # type: ignore[assignment]
    untouched = torch.ones(1, dtype=torch.float64, requires_grad=True)
    assert clip_grad_norm_([*ours, extra], 1.0) == 5.0 == torch.nn.utils.clip_grad_norm_([theirs, untouched], 1.0)
    assert [p.grad for p in ours] == pytest.approx(theirs.grad.tolist(), rel=1e-15) and extra.grad is None
    clip_grad_value_([*ours, extra], 0.1)
    assert [p.grad for p in ours] == [0.1, 0.1] and extra.grad is None
    bad = Value(1.0)
    bad.grad = "3"  # type: ignore[assignment]
    for clip in (lambda ps: clip_grad_norm_(ps, 1.0), lambda ps: clip_grad_value_(ps, 1.0)):
        ours, _ = _grads_pair([3.0, 4.0])
        with pytest.raises(TypeError, match="parameter 2 has gradient '3': not a number"):
            clip([*ours, bad])
        assert [p.grad for p in ours] == [3.0, 4.0]
