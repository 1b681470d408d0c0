"""torch's classification losses over logits or log-probabilities: ``cross_entropy`` and ``nll_loss``.

``input`` is one sample's scores (a list of C numbers or Values, torch's
shape ``(C,)``) or a batch of them (a list of N such lists, ``(N, C)``).
``target`` is, per sample, a class index (an int) or, for
``cross_entropy``, C class probabilities. ``weight`` (C numbers),
``ignore_index``, ``label_smoothing`` and ``reduction`` are torch's, with
torch's rules for the weighted mean (divided by the weights of the targets).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from autograd import Value
from autograd.functional import shifted_logits

from .numbers_in_messages import checked_float, short_repr, short_str, zero_dimensional_as_item
from .reduction import checked_reduction, nll_sum, reduced, torch_sum


class TargetOutOfBounds(IndexError, ValueError):
    """A class index outside ``0..C-1`` (and not ``ignore_index``): torch's IndexError, and a ValueError."""


class _LogProbabilities(Sequence[Value]):
    """One row's log_softmax, each entry made when first read (torch's (z_j - m) - log(s): `shifted_logits`).

    A loss against class indices reads one entry per row, so a logit more than 1.8e308 under the largest
    (whose log-probability is below the float range) matters only if it is read: then it is an OverflowError
    naming it (torch: -inf, and an inf loss), else the loss is finite, as torch's.
    """

    def __init__(self, row: list[Value | float]) -> None:
        self._differences, self._log_sum = shifted_logits(row, "cross_entropy")
        self._entries: dict[int, Value] = {}

    def __len__(self) -> int:
        return len(self._differences)

    def below_float_range(self, j: int) -> bool:
        """Whether entry ``j`` is below the float range (reading it is an OverflowError)."""
        return self._differences[j] is None

    def __getitem__(self, j: Any) -> Any:  # an int: a slice is never asked for
        entry = self._entries.get(j)
        if entry is None:
            d = self._differences[j]
            if d is None:
                raise OverflowError(f"cross_entropy: log-probability {j} is below the float range (its logit is "
                                    f"more than 1.8e308 under the largest; torch gives -inf)")
            entry = self._entries[j] = d - self._log_sum
        return entry

    def __iter__(self) -> Iterator[Value]:
        return (self[j] for j in range(len(self)))


def _is_row(x: Any) -> bool:
    return isinstance(x, (list, tuple))


def _as_lists(x: Any) -> Any:
    """A numpy array of one or more dimensions as nested lists (torch takes tensors here); anything else as it is."""
    return x.tolist() if getattr(x, "ndim", 0) >= 1 and hasattr(x, "tolist") else x


def _rows(input: Any, target: Any, who: str) -> tuple[list[list[Value | float]], list[Any], bool]:
    """The input as rows of C scores and the target as one entry per row, and whether it was a batch."""
    input, target = _as_lists(input), _as_lists(target)
    if not _is_row(input) or not input:
        raise TypeError(f"{who} needs a list of C scores or a list of N such lists, got {short_repr(input)}")
    batched = _is_row(input[0])
    rows = [list(row) for row in input] if batched else [list(input)]
    if batched and not all(_is_row(row) for row in input):
        raise TypeError(f"{who}: input mixes rows (lists) and single scores; pass N lists of C scores")
    classes = len(rows[0])
    if classes == 0 or any(len(row) != classes for row in rows):
        raise ValueError(f"{who}: every row of input needs the same number of classes (at least one), got "
                         f"{sorted({len(row) for row in rows})}")
    if batched:
        if not _is_row(target) or len(target) != len(rows):
            raise ValueError(f"{who}: a batch of {len(rows)} rows needs {len(rows)} targets, got {short_repr(target)}")
        targets = list(target)
    else:
        targets = [target]
    for row in rows:
        for score in row:
            if not isinstance(score, Value):
                checked_float(score, f"{who} input score")
    return rows, targets, batched


def _class_index(target: Any, classes: int, ignore_index: int) -> int | None:
    """``target`` as a class index, None when it is ``ignore_index``; torch's IndexError when out of bounds."""
    target = zero_dimensional_as_item(target)
    if isinstance(target, bool) or not isinstance(target, numbers.Integral):
        raise TypeError(f"a class target must be an integer index, got {type(target).__name__} {short_repr(target)}")
    index = int(target)
    if index == ignore_index:
        return None
    if not 0 <= index < classes:
        raise TargetOutOfBounds(f"Target {short_str(index)} is out of bounds.")
    return index


