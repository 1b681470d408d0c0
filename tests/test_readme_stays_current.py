"""Counts and file lists the README states that drift silently as the code grows (new-user trial 21 found
"62 files" of torch tests where there were 75, and two modules of nn/ missing from the Layout table).

Each check recomputes the fact from the checkout itself: the test files that skip without torch, and the
modules each package's folder holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_counts_every_test_file_that_needs_torch() -> None:
    call = "pytest.importorskip(" + '"torch"'  # split so that this file does not count itself
    needing_torch = [path.name for path in sorted((ROOT / "tests").glob("test_*.py"))
                     if call in path.read_text(encoding="utf-8")]
    stated = re.search(r"the bridge, and single tests in others: (\d+) files\)", README)
    assert stated, "README: the sentence counting the tests that compare with PyTorch is gone"
    assert int(stated.group(1)) == len(needing_torch)


def layout_row(folder: str) -> str:
    """The text of the README Layout table's row for ``folder``."""
    layout = README.split("\n## Layout\n", 1)[1]
    rows = [line for line in layout.splitlines() if line.startswith(f"| `{folder}/` |")]
    assert len(rows) == 1, f"README Layout: no single row for {folder}/"
    return rows[0]


@pytest.mark.parametrize("folder", ["autograd", "autograd/replay", "nn", "viz", "lecture"])
def test_the_layout_table_names_every_module_of_the_package(folder: str) -> None:
    row = layout_row(folder.split("/")[0])  # a sub-package's files are named in its package's row
    if "/" in folder:
        row = row.split(f"`{folder.split('/', 1)[1]}/`", 1)[1]
    modules = sorted(path.name for path in (ROOT / folder).glob("*.py") if path.name != "__init__.py")
    assert modules, f"{folder}/ has no modules"
    assert [name for name in modules if f"`{name}`" not in row] == []


def test_every_demo_command_the_docs_write_inline_runs_as_pasted() -> None:
    """Each inline `python demo.py ...` of the README and docs/ parses with demo.py's own parser, and a `|` in
    one is a real pipe (new-user trial 24: `python demo.py worked-example | mlp | rnn | ...`, pasted into a
    shell, piped the tour into programs named mlp and rnn)."""
    import shlex

    import demo

    pages = [README, *((path.read_text(encoding="utf-8")) for path in sorted((ROOT / "docs").glob("*.md")))]
    commands = [span for page in pages for span in re.findall(r"`(python demo\.py[^`]*)`", page)]
    assert len(commands) >= 3
    for command in commands:
        tour, *piped = command.split(" | ")
        assert all(shlex.split(stage)[0] in {"head", "tail", "less", "grep"} for stage in piped), command
        words = shlex.split(tour)[2:]
        if words == ["PART"]:  # the placeholder the sentence then spells out
            continue
        demo.build_parser().parse_args(words)  # argparse exits (status 2) on what it cannot parse


def test_the_replay_package_docstring_names_every_module() -> None:
    # Its "one idea per module" list named 5 of 19 modules (review27).
    text = (ROOT / "autograd" / "replay" / "__init__.py").read_text(encoding="utf-8").split('"""')[1]
    modules = sorted(path.stem for path in (ROOT / "autograd" / "replay").glob("*.py") if path.stem != "__init__")
    assert [name for name in modules if f"`{name}`" not in text] == []
