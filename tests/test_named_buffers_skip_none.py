"""named_buffers() and buffers() leave out a buffer set to None, as torch's; state_dict() leaves it out too."""

from __future__ import annotations

from typing import Any

import pytest

from nn import Module


class _WithBuffers(Module):
    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("running", 2.5)
        self.register_buffer("unset", None)


def test_a_none_buffer_is_not_listed() -> None:
    m = _WithBuffers()
    assert list(m.named_buffers()) == [("running", 2.5)]
    assert list(m.buffers()) == [2.5]
    assert "unset" not in m.state_dict()
    m.unset = 1.0  # once set, it is listed after the first, in registration order
    assert list(m.named_buffers()) == [("running", 2.5), ("unset", 1.0)]


def test_torch_lists_the_same() -> None:
    torch = pytest.importorskip("torch")
    base: Any = torch.nn.Module  # torch is optional: its classes are untyped here

    class Theirs(base):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("running", torch.tensor(2.5))
            self.register_buffer("unset", None)

    assert [name for name, _ in Theirs().named_buffers()] == ["running"]