def _weights(weight: Sequence[Any] | None, classes: int) -> list[Value | float] | None:
    if weight is None:
        return None
    if (isinstance(weight, (str, bytes, Value, Mapping)) or not isinstance(weight, Iterable)
            or getattr(weight, "ndim", 1) == 0):  # a 0-d array: iterable by type, iterating it raises
        raise TypeError(f"weight must be a sequence of one number per class, got {type(weight).__name__}")
    weight = list(weight)  # a numpy array or a range holds the weights as well as a list
    if len(weight) != classes:
        raise ValueError(f"weight should be defined either for all {classes} classes or no classes but got "
                         f"{short_repr(weight)}")
    return [w if isinstance(w, Value) else checked_float(w, f"weight[{j}]") for j, w in enumerate(weight)]


def checked_options(ignore_index: Any, label_smoothing: Any = 0.0) -> tuple[int, float]:
    """``ignore_index`` as an int and ``label_smoothing`` as a float in [0, 1], or an error in torch's words."""
    ignore_index = zero_dimensional_as_item(ignore_index)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, numbers.Integral):
        raise TypeError(f"ignore_index must be an integer, got {type(ignore_index).__name__} "
                        f"{short_repr(ignore_index)}")
    smoothing = checked_float(zero_dimensional_as_item(label_smoothing), "label_smoothing")
    if not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {short_repr(smoothing)}")
    return int(ignore_index), smoothing


def _refuse_all_ignored(kept: list[Value], reduction: str) -> None:
    """ValueError for the mean over no samples (every target ``ignore_index``), where torch returns nan."""
    if reduction == "mean" and not kept:
        raise ValueError("every target is ignore_index: their mean is undefined (torch returns nan)")


def _is_empty_batch(input: Any, target: Any) -> bool:
    """Whether ``input`` and ``target`` are a batch of no samples (torch's ``(0, C)`` input and ``(0,)`` target)."""
    return _is_row(input) and not input and _is_row(target) and not target


def _result(losses: list[Value], batched: bool, reduction: str, denominator: Value | float | None) -> Any:
    if reduction == "none":
        # torch computes one sample's unreduced loss as its sum (from +0.0): a perfectly classified row is 0.0, not
        # the -0.0 of its row in a batch.
        return losses if batched else torch_sum(losses)
    return reduced(losses, reduction, denominator)


def nll_loss(
    input: Any, target: Any, weight: Sequence[Any] | None = None, ignore_index: int = -100,
    reduction: str = "mean",
) -> Any:
    """torch's ``F.nll_loss``: -weight[y] * input[y] per sample, ``input`` holding log-probabilities.

    'mean' divides by the sum of the targets' weights (their count without
    ``weight``); an ignored sample's 'none' loss is 0 and it counts for nothing.
    A batch of no samples (``[]`` and ``[]``) gives torch's ``[]`` ('none')
    and 0 ('sum'); its mean, torch's nan, is a ValueError.
    """
    reduction = checked_reduction(reduction)
    ignore, _ = checked_options(ignore_index)
    if _is_empty_batch(input, target):
        return _result([], True, reduction, None)
    rows, targets, batched = _rows(input, target, "nll_loss")
    weights = _weights(weight, len(rows[0]))
    losses, kept, weight_sum, total = _picked(rows, targets, weights, ignore)
    _refuse_all_ignored(kept, reduction)
    if reduction == "sum" and not kept:
        return Value(0.0)  # torch's sum over no samples
    if reduction == "none":
        return _result(losses, batched, reduction, weight_sum)
    return reduced(kept, reduction, weight_sum, total)


def _picked(
    rows: Sequence[Sequence[Any]], targets: list[Any], weights: list[Value | float] | None, ignore: int
) -> tuple[list[Value], list[Value], Value | float, Value | None]:
    """Each row's -weight * row[target] (0 when ignored), those not ignored, the sum of their weights and the
    sum of those losses, both added in torch's order (`nll_sum`; None and 0.0 when every target is ignored)."""
    losses: list[Value] = []
    kept: list[tuple[int, Value]] = []
    chosen: list[tuple[int, Value | float]] = []
    for b, (row, t) in enumerate(zip(rows, targets)):
        index = _class_index(t, len(row), ignore)
        if index is None:
            losses.append(Value(0.0))
            continue
        w = 1.0 if weights is None else weights[index]
        loss = -row[index] if weights is None else -(w * row[index])
        losses.append(loss)
        kept.append((b, loss))
        chosen.append((b, w))
    if not kept:
        return losses, [], 0.0, None
    batch = len(rows)
    weight_sum: Value | float = float(len(chosen)) if weights is None else nll_sum(chosen, batch)
    total = nll_sum(kept, batch)
    # Numbers in, a Value out, as before (a loss is always a Value).
    return losses, [loss for _, loss in kept], weight_sum, total if isinstance(total, Value) else Value(total)


