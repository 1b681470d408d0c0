"""Loss functions: the slides' half sum of squares, true MSE, softmax cross-entropy."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from typing import Any

from autograd import Value, dot, sum_of
from autograd.functional import Operand, shifted_logits

from .numbers_in_messages import checked_float, short_repr, zero_dimensional_as_item
from .reduction import checked_reduction, reduced


def _as_list(x: Any, what: str) -> list:
    """A sequence or other iterable (a generator, a numpy array) as a list; a number or Value (a 0-d array
    included) as one item; TypeError naming ``what`` for a string, a mapping or a set (no ordered numbers)."""
    x = zero_dimensional_as_item(x)
    if isinstance(x, (list, tuple)):
        return list(x)
    if isinstance(x, (str, bytes, Mapping, Set)):
        raise TypeError(f"{what} must be a number, a Value or a sequence of them, got {type(x).__name__} "
                        f"{short_repr(x)}")
    if isinstance(x, Iterable) and not isinstance(x, Value):
        return list(x)
    return [x]


def _entry(x: Any, what: str) -> Any:
    """One prediction or target: a Value as it is, else a finite real number, or an error naming ``what``
    (a NaN target used to be reported as the "operand of sub", naming neither the target nor its place)."""
    if isinstance(x, (list, tuple)) and len(x) == 1 and isinstance(x[0], Value):
        # A Layer or Linear with one output returns a one-element list (torch: a tensor of shape (1,)), so
        # `[model(x) for x in xs]` over such a model is a list of lists: say where the list came from.
        raise TypeError(f"{what} must be a real number or a Value, got {type(x).__name__} {short_repr(x)}: a"
                        " layer returns a list of its outputs, one element for Linear(n, 1) or Layer(n, 1);"
                        " take the element, layer(x)[0]")
    return x if isinstance(x, Value) else checked_float(zero_dimensional_as_item(x), what)


#: The kinds of entries the engine's own checks cover; anything else is checked entry by entry first.
_PLAIN = frozenset({Value, float})


def _checked(preds: list, targs: list) -> tuple[list, list]:
    """Every prediction and target checked by `_entry`, naming the first that is no finite number."""
    return ([_entry(p, f"prediction {j}") for j, p in enumerate(preds)],
            [_entry(t, f"target {j}") for j, t in enumerate(targs)])


def _pairs(predictions: Sequence[Operand] | Operand, targets: Sequence[float] | float) -> tuple[list, list]:
    preds = _as_list(predictions, "predictions")
    targs = _as_list(targets, "targets")
    if len(preds) != len(targs):
        raise ValueError(f"{len(preds)} predictions but {len(targs)} targets")
    if not preds:
        raise ValueError("a loss needs at least one prediction")
    # One C-level pass over the types: the common lists (Values and floats) are checked by the engine's ops,
    # and only when one fails (`_named`); an int, a numpy number, a str or a bool is checked here.
    if not {*map(type, preds), *map(type, targs)} <= _PLAIN:
        preds, targs = _checked(preds, targs)
    return preds, targs


def _named(preds: list, targs: list, loss: Callable[[], Any]) -> Any:
    """``loss()``; if it fails on a number (a NaN or inf float among Values: "operand of sub must be finite"),
    the error names the prediction or target instead. The check runs on the error path only."""
    try:
        return loss()
    except (TypeError, ValueError, OverflowError):
        _checked(preds, targs)  # raises, naming the entry, when one is no finite number
        raise


def half_sum_squared_error(predictions: Sequence[Operand] | Operand, targets: Sequence[float] | float) -> Value:
    """E = 1/2 sum_j (y_hat_j - y_j)^2: the slides' error (they call it "Mean Squared Error").

    The 1/2 makes dE/dy_hat = y_hat - y, the first factor of the slides' chain rule.
    """
    preds, targs = _pairs(predictions, targets)
    return _named(preds, targs, lambda: 0.5 * sum_of([(p - t) ** 2 for p, t in zip(preds, targs)]))


def mean_squared_error(
    predictions: Sequence[Operand] | Operand, targets: Sequence[float] | float, reduction: str = "mean"
) -> Any:
    """1/n sum_j (y_hat_j - y_j)^2: the mean, as PyTorch's MSELoss.

    ``reduction`` as torch's: 'sum' gives the sum, 'none' the list of squares
    (see `nn.functional.mse_loss` for nested lists).
    """
    reduction = checked_reduction(reduction)
    preds, targs = _pairs(predictions, targets)

    def loss() -> Any:
        squares = [s if isinstance(s, Value) else Value(s) for s in ((p - t) ** 2 for p, t in zip(preds, targs))]
        if reduction == "none":
            return squares
        # Added in torch's Tensor.sum order, as nn.functional.mse_loss (parity27: left to right, 11 of 100 hostile
        # batches were a last bit from torch's MSELoss).
        return reduced(squares, reduction)

    return _named(preds, targs, loss)


def softmax_cross_entropy(logits: Sequence[Operand], target: int | Sequence[Operand]) -> Value:
    """-log softmax(logits)[target], computed as torch's ``F.cross_entropy``: log(s) - (z_t - m).

    m is the largest logit (a node: `autograd.functional.shifted_logits`) and
    s = sum_j exp(z_j - m), so no logit overflows and the loss keeps its last
    digits however large the logits are (``logsumexp(z) - z_t``, the old form,
    cancelled two large numbers: 40 and -300 cost it up to ~800 ulps).
    ``target`` is the index of the correct class, or, as in PyTorch's
    ``cross_entropy``, a probability for every class (numbers in [0, 1] or
    Values holding them): then the loss is -sum_j p_j log softmax(logits)_j.
    A one-hot list gives the same number as its index; as Values it lets a
    recorded tape take the target as an input (`autograd.replay`). A class
    whose logit is more than 1.8e308 under the largest adds nothing when its
    probability is a plain 0 (torch: 0 * -inf, a NaN loss); otherwise the
    loss is past the float range, an OverflowError naming that class.
    """
    if isinstance(zero_dimensional_as_item(logits), (numbers.Number, Value)) or logits is None:
        raise TypeError(f"softmax_cross_entropy takes a sequence of logits (numbers or Values), got "
                        f"{type(logits).__name__} {short_repr(logits)}")
    logits = _as_list(logits, "softmax_cross_entropy's logits")
    if not logits:
        raise ValueError("softmax_cross_entropy needs at least one logit, got none")
    for position, logit in enumerate(logits):
        # torch's cross_entropy takes a batch of rows; without this check a row fails deep in the engine.
        if isinstance(logit, (list, tuple)):
            raise TypeError(
                f"softmax_cross_entropy takes one sample's logits (Values or numbers), but position {position} "
                f"is a {type(logit).__name__}: for a batch, call it once per sample and average the losses")
    logits = [_entry(z, f"softmax_cross_entropy logit {j}") for j, z in enumerate(logits)]
    target = zero_dimensional_as_item(target)
    if isinstance(target, (list, tuple)):
        return _soft_cross_entropy(logits, list(target))
    # Any whole-number type (a numpy int64 label read from an array) is an index; a bool is not.
    index = int(target) if isinstance(target, numbers.Integral) and not isinstance(target, bool) else -1
    if not 0 <= index < len(logits):
        raise ValueError(f"target must be a class index in 0..{len(logits) - 1}, got {short_repr(target)}")
    differences, log_sum = shifted_logits(logits, "softmax_cross_entropy")
    return log_sum - _target_difference(differences, index)


def _target_difference(differences: list[Value | None], index: int) -> Value:
    """The target's shifted logit z_t - m, or an OverflowError when it is below the float range (the loss,
    m - z_t + log(s), is then above it: torch gives inf)."""
    d = differences[index]
    if d is None:
        raise OverflowError(f"softmax_cross_entropy: the loss is above the float range (logit {index}, the target, "
                            f"is more than 1.8e308 under the largest; torch gives inf)")
    return d


def _soft_cross_entropy(logits: list[Operand], probabilities: list[Operand]) -> Value:
    """Cross-entropy against a probability per class (PyTorch's class-probability target)."""
    if len(probabilities) != len(logits):
        raise ValueError(f"{len(logits)} logits but {len(probabilities)} target probabilities")
    for j, p in enumerate(probabilities):
        if isinstance(p, bool) or not isinstance(p, (Value, int, float)):
            raise TypeError(f"target probability {j} must be a number or a Value, got {type(p).__name__}")
        # A Value is compared as a Value (not by its .data): while a tape records, that comparison is re-checked
        # on every run, as the target changes.
        if not (p >= 0.0 and p <= 1.0):  # also refuses NaN
            number = p.data if isinstance(p, Value) else p  # the number, not a Value's repr
            raise ValueError(f"target probability {j} is {short_repr(number)}: probabilities lie in [0, 1]")
    differences, log_sum = shifted_logits(logits, "softmax_cross_entropy")
    kept, log_probabilities = [], []
    for j, (p, d) in enumerate(zip(probabilities, differences)):
        if d is None:  # log softmax_j is a finite number below the float range
            _far_class(j, p)
            continue  # a plain 0: the term 0 * log softmax_j is exactly 0 (torch's 0 * -inf makes the loss NaN)
        kept.append(p)
        log_probabilities.append(d - log_sum)
    return -dot(kept, log_probabilities)  # torch's -(log_softmax * target).sum()


def _far_class(j: int, p: Operand) -> None:
    """Refuse class ``j``'s term when its logit is more than 1.8e308 under the largest, unless its target
    probability ``p`` is a plain 0 (the term is then 0 and is left out)."""
    if isinstance(p, Value):
        # A tape's input: 0 now, perhaps not on the next run, so the term cannot be left out of the graph.
        raise OverflowError(f"softmax_cross_entropy: logit {j} is more than 1.8e308 under the largest and its target "
                            f"probability is a Value ({short_repr(p.data)} now): its term, p * log softmax, is "
                            "below the float range (torch gives nan for 0 and inf otherwise); give the "
                            "probabilities as numbers")
    if p != 0.0:
        raise OverflowError(f"softmax_cross_entropy: the loss is above the float range (logit {j}, whose target "
                            f"probability is {short_repr(p)}, is more than 1.8e308 under the largest; torch gives inf)")
