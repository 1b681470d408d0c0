"""``reduction='elementwise_mean'``: torch's losses still take it, as 'mean', with a deprecation UserWarning.

valuegrad refused it ("elementwise_mean is not a valid value for reduction"), so code written for an older
torch failed here while torch 2.x runs it. Each loss is compared with torch's own number and warning.
"""

from __future__ import annotations

import warnings

import pytest

import nn
from autograd import Value

torch = pytest.importorskip("torch")

PAIR = ([0.5, 0.2], [1.0, 0.0])
LOSSES = ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits"]
WORDS = "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead."


@pytest.mark.parametrize("name", LOSSES)
def test_elementwise_mean_is_torchs_mean_with_its_warning(name: str) -> None:
    inputs, targets = PAIR
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        expected = getattr(torch.nn.functional, name)(torch.tensor(inputs, dtype=torch.float64),
                                                      torch.tensor(targets, dtype=torch.float64),
                                                      reduction="elementwise_mean").item()
    assert [str(w.message) for w in theirs] == [WORDS]
    with pytest.warns(UserWarning, match=f"^{WORDS.replace('.', '[.]')}$"):
        ours = getattr(nn.functional, name)([Value(x) for x in inputs], [Value(t) for t in targets],
                                            reduction="elementwise_mean")
    assert ours.data == pytest.approx(expected, rel=1e-15)


def test_cross_entropy_and_nll_take_it_too() -> None:
    logits = [[1.0, 2.0, -0.5], [0.3, 0.1, 0.2]]
    targets = [1, 2]
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits, dtype=torch.float64), torch.tensor(targets),
                                                 reduction="mean").item()
    with pytest.warns(UserWarning, match="elementwise_mean"):
        ours = nn.functional.cross_entropy([[Value(z) for z in row] for row in logits], targets,
                                           reduction="elementwise_mean")
    assert ours.data == pytest.approx(expected, rel=1e-15)
    with pytest.warns(UserWarning, match="elementwise_mean"):
        loss = nn.MSELoss(reduction="elementwise_mean")([Value(0.5)], [Value(1.0)])
    assert loss.data == 0.25


def test_other_words_stay_refused() -> None:
    with pytest.raises(ValueError, match="^elementwise_sum is not a valid value for reduction"):
        nn.functional.mse_loss([Value(1.0)], [Value(1.0)], reduction="elementwise_sum")