def cross_entropy(
    input: Any, target: Any, weight: Sequence[Any] | None = None, ignore_index: int = -100,
    reduction: str = "mean", label_smoothing: float = 0.0,
) -> Any:
    """torch's ``F.cross_entropy``: log-softmax of each row, then `nll_loss`, or against class probabilities.

    With class indices, ``label_smoothing`` mixes in (with weight
    ``label_smoothing / C``) the loss against the uniform distribution, as
    torch's; with probability targets it smooths the targets, and 'mean'
    divides by the number of samples. A batch of no samples as `nll_loss`.
    """
    reduction = checked_reduction(reduction)
    ignore, smoothing = checked_options(ignore_index, label_smoothing)
    if _is_empty_batch(input, target):
        return _result([], True, reduction, None)
    rows, targets, batched = _rows(input, target, "cross_entropy")
    classes = len(rows[0])
    weights = _weights(weight, classes)
    log_probs = [_LogProbabilities(row) for row in rows]
    if _is_row(targets[0]):
        return _soft_targets(log_probs, targets, weights, smoothing, batched, reduction)
    losses, kept, weight_sum, total = _picked(log_probs, targets, weights, ignore)
    _refuse_all_ignored(kept, reduction)
    if reduction == "sum" and not kept:
        return Value(0.0)  # torch's sum over no samples
    nll = _result(losses, batched, reduction, weight_sum) if reduction == "none" else \
        reduced(kept, reduction, weight_sum, total)
    if smoothing == 0.0:
        return nll
    # torch: smooth_loss = -(input * weight).sum(class_dim), 0 where ignored, then its sum over the whole batch
    # (the zeros included), over the kept targets' weights (or their count) for 'mean': each an at::sum.
    smooth: list[Value] = []
    for row, t in zip(log_probs, targets):
        if int(t) == ignore:
            smooth.append(Value(0.0))
        else:
            smooth.append(-torch_sum(list(row) if weights is None else [lp * w for w, lp in zip(weights, row)]))
    if reduction == "none":
        # Unbatched, torch's nll part is the reduced one (+0.0 for a perfect row): `_result`'s, not the row's.
        nlls: list[Value] = nll if batched else [nll]  # type: ignore[assignment]  # 'none': _result's list or one
        mixed = [(1.0 - smoothing) * a + (smoothing / classes) * b for a, b in zip(nlls, smooth)]
        return mixed if batched else mixed[0]
    smooth_total = torch_sum(smooth)
    if reduction == "mean":
        chosen = [_class_index(t, classes, ignore) for t in targets]
        smooth_total = smooth_total / (float(len(kept)) if weights is None else
                                       torch_sum([weights[i] for i in chosen if i is not None]))
    return (1.0 - smoothing) * nll + (smoothing / classes) * smooth_total


def _far(row: Sequence[Value], j: int) -> bool:
    """Whether class ``j``'s log-probability in ``row`` is below the float range (its logit is more than 1.8e308
    under the largest)."""
    return isinstance(row, _LogProbabilities) and row.below_float_range(j)


def _soft_targets(
    log_probs: Sequence[Sequence[Value]], targets: list[Any], weights: list[Value | float] | None, smoothing: float,
    batched: bool, reduction: str,
) -> Any:
    """-sum_j weight_j y_j log p_j per row against probability targets (smoothed), 'mean' over the rows."""
    classes = len(log_probs[0])
    rows_terms: list[list[Value]] = []
    for n, (row, probabilities) in enumerate(zip(log_probs, targets)):
        if not _is_row(probabilities) or len(probabilities) != classes:
            raise ValueError(f"cross_entropy: target row {n} must hold {classes} class probabilities, got "
                             f"{short_repr(probabilities)}")
        ys = [y if isinstance(y, Value) else checked_float(y, f"target[{n}] probability") for y in probabilities]
        if smoothing:
            ys = [y * (1.0 - smoothing) + smoothing / classes for y in ys]
        # torch's input * target * weight, in that order. A plain 0 on a class whose log-probability is below the
        # float range is a term of exactly 0, left out (torch's 0 * -inf made the loss NaN; its gradient is q - p).
        rows_terms.append([row[j] * y if weights is None else (row[j] * y) * weights[j]
                           for j, y in enumerate(ys) if not (y.__class__ is float and y == 0.0 and _far(row, j))])
    if reduction == "none":
        losses = [-torch_sum(terms) for terms in rows_terms]
        return losses if batched else losses[0]
    # torch sums the products of the whole batch as one tensor, then divides by the number of rows for 'mean'.
    total = -torch_sum([term for terms in rows_terms for term in terms])
    return total if reduction == "sum" else total / float(len(rows_terms))
