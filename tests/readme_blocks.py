"""The python code blocks of the README and of docs/, for the tests that run them exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _blocks(text: str, where: str) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert blocks, f"{where}: no python block"
    return blocks


def python_blocks(heading: str) -> list[str]:
    """Every ```python block in the README section whose ``## `` heading starts with ``heading``."""
    text = README.read_text(encoding="utf-8")
    assert f"## {heading}" in text, f"README: no section '## {heading}'"
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return _blocks(section, f"README section '{heading}'")


def doc_blocks(name: str) -> list[str]:
    """Every ```python block of ``docs/<name>``, in order (a page of docs/ is one topic)."""
    return _blocks((ROOT / "docs" / name).read_text(encoding="utf-8"), f"docs/{name}")
