"""The README's "Gradients of gradients" example, run exactly as written, checked against closed forms."""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Gradients of gradients", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "README: no python block under 'Gradients of gradients'"
    return match.group(1)


def test_the_readme_higher_order_example_prints_the_closed_forms() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), "README.md", "exec"), {})
    lines = out.getvalue().splitlines()
    t = math.tanh(0.3)
    first = [float(v) for v in lines[0].split()]
    second = [float(v) for v in lines[1].split()]
    assert first[0] == first[1] == 1 - t * t
    assert math.isclose(second[0], -2 * t * (1 - t * t), rel_tol=1e-15)
    assert lines[2] == str([[4.0, 2.0], [2.0, math.exp(2.0)]])
    assert lines[3] == "(2.0, [4.0, 2.0])"  # f = a^2 b = 2; H v with v = (1, 0) is the first column (2b, 2a)
    assert lines[4] == "True"
