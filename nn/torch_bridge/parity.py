"""`parity_report`: our model and a PyTorch module on the same inputs, number by number.

Both run forward on the inputs and backward from the same scalar loss; the
report puts side by side every output, the loss, the gradient of the loss
with respect to every parameter, and every weight, with each pair's relative
error. Scripts check ``report.ok`` or exit with ``report.exit_status()``.

The relative error of a pair is ``|ours - torch| / max(|ours|, |torch|, scale)``
(0 when all are 0), where ``scale`` is the largest magnitude in the same
tensor (the same parameter's gradients, or all outputs). An entry much smaller
than the rest of its tensor is usually a sum of cancelling terms, and carries
rounding error on the scale of those terms, not of its own small value: in
float64 both engines agree to ~1e-16 of that scale, however small the entry.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import nn
from torch.nn import functional

from autograd import Value, is_grad_enabled, sum_of

from ..losses import softmax_cross_entropy
from ..module import Module
from ..numbers_in_messages import short_repr
from .importing import linked_value, torch_values
from .links import combined_bias, links
from .shapes import Layout, Shape, layout_of_module, shape_of_model

KINDS = ("output", "loss", "gradient", "weight")
#: Default tolerances on the worst relative error, by the PyTorch module's dtype.
TOLERANCE = {torch.float64: 1e-10, torch.float32: 1e-4}
LOW_PRECISION_TOLERANCE = 1e-2


@dataclass(frozen=True)
class ParityRow:
    """One number from each side: ``ours`` (named ``name``) against ``theirs`` (``torch_name``)."""

    kind: str
    name: str
    torch_name: str
    ours: float
    theirs: float
    scale: float = 0.0  # the largest magnitude in the row's tensor (see the module docstring)

    @property
    def tensor(self) -> str:
        """The PyTorch tensor the row belongs to (``weight_ih`` for ``weight_ih[3, 0]``)."""
        return self.torch_name.split("[")[0]

    @property
    def error(self) -> float:
        """|ours - theirs| / max(|ours|, |theirs|, scale); 0.0 when all are 0, inf when one is NaN or inf."""
        if not (math.isfinite(self.ours) and math.isfinite(self.theirs)):
            return 0.0 if self.ours == self.theirs else math.inf
        scale = max(abs(self.ours), abs(self.theirs), self.scale)
        return 0.0 if scale == 0.0 else abs(self.ours - self.theirs) / scale


@dataclass(frozen=True)
class ParityReport:
    """Every compared number, the worst relative error of each kind, and a verdict against ``tolerance``."""

    shape: str
    dtype: torch.dtype
    rows: tuple[ParityRow, ...]
    tolerance: float

    def of_kind(self, kind: str) -> list[ParityRow]:
        """The rows of one kind: "output", "loss", "gradient" or "weight"."""
        if kind not in KINDS:
            raise ValueError(f"unknown row kind {short_repr(kind)}: choose one of {', '.join(KINDS)}")
        return [row for row in self.rows if row.kind == kind]

    def worst(self, kind: str | None = None) -> ParityRow:
        """The row with the largest relative error (of one kind, or of all)."""
        rows = self.rows if kind is None else self.of_kind(kind)
        return max(rows, key=lambda row: row.error)

    @property
    def worst_error(self) -> float:
        """The largest relative error over every row."""
        return self.worst().error

    @property
    def ok(self) -> bool:
        """True when every relative error is within ``tolerance``."""
        return self.worst_error <= self.tolerance

    def exit_status(self) -> int:
        """0 when `ok`, 1 otherwise: ``raise SystemExit(report.exit_status())``."""
        return 0 if self.ok else 1

    def table(self, kind: str | None = None, limit: int | None = None) -> str:
        """Rows side by side (one kind, or all), worst first when ``limit`` is given."""
        rows = list(self.rows if kind is None else self.of_kind(kind))
        if limit is not None:
            rows = sorted(rows, key=lambda row: -row.error)[:limit]
        width = max([len(row.name) for row in rows] + [4])
        twidth = max([len(row.torch_name) for row in rows] + [7])
        lines = [f"{'kind':8} {'ours':{width}} {'PyTorch':{twidth}} {'ours value':>24} {'PyTorch value':>24}"
                 f" {'rel. error':>10}"]
        for row in rows:
            lines.append(f"{row.kind:8} {row.name:{width}} {row.torch_name:{twidth}} {row.ours:24.17g}"
                         f" {row.theirs:24.17g} {row.error:10.2e}")
        return "\n".join(lines)

    def summary(self) -> str:
        """One line per kind (count, worst relative error and where), then the verdict."""
        lines = [f"parity: {self.shape}, PyTorch {str(self.dtype).removeprefix('torch.')}"]
        for kind in KINDS:
            rows = self.of_kind(kind)
            worst = self.worst(kind)
            plural = kind if kind == "loss" else kind + "s"
            lines.append(f"  {plural:9} {len(rows):7d} compared, worst relative error {worst.error:.2e}"
                         f" ({worst.name} vs {worst.torch_name})")
            twice = len(rows) - len({row.name for row in rows})
            if kind == "gradient" and twice:
                # Why the gradients outnumber the weights (47,678 against 47,486 for the example's LSTM).
                lines.append(f"  {'':9} {'':7} (one per PyTorch number: bias_ih and bias_hh are one bias here,"
                             f" their sum, so {twice:,} biases are compared twice)")
        verdict = "OK" if self.ok else "MISMATCH"
        lines.append(f"{verdict}: worst relative error {self.worst_error:.2e}, tolerance {self.tolerance:.0e}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return f"{self.summary()}\nworst rows:\n{self.table(limit=5)}"


def parity_report(
    model: Module,
    torch_module: nn.Module,
    inputs: Sequence[Any],
    targets: Sequence[int] | None = None,
    tolerance: float | None = None,
) -> ParityReport:
    """Run ``model`` and ``torch_module`` on ``inputs``; compare outputs, loss, gradients and weights.

    ``inputs`` by shape: an MLP, Linear or Sequential takes a list of samples (each
    ``nin`` numbers); a cell takes one sequence of steps, each ``input_size``
    numbers or an int (a one-hot index), and starts from the zero state; a
    CharModel takes one sequence of character indices.

    The loss is half the sum of squares of every output (the MLP's outputs,
    every step's h for a cell, every step's logits for a CharModel); with
    ``targets`` (CharModel only, one character index per input) it is the
    summed cross-entropy of each step's logits instead, as in training.

    ``tolerance`` bounds the worst relative error for ``report.ok``; by
    default 1e-10 for a float64 module, 1e-4 for float32, 1e-2 below. The
    two models must have the same shape (ValueError otherwise), need not
    have the same weights (the weight rows show where they differ). Neither
    side's ``.grad`` is changed. Must run with graph recording on (not
    inside ``no_grad()``).
    """
    if hasattr(inputs, "tolist") and not isinstance(inputs, Sequence):  # a tensor or numpy array
        inputs = inputs.tolist()
    if targets is not None and hasattr(targets, "tolist") and not isinstance(targets, Sequence):
        targets = targets.tolist()
    ours_shape = shape_of_model(model)
    layout = layout_of_module(torch_module)
    if layout.shape != ours_shape:
        raise ValueError(f"the models differ in shape: ours is {ours_shape.describe()}, the PyTorch module is"
                         f" {layout.shape.describe()}")
    if not is_grad_enabled():
        raise RuntimeError("parity_report needs graph recording: call it outside no_grad()")
    first = next(torch_module.parameters())
    dtype, device = first.dtype, first.device
    if tolerance is None:
        tolerance = TOLERANCE.get(dtype, LOW_PRECISION_TOLERANCE)
    else:
        tolerance = _tolerance(tolerance)
    steps = _checked_inputs(ours_shape, inputs)
    if targets is not None:
        targets = _checked_targets(ours_shape, targets, len(steps))

    our_outputs, our_loss, our_grads = _run_ours(model, ours_shape, steps, targets)
    their_outputs, their_loss, their_grads = _run_torch(torch_module, layout, steps, targets, dtype, device)

    rows = [ParityRow("output", name, name, a, b) for name, a, b in zip(_output_names(ours_shape, steps),
                                                                          our_outputs, their_outputs)]
    rows.append(ParityRow("loss", "loss", "loss", our_loss, their_loss))
    values = torch_values(torch_module)
    for link in links(model, layout):
        partners = [link.torch_name] + ([link.partner] if link.partner else [])
        for name in partners:
            label = f"{name}[{', '.join(map(str, link.index))}]"
            rows.append(ParityRow("gradient", link.name, label, our_grads[link.name],
                                  linked_value(their_grads, name, link.index)))
        theirs = linked_value(values, link.torch_name, link.index)
        if link.partner:
            theirs = combined_bias(theirs, linked_value(values, link.partner, link.index))
        partner = f"{link.partner}[{', '.join(map(str, link.index))}]" if link.partner else ""
        label = link.torch_label() + (f" + {partner}" if partner else "")
        rows.append(ParityRow("weight", link.name, label, link.value.data, theirs))
    return ParityReport(ours_shape.describe(), dtype, _with_scales(rows), float(tolerance))


def _with_scales(rows: list[ParityRow]) -> tuple[ParityRow, ...]:
    """Each row with the largest magnitude among the rows of its kind and tensor."""
    scales: dict[tuple[str, str], float] = {}
    for row in rows:
        key = (row.kind, row.tensor)
        scales[key] = max(scales.get(key, 0.0), abs(row.ours), abs(row.theirs))
    return tuple(replace(row, scale=scales[(row.kind, row.tensor)]) for row in rows)


def _tolerance(tolerance: object) -> float:
    """A finite float >= 0 from any real number (numpy's float32 too), else a ValueError naming it: an int past
    float range reached math.isfinite() and raised a bare "int too large to convert to float"."""
    if not isinstance(tolerance, bool) and isinstance(tolerance, numbers.Real):
        try:
            value = float(tolerance)
        except OverflowError:
            value = math.inf
        if 0.0 <= value < math.inf:
            return value
    raise ValueError(f"tolerance must be a finite number >= 0, got {short_repr(tolerance)}")


def _real(x: Any, where: str) -> float:
    """``x`` as a float: a TypeError for no real number (a str, a bool, None: torch.tensor refuses them with a
    TypeError too), OverflowError for an int past float range (was "int too large to convert to float", unnamed),
    ValueError for NaN and infinities."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{where} must be a finite real number, got {type(x).__name__} {short_repr(x)}")
    try:
        value = float(x)
    except OverflowError:
        raise OverflowError(f"{where} must be a finite real number, got an int too large for a float") from None
    if not math.isfinite(value):
        raise ValueError(f"{where} must be a finite real number, got {short_repr(x)}")
    return value


