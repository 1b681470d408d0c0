"""Hostile input, round 27: a long render timeout with the system Graphviz.

Before: with a system ``dot`` installed, ``render_source(source, timeout=1e7)`` (or any timeout from about
2.1e6 s, which ``subprocess.run`` cannot wait, up to threading.TIMEOUT_MAX, above which no limit was passed)
failed with a bare "OverflowError: timeout is too large" from inside subprocess. A limit that long is no limit:
dot now runs without one, as it did for inf.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from viz import render as render_module


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in dot is a shell script")
@pytest.mark.parametrize("timeout", [5.0, 2.2e6, 1e7, 1e8, 1e10, float("inf")])
def test_a_long_timeout_runs_the_system_dot_without_a_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             timeout: float) -> None:
    dot = tmp_path / "dot"
    dot.write_text("#!/bin/sh\ncat >/dev/null\necho '<svg>stand-in</svg>'\n")
    os.chmod(dot, 0o755)
    monkeypatch.setattr(render_module, "system_dot", lambda: str(dot))
    assert render_module.render_source("digraph { a -> b }", "svg", timeout=timeout) == b"<svg>stand-in</svg>\n"
