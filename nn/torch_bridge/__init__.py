"""The road to PyTorch and back: `to_torch`, `from_torch`, `parity_report`, optimizer state.

    from nn.torch_bridge import to_torch, from_torch, parity_report

    module = to_torch(model)             # MLP or Sequential -> nn.Sequential, RNNCell -> nn.RNNCell,
                                         # LSTMCell -> nn.LSTMCell, CharModel -> TorchCharModel
    model = from_torch(module)           # and back (also nn.Linear, one-layer nn.RNN / nn.LSTM)
    report = parity_report(model, module, inputs)
    print(report); raise SystemExit(report.exit_status())

    # optimizer state, both ways (a torch optimizer over module.parameters()):
    torch_opt.load_state_dict(optimizer_state_to_torch(optimizer, model, module))
    optimizer.load_state_dict(optimizer_state_from_torch(torch_opt.state_dict(), optimizer, model, module))

Weights cross over bit for bit in float64 (the default). The one exception is
importing a recurrent cell whose two PyTorch biases are both non-zero: valuegrad
has one bias per unit, so it holds ``bias_ih + bias_hh``, rounded once (see
`from_torch`). A PyTorch layer, parameter or option with no counterpart here
(a GRU, a bias-free Linear, a Softmax layer, an LSTM with ``proj_size``, ...) raises
`NoCounterpart` naming it.

PyTorch is an optional extra: ``pip install "valuegrad[torch]"``.
"""

from __future__ import annotations

try:
    import torch  # noqa: F401
except ImportError:  # pragma: no cover - exercised only where torch is absent
    raise ImportError(
        'nn.torch_bridge needs PyTorch: pip install "valuegrad[torch]" (or see https://pytorch.org)'
    ) from None

from .char_model import TorchCharModel
from .exporting import to_torch
from .importing import from_torch
from .optimizer_state import optimizer_state_from_torch, optimizer_state_to_torch
from .parity import ParityReport, ParityRow, parity_report
from .shapes import NoCounterpart

__all__ = [
    "NoCounterpart",
    "ParityReport",
    "ParityRow",
    "TorchCharModel",
    "from_torch",
    "optimizer_state_from_torch",
    "optimizer_state_to_torch",
    "parity_report",
    "to_torch",
]
