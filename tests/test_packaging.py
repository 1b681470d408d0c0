"""What a plain `pip install .` installs: every package of the source tree (new-user trial 21 found the wheel
without autograd/replay and nn/optim, so `import nn` failed outside an editable install)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_lists_every_package_and_sub_package_of_the_source_tree() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["packages"]
    on_disk = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("autograd", "nn", "viz", "lecture")
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
