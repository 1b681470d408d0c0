"""Switching graph recording off and on, as PyTorch: `no_grad`, `enable_grad`, `set_grad_enabled`, `inference_mode`."""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

#: How many threads have recording switched off right now (index 0; a list so that the engine's hot path
#: reads it with one subscript). While it is 0, which is all of the time in most programs, every op knows
#: recording is on without reading the thread-local flag (a thread-local read costs about 40 ns, a tenth of
#: making a node). It counts the live `_Off` tokens: a thread with recording off holds one in its
#: thread-local state, so a thread that ends inside a `no_grad` block gives its token back as it goes.
THREADS_WITHOUT_GRAD = [0]
_COUNT_LOCK = threading.RLock()  # re-entrant: a token freed by a collection inside the lock must not deadlock


class _Off:
    """Held by a thread while its recording is off; counted in `THREADS_WITHOUT_GRAD` while it lives."""

    def __init__(self) -> None:
        with _COUNT_LOCK:
            THREADS_WITHOUT_GRAD[0] += 1

    def __del__(self) -> None:
        with _COUNT_LOCK:
            THREADS_WITHOUT_GRAD[0] -= 1


class _GradMode(threading.local):
    """The flag every op reads: when off, ops make plain leaves.

    Thread-local, as in PyTorch: a `no_grad` block in one thread (an evaluator)
    never switches recording off in another (a trainer), and every new thread
    starts with recording on (the class attribute is each thread's default).
    Setting ``enabled`` keeps `THREADS_WITHOUT_GRAD` up to date.
    """

    _enabled: bool = True
    _off: _Off | None = None
    #: Inside an `inference_mode` block (torch's ``is_inference_mode_enabled``); recording is then off too.
    inference: bool = False

    @property
    def enabled(self) -> bool:
        """Whether ops in this thread record the graph."""
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        value = bool(value)
        if not value and self._off is None:
            self._off = _Off()
        elif value:
            self._off = None  # the token is dropped (and uncounted) here, outside any lock
        self._enabled = value


GRAD_MODE = _GradMode()


def recording() -> bool:
    """Whether ops in this thread record the graph: the engine's check, without a thread-local read mostly."""
    return not THREADS_WITHOUT_GRAD[0] or GRAD_MODE._enabled


class _GradModeBlock:
    """A block (``with``) or a decorated function run with recording set to `mode`, then restored, even on error.

    As in PyTorch, a decorated generator function runs every step of its body in the mode (a plain
    ``contextlib`` decorator would only cover the call that creates the generator, so the body ran with
    the caller's mode), and the decorator may be written with or without parentheses.
    """

    mode: bool

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        """``no_grad()`` is a block; ``no_grad(fn)`` (``@no_grad`` without parentheses) decorates ``fn``."""
        block = super().__new__(cls)
        return block if fn is None else block(fn)

    def __enter__(self) -> None:
        # A stack: one block object entered again while inside it (a module-level block in a recursive
        # function) must restore each mode in turn; one saved mode let recording leak off after both exits.
        self.__dict__.setdefault("_previous", []).append(GRAD_MODE.enabled)
        GRAD_MODE.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        previous = self.__dict__.get("_previous")
        if not previous:
            raise RuntimeError(f"{type(self).__name__} block exited without being entered")
        GRAD_MODE.enabled = previous.pop()

    def _fresh(self) -> _GradModeBlock:
        """A new block with this one's settings: each call of a decorated function enters one of its own."""
        return type(self)()

    def __call__(self, fn: F) -> F:
        """``fn`` run in this mode; each call uses a block of its own, so a recursive function is fine."""
        if not callable(fn):  # else the wrapper would fail only when called, as "'int' object is not callable"
            raise TypeError(f"{type(self).__name__} decorates a function, got {type(fn).__name__}")
        block = self._fresh
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def generator(*args: Any, **kwargs: Any) -> Any:
                steps = fn(*args, **kwargs)
                try:
                    with block():
                        response = steps.send(None)
                    while True:
                        try:
                            request = yield response
                        except GeneratorExit:
                            with block():
                                steps.close()
                            raise
                        except BaseException as error:
                            with block():
                                response = steps.throw(error)
                        else:
                            with block():
                                response = steps.send(request)
                except StopIteration as stop:
                    return stop.value

            return cast(F, generator)

        @functools.wraps(fn)
        def function(*args: Any, **kwargs: Any) -> Any:
            with block():
                return fn(*args, **kwargs)

        return cast(F, function)


