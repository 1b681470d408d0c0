"""`set_grad_enabled` and `inference_mode` as PyTorch's: call, block, decorator, per thread.

The behaviour tests run everywhere; the last test runs the same script under torch where it is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import autograd
from autograd import Value, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad, set_grad_enabled


def _script(set_mode: Callable[[bool], Any], inference: Callable[..., Any], off: Callable[[], Any],
            enabled: Callable[[], bool], in_inference: Callable[[], bool]) -> list[Any]:
    """The modes seen along a fixed sequence of calls, for either library's functions."""
    seen: list[Any] = [enabled()]
    set_mode(False)
    seen.append(enabled())
    set_mode(True)
    with set_mode(False):
        seen.append(enabled())
    seen.append(enabled())

    @set_mode(False)
    def decorated() -> bool:
        return enabled()

    seen += [enabled(), decorated(), enabled()]

    @inference
    def bare() -> tuple[bool, bool]:
        return enabled(), in_inference()

    @inference()
    def called() -> tuple[bool, bool]:
        return enabled(), in_inference()

    seen += [bare(), called(), in_inference()]
    with inference(False):
        seen.append((enabled(), in_inference()))
    with off():
        with inference(False):
            seen.append(enabled())  # inference_mode(False) switches recording on, even inside no_grad
        seen.append(enabled())
    seen.append(enabled())
    return seen


EXPECTED = [True, False, False, True, True, False, True, (False, True), (False, True), False, (True, False), True,
            False, True]


def test_the_modes_follow_torchs_rules() -> None:
    assert _script(set_grad_enabled, inference_mode, no_grad, is_grad_enabled, is_inference_mode_enabled) == EXPECTED


def test_torch_sees_the_same_modes() -> None:
    torch = pytest.importorskip("torch")
    assert _script(torch.set_grad_enabled, torch.inference_mode, torch.no_grad, torch.is_grad_enabled,
                   torch.is_inference_mode_enabled) == EXPECTED
    with pytest.raises(TypeError, match="must be bool, not int"):
        torch.set_grad_enabled(1)


def test_values_made_with_recording_off_are_leaves_and_get_no_gradient() -> None:
    x = Value(3.0)
    with set_grad_enabled(False):
        frozen = x * x
    with inference_mode():
        also_frozen = x * x
    with set_grad_enabled(True):
        y = x * frozen + x * also_frozen  # dy/dx = 9 + 9: the two products are numbers to this graph
    y.backward()
    assert frozen.is_leaf and also_frozen.is_leaf
    assert x.grad == 18.0


def test_the_mode_is_restored_after_an_error_and_a_bad_mode_is_a_type_error() -> None:
    with pytest.raises(KeyError), set_grad_enabled(False):
        raise KeyError("boom")
    assert is_grad_enabled()
    with pytest.raises(KeyError), inference_mode():
        raise KeyError("boom")
    assert is_grad_enabled() and not is_inference_mode_enabled()
    for bad in (1, None, "no"):
        with pytest.raises(TypeError, match="must be bool"):
            set_grad_enabled(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be bool"):
            inference_mode(bad)  # type: ignore[arg-type]
    assert is_grad_enabled()


def test_a_generator_runs_each_step_in_inference_mode() -> None:
    @inference_mode()
    def steps() -> Iterator[tuple[bool, bool]]:
        for _ in range(2):
            yield is_grad_enabled(), is_inference_mode_enabled()

    assert list(steps()) == [(False, True), (False, True)]
    assert is_grad_enabled()


def test_switching_off_in_one_thread_leaves_another_recording() -> None:
    switched, checked = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def evaluator() -> None:
        set_grad_enabled(False)
        with inference_mode():
            switched.set()
            checked.wait(5)
            seen["evaluator"] = (is_grad_enabled(), is_inference_mode_enabled())
        set_grad_enabled(True)

    thread = threading.Thread(target=evaluator)
    thread.start()
    switched.wait(5)
    seen["trainer"] = (is_grad_enabled(), is_inference_mode_enabled(), (Value(2.0) * Value(3.0)).is_leaf)
    checked.set()
    thread.join(5)
    assert seen == {"trainer": (True, False, False), "evaluator": (False, True)}


def test_they_are_exported_beside_no_grad() -> None:
    assert {"set_grad_enabled", "inference_mode", "is_inference_mode_enabled"} <= set(autograd.__all__)
