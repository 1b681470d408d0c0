"""The README's python code blocks, found by section, for the tests that run them exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(heading: str) -> list[str]:
    """Every ```python block in the README section whose ``## `` heading starts with ``heading``."""
    text = README.read_text(encoding="utf-8")
    assert f"## {heading}" in text, f"README: no section '## {heading}'"
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks, f"README: no python block under '{heading}'"
    return blocks
