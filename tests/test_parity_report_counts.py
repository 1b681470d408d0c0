"""parity_report's counts: why an LSTM's or RNN's gradients outnumber its weights.

torch keeps two bias vectors (bias_ih, bias_hh) where our cells keep one (their sum), so the report compares
one gradient per PyTorch number (our bias's gradient against each of the two) and one weight per number of
ours (ours against bias_ih + bias_hh). The example's LSTM showed 47,678 gradients against 47,486 weights
and did not say why; the summary now says how many biases are compared twice, and the weight rows name
both of torch's entries.
"""

from __future__ import annotations

import copy
import re

import pytest

torch = pytest.importorskip("torch")

from nn import MLP  # noqa: E402
from nn.torch_bridge import TorchCharModel, from_torch, parity_report, to_torch  # noqa: E402


def _count(summary: str, kind: str) -> int:
    return int(re.search(rf"^  {kind} +(\d+) compared", summary, flags=re.M).group(1))


@pytest.mark.parametrize(("cell", "gates"), [("lstm", 4), ("rnn", 1)])
def test_gradients_are_one_per_torch_number_and_the_summary_says_why(cell: str, gates: int) -> None:
    torch.manual_seed(0)
    hidden = 3
    module = TorchCharModel(5, hidden, cell=cell)
    ours = from_torch(module)
    report = parity_report(ours, copy.deepcopy(module).double(), [0, 1, 2, 3], targets=[1, 2, 3, 4])
    summary = report.summary()
    torch_numbers = sum(p.numel() for p in module.parameters())
    assert _count(summary, "gradients") == torch_numbers
    assert _count(summary, "weights") == ours.num_parameters()
    twice = gates * hidden  # one bias per gate unit, bias_ih and bias_hh each
    assert torch_numbers - ours.num_parameters() == twice
    assert f"so {twice} biases are compared twice" in summary
    assert "cell.bias_ih[0] + cell.bias_hh[0]" in [row.torch_name for row in report.of_kind("weight")]
    assert report.ok


def test_a_model_without_bias_pairs_has_no_note() -> None:
    model = MLP(2, [3, 1], activation="tanh", output_activation="linear")
    module = to_torch(model)
    summary = parity_report(model, module, [[0.5, -1.0], [2.0, 0.3]]).summary()
    assert _count(summary, "gradients") == _count(summary, "weights") == model.num_parameters()
    assert "compared twice" not in summary


def test_the_tolerance_is_any_real_number_and_one_past_float_range_is_named() -> None:
    # (review27) numpy's float32 was refused as "no finite number"; 10**400 raised a bare "int too large to
    # convert to float" from math.isfinite.
    np = pytest.importorskip("numpy")
    model = MLP(2, [3, 1], activation="tanh", output_activation="linear")
    module = to_torch(model)
    report = parity_report(model, module, [[0.5, -1.0]], tolerance=np.float32(0.25))
    assert report.tolerance == 0.25 and type(report.tolerance) is float
    with pytest.raises(ValueError, match="^tolerance must be a finite number >= 0, got an integer of 401 digits$"):
        parity_report(model, module, [[0.5, -1.0]], tolerance=10**400)
