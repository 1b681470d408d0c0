"""An op registered with a name that is not a Python identifier is refused, naming the name.

`Op` documents ``name`` as an "identifier used in reprs, error messages, OPS and, for a one-input op, the
Value method". Before: ``register_op(Op(name="soft plus", ...))`` registered (no method was made, silently),
and the name went on into generated code and pictures as it was.
"""

from __future__ import annotations

import pytest

from autograd import Op, Value, register_op
from autograd.ops import OPS


@pytest.mark.usefixtures("clean_table")
@pytest.mark.parametrize(("name", "why"), [
    ("soft plus", "not a Python identifier"),
    ("x-y", "not a Python identifier"),
    ("2x", "not a Python identifier"),
    ("a.b", "not a Python identifier"),
    ("lambda", "a Python keyword"),
    ("None", "a Python keyword"),
])
def test_a_name_that_is_no_identifier_is_refused(name: str, why: str) -> None:
    row = Op(name=name, symbol="s", forward="a * 2.0", derivatives=("2.0",))
    with pytest.raises(ValueError, match=rf"^register_op: op name {name!r} is {why}: ") as info:
        register_op(row)
    assert "Value method" in str(info.value)
    assert name not in OPS  # nothing registered


@pytest.mark.usefixtures("clean_table")
def test_an_identifier_name_still_registers_and_becomes_a_method() -> None:
    register_op(Op(name="double_it", symbol="2×", forward="a * 2.0", derivatives=("2.0",)))
    assert Value(1.5).double_it().data == 3.0  # type: ignore[attr-defined]
