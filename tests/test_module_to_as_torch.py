"""Module.to / type / cuda answer each request as torch 2.13's own Module does (review26).

Asked of a float64 torch module on the CPU, torch returns the module itself or raises; ours must do the same
for the same call (RuntimeError, TypeError or ValueError as torch's), since a script that works here should
work in torch and a request torch refuses should not pass silently. Before: to('float64'), to('double'),
to('cpu', 'float64'), type('float64'), type(float), to(np.float64), to(..., copy=True) and cuda('cpu')
returned the module (torch refuses each); to('cpu', torch.float64, True) was refused (torch's (device, dtype,
non_blocking)); to(10**5000) failed while building its message ('Exceeds the limit (4300 digits)') and to(-1)
said CUDA was missing where torch says a device index must not be negative.
"""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")

import nn  # noqa: E402


class BadRepr:
    """An argument whose repr raises: the message must still be the error about it."""

    def __repr__(self) -> str:
        raise RuntimeError("repr failed")


CALLS: list[tuple[str, Any]] = [
    ("to('float64')", lambda m: m.to("float64")),
    ("to('double')", lambda m: m.to("double")),
    ("to('cpu', 'float64')", lambda m: m.to("cpu", "float64")),
    ("to(dtype='float64')", lambda m: m.to(dtype="float64")),
    ("to(device='cpu', dtype='float64')", lambda m: m.to(device="cpu", dtype="float64")),
    ("to('cpu', float64, True)", lambda m: m.to("cpu", torch.float64, True)),
    ("to(float64, True)", lambda m: m.to(torch.float64, True)),
    ("to(device='cpu', copy=True)", lambda m: m.to(device="cpu", copy=True)),
    ("to(memory_format)", lambda m: m.to(memory_format=torch.preserve_format)),
    ("to(-1)", lambda m: m.to(-1)),
    ("to(2**70)", lambda m: m.to(2**70)),
    ("to('cpu', non_blocking=True)", lambda m: m.to("cpu", non_blocking=True)),
    ("type('float64')", lambda m: m.type("float64")),
    ("type(float)", lambda m: m.type(float)),
    ("type('torch.DoubleTensor')", lambda m: m.type("torch.DoubleTensor")),
    ("type(float64)", lambda m: m.type(torch.float64)),
    ("cuda('cpu')", lambda m: m.cuda("cpu")),
    ("to(float)", lambda m: m.to(float)),
    ("to(None)", lambda m: m.to(None)),
    ("to(np.float64)", lambda m: m.to(pytest.importorskip("numpy").float64)),
    ("to(np.dtype('float64'))", lambda m: m.to(pytest.importorskip("numpy").dtype("float64"))),
    ("to(dtype=np.float64)", lambda m: m.to(dtype=pytest.importorskip("numpy").float64)),
    ("type(np.dtype('float64'))", lambda m: m.type(pytest.importorskip("numpy").dtype("float64"))),
    ("type(np.float64)", lambda m: m.type(pytest.importorskip("numpy").float64)),
]


def _outcome(call: Any, module: Any) -> type[BaseException] | None:
    try:
        assert call(module) is module
    except (RuntimeError, TypeError, ValueError, AssertionError) as err:
        return type(err)
    return None


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[name for name, _ in CALLS])
def test_each_request_returns_itself_or_is_refused_as_torchs_module(name: str, call: Any) -> None:
    theirs = _outcome(call, torch.nn.Linear(2, 2).double())
    ours = _outcome(call, nn.Linear(2, 2))
    if theirs is None:
        assert ours is None, name
    else:
        assert ours is not None, f"{name}: torch raises {theirs.__name__}, ours returned the module"
        # torch's class, or ours is one of it (UnsupportedConversion is a NotImplementedError: a RuntimeError)
        assert any(issubclass(ours, base) for base in theirs.__mro__[:-3]), (name, theirs, ours)


@pytest.mark.parametrize("hostile", [10**5000, -(10**5000), BadRepr()], ids=["huge", "huge-negative", "bad-repr"])
def test_hostile_arguments_are_named_without_failing_in_the_message(hostile: Any) -> None:
    model = nn.Linear(2, 2)
    for call in (lambda: model.to(hostile), lambda: model.to(device=hostile), lambda: model.type(hostile),
                 lambda: model.to(dtype=hostile)):
        with pytest.raises((RuntimeError, TypeError, ValueError)) as caught:
            call()
        message = str(caught.value)
        assert "Linear." in message and "4300" not in message and "repr failed" not in message, message