def _checked_inputs(shape: Shape, inputs: Sequence[Any]) -> list[Any]:
    """Inputs as plain floats / ints, or ValueError naming the first bad one."""
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence) or len(inputs) == 0:
        raise ValueError(f"inputs must be a non-empty sequence, got {short_repr(inputs)}")
    size = shape.sizes[0]
    out: list[Any] = []
    for t, x in enumerate(inputs):
        where = f"inputs[{t}]"
        one_hot_ok = shape.kind in ("rnn", "lstm", "char")
        if isinstance(x, int) and not isinstance(x, bool) and one_hot_ok:
            if not 0 <= x < size:
                raise ValueError(f"{where} = {x} is not an index in 0..{size - 1}")
            out.append(x)
        elif shape.kind == "char":
            raise ValueError(f"{where} must be a character index (an int), got {short_repr(x)}")
        elif isinstance(x, Sequence) and not isinstance(x, (str, bytes)) and len(x) == size:
            out.append([_real(v, f"{where}[{i}]") for i, v in enumerate(x)])
        else:
            raise ValueError(f"{where} must be {size} numbers{' or a one-hot index' if one_hot_ok else ''},"
                             f" got {short_repr(x)}")
    return out


def _checked_targets(shape: Shape, targets: Sequence[int], steps: int) -> list[int]:
    if shape.kind != "char":
        raise ValueError("targets are for a CharModel (cross-entropy); other models use the sum-of-squares loss")
    if len(targets) != steps:
        raise ValueError(f"{len(targets)} targets for {steps} inputs: give one per input")
    return [_checked_inputs(shape, [t])[0] for t in targets]


