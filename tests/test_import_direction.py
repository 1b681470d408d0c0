"""Imports only point down: autograd <- nn, viz <- lecture <- demo.py (read from the source, not run).

The library (autograd, nn, viz, lecture) never imports the scripts around it (demo.py, bench/, examples/,
tests/), and demo.py ties the library together without leaning on those either. An import of ours spelled as a
string (``importlib.import_module("nn.linear")``) counts as an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"autograd", "nn", "viz", "lecture", "demo", "bench", "examples", "tests", "conftest"}
# package -> the packages of ours its modules may import (besides itself)
ALLOWED = {"autograd": set(), "nn": {"autograd"}, "viz": {"autograd"}, "lecture": {"autograd", "nn", "viz"}}


def imported_packages(path: Path, package: str) -> set[str]:
    """Top-level packages of ours that the module at ``path`` imports (relative imports stay in ``package``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
        elif isinstance(node, ast.Call) and _dynamic_import(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(package if first.value.startswith(".") else first.value.split(".")[0])
    return found & OURS


def _dynamic_import(func: ast.expr) -> bool:
    """``importlib.import_module(...)``, ``import_module(...)`` or ``__import__(...)``."""
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("import_module", "__import__")


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_the_layers_below_it(package: str) -> None:
    assert modules(package), f"no modules found in {package}/"
    for path in modules(package):
        wrong = imported_packages(path, package) - ALLOWED[package] - {package}
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_demo_imports_only_the_library() -> None:
    wrong = imported_packages(ROOT / "demo.py", "demo") - set(ALLOWED) - {"demo"}
    assert not wrong, f"demo.py imports {sorted(wrong)}"


def test_the_reader_sees_every_kind_of_import(tmp_path) -> None:
    source = tmp_path / "m.py"
    source.write_text("import nn.linear\nfrom viz import draw_graph\nfrom . import x\nimport os\n"
                      "def f():\n    from lecture import corpus\n")
    assert imported_packages(source, "autograd") == {"nn", "viz", "autograd", "lecture"}
    source.write_text("import importlib\nimportlib.import_module('bench.workloads')\n__import__('tests')\n"
                      "import_module('.x', 'viz')\nimportlib.import_module(name)\nimport demo\n")
    assert imported_packages(source, "viz") == {"bench", "tests", "viz", "demo"}


def test_nn_holds_no_lecture_material() -> None:
    names = {path.stem for path in modules("nn")}
    assert not names & {"slides_mlp", "hello_rnn", "vanishing", "training", "corpus"}
