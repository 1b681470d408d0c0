"""`TorchCharModel`: valuegrad's `CharModel` in PyTorch (one-hot input, a cell, a Linear head).

It computes what `nn.CharModel` computes, on batches: ``cell`` is an
``nn.RNNCell`` (tanh) or ``nn.LSTMCell`` and ``head`` an ``nn.Linear`` from
the hidden units to one logit per character. Inputs are character indices,
time first as in PyTorch's recurrent layers: shape ``(T,)`` or ``(T, batch)``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from ..numbers_in_messages import short_repr

State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]
CELL_KINDS = ("rnn", "lstm")


class TorchCharModel(nn.Module):
    """x_t (a character index, one-hot) -> cell -> y_t = head(h_t), logits over the vocabulary."""

    def __init__(
        self, vocab_size: int, hidden_size: int, cell: str = "lstm", dtype: torch.dtype = torch.float64
    ) -> None:
        """A ``cell`` ("rnn" or "lstm") of ``hidden_size`` units over ``vocab_size`` characters."""
        super().__init__()
        if cell not in CELL_KINDS:
            raise ValueError(f"unknown cell {short_repr(cell)}: choose one of {', '.join(CELL_KINDS)}")
        for name, size in (("vocab_size", vocab_size), ("hidden_size", hidden_size)):
            if not isinstance(size, int) or isinstance(size, bool) or size < 1:
                raise ValueError(f"{name} must be a positive integer, got {short_repr(size)}")
        self.kind = cell
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.cell: nn.RNNCellBase = (
            nn.LSTMCell(vocab_size, hidden_size, dtype=dtype)
            if cell == "lstm"
            else nn.RNNCell(vocab_size, hidden_size, nonlinearity="tanh", dtype=dtype)
        )
        self.head = nn.Linear(hidden_size, vocab_size, dtype=dtype)

    def forward(self, inputs: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """Logits at every step, shape ``(T, V)`` or ``(T, batch, V)``, and the state after the last step.

        ``state`` (h for an RNN, (h, c) for an LSTM) continues from an earlier
        call; None starts from zeros, as `CharModel` does.
        """
        hidden, state = self.hidden_states(inputs, state)
        return self.head(hidden), state

    def hidden_states(self, inputs: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        """h at every step, shape ``(T, H)`` or ``(T, batch, H)``, and the state after the last step."""
        if not isinstance(inputs, torch.Tensor) or inputs.dtype not in (torch.int64, torch.int32):
            raise TypeError("inputs must be an integer tensor of character indices (torch.long), got "
                            f"{getattr(inputs, 'dtype', type(inputs).__name__)}")
        if inputs.dim() not in (1, 2) or inputs.shape[0] == 0:
            raise ValueError(f"inputs must have shape (T,) or (T, batch) with T >= 1, got {tuple(inputs.shape)}")
        if bool(((inputs < 0) | (inputs >= self.vocab_size)).any()):
            raise ValueError(f"character indices must be in 0..{self.vocab_size - 1}")
        dtype = self.head.weight.dtype
        x = functional.one_hot(inputs.long(), self.vocab_size).to(dtype)
        outputs = []
        for x_t in x:
            state = self.cell(x_t, state)
            outputs.append(state[0] if isinstance(state, tuple) else state)
        assert state is not None  # T >= 1 steps ran
        return torch.stack(outputs), state