def _output_names(shape: Shape, steps: list[Any]) -> list[str]:
    width = shape.sizes[-1]
    letter = {"mlp": "y", "linear": "y", "sequential": "y", "rnn": "h", "lstm": "h", "char": "logits"}[shape.kind]
    return [f"{letter}[{t}][{k}]" for t in range(len(steps)) for k in range(width)]


def _run_ours(model: Module, shape: Shape, steps: list[Any],
              targets: list[int] | None) -> tuple[list[float], float, dict[str, float]]:
    outputs: list[Value] = []
    all_logits: list[list[Value]] = []
    if shape.kind in ("mlp", "linear", "sequential"):
        for x in steps:
            y = model(x)
            outputs.extend(y if isinstance(y, list) else [y])
    elif shape.kind in ("rnn", "lstm"):
        cell: Any = model
        state = cell.initial_state()
        for x in steps:
            state = cell(x, state)
            outputs.extend(cell.output(state))
    else:
        char: Any = model
        all_logits, _ = char.unroll(steps)
        outputs = [z for logits in all_logits for z in logits]
    if targets is not None:
        loss = sum_of([softmax_cross_entropy(z, t) for z, t in zip(all_logits, targets)])
    else:
        loss = sum_of([y * y for y in outputs]) * 0.5
    params = list(model.named_parameters())
    saved = [p.grad for _, p in params]
    try:
        for _, p in params:
            p.grad = 0.0
        loss.backward()
        grads = {name: p.grad for name, p in params}
    finally:
        for (_, p), g in zip(params, saved):
            p.grad = g
    return [y.data for y in outputs], loss.data, grads


