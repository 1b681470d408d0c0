"""docs/gradients_of_gradients.md's examples, run exactly as written, checked against closed forms."""

from __future__ import annotations

import contextlib
import io
import math

from readme_blocks import doc_blocks


def readme_example() -> str:
    return doc_blocks("gradients_of_gradients.md")[0]


def test_the_readme_higher_order_example_prints_the_closed_forms() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), "docs/gradients_of_gradients.md", "exec"), {})
    lines = out.getvalue().splitlines()
    t = math.tanh(0.3)
    first = [float(v) for v in lines[0].split()]
    second = [float(v) for v in lines[1].split()]
    assert first[0] == first[1] == 1 - t * t
    assert math.isclose(second[0], -2 * t * (1 - t * t), rel_tol=1e-15)
    assert lines[2] == str([[4.0, 2.0], [2.0, math.exp(2.0)]])
    assert lines[3] == "(2.0, [4.0, 2.0])"  # f = a^2 b = 2; H v with v = (1, 0) is the first column (2b, 2a)
    assert lines[4] == "True"


def readme_picture_example() -> str:
    blocks = doc_blocks("gradients_of_gradients.md")
    assert len(blocks) == 2, "expected the grad example and the picture example"
    return blocks[1]


def test_the_readme_gradient_picture_and_semantics_example_prints_the_closed_forms() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_picture_example(), "docs/gradients_of_gradients.md", "exec"), {})
    lines = out.getvalue().splitlines()
    t = math.tanh(0.5)
    first = [float(v) for v in lines[0].split()]
    assert math.isclose(first[0], 1 - t * t, rel_tol=1e-15) and math.isclose(first[1], 1 - t * t, rel_tol=1e-15)
    assert lines[1] == "2"
    assert lines[2] == "27.0 18.0"  # 3x^2 and 6x at x = 3
    # What the docs say of accumulation: without zeroing x.grad first, g.backward() leaves 27 + 18 there
    # (torch 2.13 gives 45 for the same code).
    from autograd import Value

    x = Value(3.0)
    cube = x * x * x
    cube.backward(create_graph=True)
    g = x.grad
    g.backward()  # type: ignore[attr-defined]  # a Value after create_graph=True
    assert x.grad.data == 45.0  # type: ignore[attr-defined]


def test_an_optimizer_steps_with_a_value_gradients_number_as_the_readme_says() -> None:
    from autograd import Value
    from nn import SGD

    w = Value(1.0)
    (w * w * w).backward(create_graph=True)  # .grad is the Value 3 w^2 = 3
    SGD([w], lr=0.1).step()
    assert w.data == 1.0 - 0.1 * 3.0
