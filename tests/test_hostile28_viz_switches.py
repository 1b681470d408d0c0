"""viz's on/off switches take True or False only, and say which switch got what, as draw_gradient_graph's did.

``draw_graph(root, show_gradients="yes")`` drew (any non-empty str is true, so "no" showed gradients too),
``edge_derivatives=0.0`` or ``show_constants="False"`` were read by their truth, and ``loss_figure(losses,
log_scale="no")`` drew a log axis. A well-made library refuses a switch that is no bool by name (torch:
``requires_grad_("yes")`` is a TypeError); `draw_gradient_graph` already did, in these words.
"""

from __future__ import annotations

import pytest

from autograd import Value
from viz import draw_gradient_graph, draw_graph
from viz.charts import loss_figure


def _root() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + 1.0
    out.backward()
    return out


@pytest.mark.parametrize("switch", ["edge_derivatives", "color_by_gradient", "collapsed", "show_gradients",
                                    "show_parameters", "show_constants"])
@pytest.mark.parametrize("bad", ["yes", "False", 1, 0.0, [], (True,)])
def test_draw_graph_refuses_a_switch_that_is_no_bool(switch: str, bad: object) -> None:
    either = "True, False or None" if switch == "show_gradients" else "True or False"  # None: decide from root
    with pytest.raises(TypeError, match=f"^draw_graph: {switch} must be {either}, got "):
        draw_graph(_root(), **{switch: bad})  # type: ignore[arg-type]


def test_draw_graph_still_takes_bools_and_none_for_show_gradients() -> None:
    root = _root()
    shown = draw_graph(root, show_gradients=True).source
    hidden = draw_graph(root, show_gradients=False).source
    assert "grad -3.0000" in shown and "grad -3.0000" not in hidden  # a's gradient is b's data, -3
    assert draw_graph(root, show_gradients=None).source == shown  # root's grad is 1: backward() has run
    assert draw_graph(root, edge_derivatives=True, show_constants=False).source


@pytest.mark.parametrize("bad", ["yes", 1, None])
def test_loss_figure_refuses_a_log_scale_that_is_no_bool(bad: object) -> None:
    with pytest.raises(TypeError, match="^loss_figure: log_scale must be True or False"):
        loss_figure([3.0, 2.0, 1.0], log_scale=bad)  # type: ignore[arg-type]


def test_draw_gradient_graph_words_are_the_same() -> None:
    x = Value(3.0, label="x")
    y = x * x
    (g,) = __import__("autograd").grad(y, [x], create_graph=True)
    with pytest.raises(TypeError, match="^draw_gradient_graph: copy_leaf_reads must be True or False, got 'yes'"):
        draw_gradient_graph(g, y, copy_leaf_reads="yes")  # type: ignore[arg-type]
