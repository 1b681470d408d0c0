"""The README and docs/ point only at files that exist: relative links, images, and the repository paths they name.

A newcomer follows these by hand; when the README was split into docs/ pages, one page still named a test file
by its old name. Each path is checked against the checkout, resolved from the page that names it (links) or from
the repository root (paths in backticks, as the pages write them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PACKAGES = ("autograd", "nn", "viz", "lecture", "tests", "bench", "examples", "docs")

# [text](target) and ![alt](target), with an optional #anchor; web addresses are out of scope here.
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)")
# `tests/test_value.py`, `lecture/newton.py`, `autograd/replay/` ... inside backticks.
PACKAGE_NAMES = "|".join(PACKAGES)
REPO_PATH = re.compile(rf"`((?:{PACKAGE_NAMES})/[\w./*-]*)`")


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_relative_link_and_image_resolves_to_a_file(page: Path) -> None:
    targets = [t for t in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing, f"{page_id(page)} links to files that do not exist: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_repository_path_named_in_backticks_exists(page: Path) -> None:
    named = REPO_PATH.findall(page.read_text(encoding="utf-8"))
    missing = [p for p in named if not (list(ROOT.glob(p)) if "*" in p else (ROOT / p).exists())]
    assert not missing, f"{page_id(page)} names paths that do not exist: {missing}"


def test_the_pages_name_repository_paths_at_all() -> None:
    """The pattern above finds what the pages write, so the test before this one checks something."""
    named = {p for page in PAGES for p in REPO_PATH.findall(page.read_text(encoding="utf-8"))}
    assert {"tests/test_doc_adding_an_op.py", "examples/draw_3_4_2.py", "lecture/newton.py"} <= named
