"""Generated code can be read where it fails: tracebacks through an op or a tape show the expression."""

from __future__ import annotations

import ast
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from autograd import Value, helper, sum_of
from autograd.helpers import HELPERS
from autograd.replay import record
from autograd.replay.codegen import fill

AUTOGRAD = Path(__file__).resolve().parent.parent / "autograd"


def _traceback_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def test_traceback_through_an_op_forward_shows_its_expression() -> None:
    with pytest.raises(ValueError) as caught:
        Value(-1.0).log()
    text = _traceback_text(caught.value)
    # The method is compiled from the row with the forward expression inline (autograd.value._compile_method).
    assert 'File "<op log, Value.log>", line 3, in log' in text
    assert "    _v = log(a)\n" in text


def test_traceback_through_an_op_derivative_shows_its_expression() -> None:
    y = Value(0.0).sqrt()
    with pytest.raises(ZeroDivisionError) as caught:
        y.backward()
    text = _traceback_text(caught.value)
    # The backward step is compiled from the row's derivative expressions (autograd.op._compile_backward).
    assert 'File "<op sqrt backward>"' in text
    assert "    _d0 = sqrt_grad(out)\n" in text


def test_traceback_through_a_tape_shows_the_generated_line() -> None:
    w = Value(2.0, label="w")
    tape = record(lambda x: (x * w).log(), example=[1.0], parameters=[w], vectorize=False)
    with pytest.raises(ValueError, match="log: math domain error") as caught:
        tape.run([-1.0])
    text = _traceback_text(caught.value)
    assert '<valuegrad tape ' in text
    assert "= log(v" in text  # the generated line itself, e.g. "v3 = log(v2)"


@pytest.mark.parametrize(("width", "file"), [(1, "<op log>"), (40, "<op log, 1 inputs, numpy>")])
def test_traceback_through_the_level_interpreter_shows_the_ops_expression(width: int, file: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # One log node runs on floats by the op's own function; forty at one level run as one numpy call (planned
    # in groups: by default a graph this small runs as float steps, its layers alone as numpy groups).
    from autograd.replay import levels

    monkeypatch.setattr(levels, "SMALL_GRAPH", 0)
    monkeypatch.setattr(levels, "LAYERS_ONLY", 0)  # else only layers are numpy groups in a graph this small
    ws = [Value(2.0, label=f"w{k}") for k in range(width)]
    tape = record(lambda *xs: sum_of([(x * w).log() for x, w in zip(xs, ws)]), example=[1.0] * width,
                  parameters=ws)
    assert tape.strategy == "levels"
    with pytest.raises(ValueError, match=r"log: math domain error in log\(-2.0\)") as caught:
        tape.run([-1.0] * width)
    text = _traceback_text(caught.value)
    assert f'File "{file}"' in text
    assert "    return log(a)\n" in text


def test_renaming_touches_variables_only_not_attributes_keywords_or_strings() -> None:
    x, y = Value(1.0), Value(2.0)
    v = x * y
    slot = {x: "i0", y: "p0", v: "v2"}
    assert fill("pow_value(a, b) * out", v, slot) == "pow_value(i0, p0) * v2"
    assert fill("a.real + f(out=b) + 'a b out' + ab", v, slot) == "i0.real + f(out=p0) + 'a b out' + ab"


def test_a_helper_cannot_take_an_input_name() -> None:
    for name in ("a", "b", "out", "x3"):
        with pytest.raises(ValueError, match="identifier other than a, b, out"):
            helper(lambda t: t, name=name)
        assert name not in HELPERS


def test_every_builtin_helper_has_a_numpy_version() -> None:
    pytest.importorskip("numpy")
    from autograd.replay import batch_numpy

    assert set(HELPERS) <= set(batch_numpy._VERSIONS)


def test_erf_and_expm1_in_batch_equal_libm_sample_by_sample() -> None:
    np = pytest.importorskip("numpy")
    import math

    from autograd.replay import batch_numpy

    scope = batch_numpy.helpers_namespace()
    xs = np.concatenate([np.linspace(-7.0, 7.0, 141), [0.0, -0.0, 1e-300, -1e-300, 1e-8, -1e-8, 700.0, -800.0]])
    assert [float(v) for v in scope["erf"](xs)] == [math.erf(x) for x in xs]
    assert [float(v) for v in scope["expm1"](xs[:-2])] == [math.expm1(x) for x in xs[:-2]]
    assert float(scope["expm1"](np.array([-800.0]))[0]) == -1.0
    with pytest.raises(OverflowError, match=r"expm1: result too large in expm1\(710\.0\)"):
        scope["expm1"](np.array([1.0, 710.0]))


def test_a_helper_without_a_numpy_version_runs_sample_by_sample_in_batch() -> None:
    np = pytest.importorskip("numpy")
    import math

    from autograd.replay import batch_numpy

    def test_only_gamma(a: float) -> float:
        return math.gamma(a)

    helper(test_only_gamma)
    try:
        scope = batch_numpy.helpers_namespace()
        xs = np.linspace(0.5, 5.0, 10)
        assert list(scope["test_only_gamma"](xs)) == [math.gamma(x) for x in xs]
    finally:
        del HELPERS["test_only_gamma"]


def test_the_core_engine_does_not_import_replay() -> None:
    for path in AUTOGRAD.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert "replay" not in (node.module or ""), f"{path.name} imports {node.module}"
                assert all("replay" not in alias.name for alias in node.names), path.name
            elif isinstance(node, ast.Import):
                assert all("replay" not in alias.name for alias in node.names), path.name
    code = "import autograd, sys; autograd.Value(1.0).tanh().backward(); print('autograd.replay' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=AUTOGRAD.parent)
    assert result.stdout.strip() == "False"


def test_an_op_row_with_an_unknown_name_or_bad_syntax_is_refused_naming_the_op() -> None:
    from autograd import Op

    with pytest.raises(NameError, match=r"op half: 'a \* c' uses 'c', which is neither an input \(a\)"):
        Op(name="half", symbol="½", forward="a * c", derivatives=("0.5",))
    with pytest.raises(NameError, match="uses 'cosh', .* register the function with @helper"):
        Op(name="cosh", symbol="cosh", forward="cosh(a)", derivatives=("sinh(a)",))
    with pytest.raises(SyntaxError, match="op bad: cannot compile 'a \\+'"):
        Op(name="bad", symbol="?", forward="a +", derivatives=("1.0",))
