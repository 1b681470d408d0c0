"""bench/bench_collector.py: its stand-in graphs have the engine's wide graph's shape, and bad arguments are
refused by name (not timed: no figure is checked)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = str(ROOT / "bench" / "bench_collector.py")


@pytest.fixture(scope="module")
def bench_collector():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bench_collector
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return bench_collector


def _reachable(root) -> list:
    """Every node reachable from root through the parent slots, each once."""
    seen, stack = {id(root): root}, [root]
    while stack:
        node = stack.pop()
        parents = node.a if isinstance(node.a, tuple) else (node.a, getattr(node, "b", None))
        for p in parents:
            if p is not None and id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return list(seen.values())


@pytest.mark.parametrize("kind", ["shared-data", "data-ab", "tuple-parents"])
def test_each_stand_in_graph_has_the_wide_graphs_nodes(bench_collector, kind):
    width = 4
    root = bench_collector.build_variant(200, kind, width=width)
    # 4 inputs; each layer 4 neurons, each a 0.0 start, then per input a weight, a product and a sum, then a
    # tanh; then 3 additions of the outputs: the shape of bench_eager_scaling.build_bare, counted by hand.
    layers = 200 // (width * (2 * width + 1))
    assert len(_reachable(root)) == width + layers * width * (1 + 3 * width + 1) + (width - 1)
    nodes = _reachable(root)
    if kind == "shared-data":
        assert len({id(n.data) for n in nodes}) == 1
    if kind == "data-ab":
        assert not hasattr(root, "grad") and not hasattr(root, "label")


@pytest.mark.parametrize("args, named", [(["walk", "--nodes", "0"], "--nodes"),
                                         (["peak", "--spacing", "-1"], "--spacing"),
                                         (["peak", "--spacing", "fast"], "--spacing"),
                                         (["peak", "--rounds", "0"], "--rounds"),
                                         (["sweep"], "what")])
def test_bad_arguments_are_refused_by_name(args, named):
    out = subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 2
    assert named in out.stderr
