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


def test_the_built_wheel_holds_every_module_and_py_typed_file(tmp_path: Path) -> None:
    """The wheel itself, built offline with the installed setuptools from a copy of the tree (no build/ left in
    the checkout): every .py file and py.typed of the four packages is inside, so a plain `pip install .` can
    `import autograd.replay, nn.optim, nn.torch_bridge` and type checkers see the packages as typed."""
    import shutil
    import subprocess
    import sys
    import zipfile

    setuptools = pytest.importorskip("setuptools")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.skip("pyproject.toml needs setuptools>=77 (license as an SPDX string)")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    expected: set[str] = set()
    for top in ("autograd", "nn", "viz", "lecture"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix in (".py", ".typed") and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT)
                expected.add(relative.as_posix())
                (source / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, source / relative)
    out = tmp_path / "wheel"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                            "--no-index", "-q", "-w", str(out)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("*.whl")
    inside = set(zipfile.ZipFile(wheel).namelist())
    assert expected - inside == set()
    assert {"autograd/py.typed", "nn/py.typed", "viz/py.typed", "lecture/py.typed"} <= inside