class no_grad(_GradModeBlock):  # noqa: N801 - PyTorch's name, used as ``with no_grad():``
    """Run a block without recording a graph (evaluation, parameter updates).

    Values computed inside are leaves: they have data but no parents, so they
    cost no memory for the graph and `backward()` through them stops there.
    Nesting is allowed; the previous mode is restored on exit, even on error.
    Also a decorator (``@no_grad()`` or ``@no_grad``), generator functions included.
    """

    mode = False


class enable_grad(_GradModeBlock):  # noqa: N801 - PyTorch's name
    """Record the graph inside this block even within a `no_grad` block (PyTorch's ``enable_grad``).

    ``grad(..., create_graph=True)`` runs its backward pass under it, as PyTorch's
    engine does: asking for a graph of the gradient records one whatever the mode.
    Also a decorator, as `no_grad`.
    """

    mode = True


def is_grad_enabled() -> bool:
    """Return whether ops currently record the graph."""
    return GRAD_MODE.enabled


def _checked_mode(mode: object, who: str) -> bool:
    """``mode`` if it is True or False, else torch's TypeError (1 or None are mistakes, not modes)."""
    if not isinstance(mode, bool):
        raise TypeError(f"{who}(): argument 'mode' must be bool, not {type(mode).__name__}")
    return mode


class set_grad_enabled(_GradModeBlock):  # noqa: N801 - PyTorch's name
    """Switch recording on or off (PyTorch's ``set_grad_enabled(mode)``): at once, or for a block, or a function.

    As torch's, the call itself sets the mode (``set_grad_enabled(False)`` on a
    line of its own switches recording off until switched back); used as
    ``with set_grad_enabled(mode):`` the previous mode comes back at the end of
    the block; as a decorator, ``@set_grad_enabled(mode)``, the mode at the
    decoration is left as it was and each call of the function runs in
    ``mode``. ``mode`` must be True or False (TypeError otherwise, as torch).
    """

    def __new__(cls, mode: bool) -> set_grad_enabled:
        """A block (see the class); ``mode`` is checked and set by ``__init__``."""
        return object.__new__(cls)

    def __init__(self, mode: bool) -> None:
        """Set recording to ``mode`` now, keeping the previous mode to restore on leaving a block."""
        self.mode = _checked_mode(mode, "set_grad_enabled")
        self._before = GRAD_MODE.enabled
        GRAD_MODE.enabled = self.mode

    def __enter__(self) -> None:
        """Nothing more: the constructor has set the mode (as torch's)."""

    def __exit__(self, *exc: object) -> None:
        """Back to the mode before the call (the constructor, not ``__enter__``, switched it)."""
        GRAD_MODE.enabled = self._before

    def _fresh(self) -> _GradModeBlock:
        return set_grad_enabled(self.mode)

    def __call__(self, fn: F) -> F:
        """``fn`` run with recording ``mode``; the decoration itself changes nothing (as torch's)."""
        GRAD_MODE.enabled = self._before
        return super().__call__(fn)


class inference_mode(_GradModeBlock):  # noqa: N801 - PyTorch's name
    """PyTorch's ``inference_mode(mode=True)``: for a block or a function, recording off (``mode=False``: on).

    Values made inside are leaves, as under `no_grad` (torch's inference
    tensors also refuse to join a graph later; here they are numbers to it,
    as `no_grad`'s). `is_inference_mode_enabled` says whether a block is
    active. As torch's, ``inference_mode(False)`` switches recording on, even
    inside `no_grad`. A block, a decorator with or without parentheses,
    generator functions included; ``mode`` must be True or False.
    """

    def __new__(cls, mode: bool | Callable[..., Any] = True) -> Any:
        """``inference_mode(mode)`` is a block; ``inference_mode(fn)`` (``@inference_mode``) decorates ``fn``."""
        block = object.__new__(cls)
        if callable(mode):
            block.inference, block.mode = True, False
            return block(mode)
        return block

    def __init__(self, mode: bool | Callable[..., Any] = True) -> None:
        """A block that runs with recording ``not mode`` and the inference flag ``mode``."""
        if callable(mode):  # ``@inference_mode`` without parentheses: __new__ has decorated it
            return
        self.inference = _checked_mode(mode, "inference_mode")
        self.mode = not self.inference

    def __enter__(self) -> None:
        super().__enter__()
        self.__dict__.setdefault("_previous_inference", []).append(GRAD_MODE.inference)  # a stack: see the base
        GRAD_MODE.inference = self.inference

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)  # first: a block never entered is refused before anything is restored
        GRAD_MODE.inference = self.__dict__["_previous_inference"].pop()

    def _fresh(self) -> _GradModeBlock:
        return inference_mode(self.inference)


def is_inference_mode_enabled() -> bool:
    """Whether this thread is inside an `inference_mode` block (PyTorch's ``is_inference_mode_enabled``)."""
    return GRAD_MODE.inference
