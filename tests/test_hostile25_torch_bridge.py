"""from_torch on modules whose weights are not plain parameters (round 25): pruned and parametrized weights import
as torch's forward computes them (were KeyError 'weight'); a sparse weight is named (was NotImplementedError from
inside torch's isfinite)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch.nn.utils import parametrizations, prune  # noqa: E402

from nn.torch_bridge import NoCounterpart, from_torch  # noqa: E402


def _linear() -> torch.nn.Linear:
    torch.manual_seed(0)
    return torch.nn.Linear(3, 2, dtype=torch.float64)


def _outputs_agree(module: torch.nn.Module) -> None:
    """Our imported model gives torch's outputs (float64 both sides: the same sums, to rounding)."""
    model = from_torch(module)
    module.eval()  # spectral_norm's power iteration stops stepping, so torch's weight stays the one read
    for x in ([0.3, -1.2, 2.0], [1.0, 0.5, -0.25]):
        with torch.no_grad():
            theirs = module(torch.tensor(x, dtype=torch.float64)).tolist()
        ours = [v.data for v in model(x)]
        assert ours == pytest.approx(theirs, rel=1e-13, abs=1e-15)


def test_a_pruned_linear_imports_with_its_mask_applied() -> None:
    module = _linear()
    prune.l1_unstructured(module, "weight", amount=0.5)
    assert "weight" not in dict(module.named_parameters())  # torch keeps weight_orig and a weight_mask buffer
    model = from_torch(module)
    zeros = 0
    for neuron in model.parameters():
        zeros += neuron.data == 0.0
    assert zeros >= 3  # half of the six weights were pruned to zero (the bias is not pruned)
    _outputs_agree(module)


def test_weight_norm_and_spectral_norm_import_as_torch_computes_the_weight() -> None:
    _outputs_agree(parametrizations.weight_norm(_linear()))
    module = parametrizations.spectral_norm(_linear()).eval()
    _outputs_agree(module)


def test_a_pruned_layer_in_a_sequential_imports() -> None:
    torch.manual_seed(1)
    module = torch.nn.Sequential(torch.nn.Linear(3, 4, dtype=torch.float64), torch.nn.Tanh(),
                                 torch.nn.Linear(4, 2, dtype=torch.float64))
    prune.random_unstructured(module[2], "weight", amount=0.5)
    _outputs_agree(module)


def test_a_sparse_weight_is_named() -> None:
    module = _linear()
    module.weight = torch.nn.Parameter(module.weight.detach().to_sparse())
    with pytest.raises(NoCounterpart, match="parameter weight has layout torch.sparse_coo"):
        from_torch(module)


def _torch_char_lstm():  # type: ignore[no-untyped-def]
    """examples/torch_char_lstm.py as a module, to call its main() in this process."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "examples" / "torch_char_lstm.py"
    spec = importlib.util.spec_from_file_location("torch_char_lstm_hostile25", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_torch_char_lstm_refuses_sizes_whose_product_no_machine_can_hold(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # each within its own limit, together 4,096 x 4,096 characters of 1,024 units: ran into the out-of-memory
    # killer (or hours of swapping) after printing "training an LSTM of 1024 units"
    with pytest.raises(SystemExit) as stopped:
        _torch_char_lstm().main(["--batch", "4096", "--seq-len", "4096", "--hidden", "1024",
                                 "--out", str(tmp_path / "pictures")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--batch 4,096 x --seq-len 4,096 with --hidden 1,024 needs about" in err and "GiB per training step" in err
    assert not (tmp_path / "pictures").exists()


def test_torch_char_lstm_names_a_learning_rate_that_diverged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # --lr 1e308: Adam's first step took the float32 weights to inf, and from_torch's ValueError was a traceback
    example = _torch_char_lstm()
    with pytest.raises(example.UsageError, match=r"training diverged with --lr 1e\+308"):
        example.main(["--hidden", "2", "--steps", "2", "--batch", "1", "--seq-len", "4", "--snippet", "8",
                      "--lr", "1e308", "--out", str(tmp_path / "pictures")])


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2"])
def test_float8_is_named_both_ways(name: str) -> None:
    # to_torch: NotImplementedError '"check_uniform_bounds" not implemented' from inside torch's Linear init;
    # from_torch: NotImplementedError '"isfinite" not implemented' from the weight check
    from nn import MLP
    from nn.torch_bridge import to_torch

    dtype = getattr(torch, name, None)
    if dtype is None:
        pytest.skip(f"this torch has no {name}")
    with pytest.raises(TypeError, match=f"dtype torch.{name} is a storage format"):
        to_torch(MLP(2, [2, 1], seed=0), dtype=dtype)
    module = _linear()
    module.weight = torch.nn.Parameter(module.weight.detach().to(dtype), requires_grad=False)
    with pytest.raises(NoCounterpart, match=f"parameter weight has dtype torch.{name}, a storage format"):
        from_torch(module)
    # half precision still crosses over (every float16 value is a float64 value)
    half = to_torch(MLP(2, [2, 1], seed=0), dtype=torch.float16)
    back = from_torch(half)
    assert [p.data for p in back.parameters()] == [float(x) for x in torch.cat(
        [half[0].bias.detach()[:1], half[0].weight.detach()[0], half[0].bias.detach()[1:],
         half[0].weight.detach()[1], half[2].bias.detach(), half[2].weight.detach()[0]]).tolist()]


@pytest.mark.parametrize(("entry", "error", "shown"), [
    ("a", TypeError, "got str 'a'"),
    (True, TypeError, "got bool True"),
    (None, TypeError, "got NoneType None"),
    (1 + 1j, TypeError, r"got complex \(1\+1j\)"),
    (10**400, OverflowError, "got an int too large for a float"),
], ids=["str", "bool", "None", "complex", "huge-int"])
def test_parity_report_names_an_input_of_the_wrong_type(entry: object, error: type, shown: str) -> None:
    # were ValueError (a wrong type, where torch.tensor raises TypeError) or an unnamed OverflowError
    from nn import MLP
    from nn.torch_bridge import parity_report, to_torch

    model = MLP(2, [2], seed=0)
    with pytest.raises(error, match=r"inputs\[0\]\[1\] must be a finite real number, " + shown):
        parity_report(model, to_torch(model), [[1.0, entry]])


@pytest.mark.parametrize("state", [None, [1, 2], "state"], ids=["None", "list", "str"])
def test_optimizer_state_from_torch_names_a_state_that_is_no_dict_as_a_type_error(state: object) -> None:
    # was ValueError (a wrong type); torch's own load_state_dict fails on None with an AttributeError inside
    from nn import MLP, SGD
    from nn.torch_bridge import optimizer_state_from_torch, to_torch

    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(TypeError, match=r"torch_state must be a torch optimizer's state_dict\(\) \(a dict\), got "
                                        + type(state).__name__):
        optimizer_state_from_torch(state, SGD(model.parameters(), lr=0.1), model, to_torch(model))