def _run_torch(module: nn.Module, layout: Layout, steps: list[Any], targets: list[int] | None,
               dtype: torch.dtype, device: torch.device) -> tuple[list[float], float, dict[str, list]]:
    shape = layout.shape
    size = shape.sizes[0]

    def vector(x: Any) -> torch.Tensor:
        if isinstance(x, int):
            return functional.one_hot(torch.tensor(x), size).to(device, dtype)
        return torch.tensor(x, dtype=torch.float64).to(device, dtype)

    # Differentiate fresh copies of the parameters, run in the module's place: a frozen module
    # (requires_grad=False) works too, and the module's own parameters and .grad are never touched.
    params = {name: p.detach().clone().requires_grad_(True) for name, p in module.named_parameters()}

    def run(*args: Any) -> Any:
        return torch.func.functional_call(module, params, args)

    with torch.enable_grad():
        if shape.kind in ("mlp", "linear", "sequential"):
            out = run(torch.stack([vector(x) for x in steps]))
        elif layout.recurrent_layer:
            out, _ = run(torch.stack([vector(x) for x in steps]))
        elif shape.kind in ("rnn", "lstm"):
            state, hs = None, []
            for x in steps:
                state = run(vector(x), state)
                hs.append(state[0] if isinstance(state, tuple) else state)
            out = torch.stack(hs)
        else:
            out, _ = run(torch.tensor(steps, dtype=torch.long, device=device))
        if targets is not None:
            loss = functional.cross_entropy(out, torch.tensor(targets, device=device), reduction="sum")
        else:
            loss = 0.5 * (out * out).sum()
        grads = torch.autograd.grad(loss, list(params.values()), allow_unused=True)
    their_grads = {
        name: (torch.zeros_like(p) if g is None else g).to(torch.float64).tolist()
        for (name, p), g in zip(params.items(), grads)
    }
    return out.detach().to(torch.float64).flatten().tolist(), float(loss.detach()), their_grads
