"""The lecture's gradients-of-gradients part: tanh's derivatives, Newton's method, the slides' MLP Hessian.

References are independent of the engine: tanh's n-th derivative is a polynomial in t = tanh(x) given by
P_0 = t, P_{n+1} = P_n'(t) (1 - t^2); Newton's minimum of e^x - 2x is ln 2 and f'' = e^x; the Hessian is
checked against central differences of first-order gradients and against PyTorch.
"""

from __future__ import annotations

import math
import re

import pytest

from lecture.mlp_hessian import (
    HESSIAN_WEIGHTS,
    TOLERANCE,
    central_difference_hessian,
    engine_hessian,
    gradient_picture,
    mlp_hessian,
    slide_weight,
)
from lecture.newton import EXAMPLE_MINIMUM, newton_minimise, newton_table
from lecture.slides_mlp import SLIDES_W1, SLIDES_W2, SLIDES_X, SLIDES_Y, slides_network
from lecture.tanh_derivatives import tanh_derivative_curves, tanh_derivatives_at
from viz.derivative_chart import derivative_curves_chart


def tanh_polynomials(order: int) -> list[list[int]]:
    """Coefficients (lowest power first) of P_n with tanh^(n)(x) = P_n(tanh x), n = 0..order."""
    polys = [[0, 1]]
    for _ in range(order):
        p = polys[-1]
        dp = [k * c for k, c in enumerate(p)][1:] or [0]
        # dP/dx = P'(t) * (1 - t^2)
        out = [0] * (len(dp) + 2)
        for k, c in enumerate(dp):
            out[k] += c
            out[k + 2] -= c
        polys.append(out)
    return polys


def evaluate(poly: list[int], t: float) -> float:
    return sum(c * t**k for k, c in enumerate(poly))


def test_the_polynomial_recursion_gives_the_known_first_derivatives() -> None:
    polys = tanh_polynomials(3)
    assert polys[1] == [1, 0, -1]  # 1 - t^2
    assert polys[2] == [0, -2, 0, 2]  # -2t + 2t^3 = -2t(1 - t^2)
    assert polys[3] == [-2, 0, 8, 0, -6]  # -2 + 8t^2 - 6t^4


@pytest.mark.parametrize("x", [-3.0, -1.2, -0.4, 0.0, 0.3, 0.9, 2.5])
def test_tanh_derivatives_1_to_6_equal_the_closed_forms(x: float) -> None:
    t = math.tanh(x)
    polys = tanh_polynomials(6)
    got = tanh_derivatives_at(x, 6)
    assert len(got) == 7
    for n, value in enumerate(got):
        assert math.isclose(value, evaluate(polys[n], t), rel_tol=1e-12, abs_tol=1e-12), n


def test_the_curves_hold_every_order_at_every_point_and_odd_orders_vanish_at_zero() -> None:
    curves = tanh_derivative_curves([-1.0, 0.0, 1.0])
    assert len(curves.curves) == 7 and all(len(c) == 3 for c in curves.curves)
    # tanh is odd: its even derivatives (n = 0, 2, 4, 6) are odd functions, 0 at x = 0; tanh'(0) = 1, tanh'''(0) = -2,
    # tanh^(5)(0) = 16 (the Taylor series x - x^3/3 + 2x^5/15: 5! * 2/15 = 16).
    assert [c[1] for c in curves.curves] == pytest.approx([0, 1, 0, -2, 0, 16, 0], abs=1e-12)
    assert curves.curves[2][0] == pytest.approx(-curves.curves[2][2], abs=1e-15)


def test_tanh_derivatives_refuse_a_bad_order() -> None:
    for order in (-1, 11, 2.0, True):
        with pytest.raises(ValueError, match="order"):
            tanh_derivatives_at(0.5, order)  # type: ignore[arg-type]


def test_newton_converges_to_ln2_quadratically_with_the_engines_second_derivative() -> None:
    steps = newton_minimise(x0=2.0)
    assert abs(steps[-1].x - math.log(2.0)) <= 2e-16
    assert EXAMPLE_MINIMUM == math.log(2.0)
    for s in steps:
        assert s.slope == pytest.approx(math.exp(s.x) - 2.0, rel=1e-13, abs=1e-15)
        assert s.curvature == pytest.approx(math.exp(s.x), rel=1e-13)
    errors = [abs(s.x - math.log(2.0)) for s in steps]
    # Quadratic convergence: e_{k+1} ~ (f'''/2f'') e_k^2 = e_k^2 / 2 near ln 2; allow a factor 2 of slack.
    for before, after in zip(errors[2:-2], errors[3:-1]):
        assert after <= before * before
    assert len(steps) <= 8
    table = newton_table(steps)
    assert table.splitlines()[0].split() == ["k", "x", "f(x)", "f'(x)", 'f"(x)', "|x", "-", "x*|"]
    assert len(table.splitlines()) == len(steps) + 1


def test_newton_refuses_what_has_no_minimum() -> None:
    with pytest.raises(ValueError, match="no minimum"):
        newton_minimise(lambda x: -(x * x), x0=1.0)
    with pytest.raises(ValueError, match="x0 must be finite"):
        newton_minimise(x0=math.nan)
    with pytest.raises(ValueError, match="after 2 steps"):
        newton_minimise(x0=8.0, max_steps=2)
    with pytest.raises(TypeError, match="must return a Value"):
        newton_minimise(lambda x: 1.0, x0=1.0)  # type: ignore[arg-type,return-value]


def test_mlp_hessian_is_symmetric_and_equals_central_differences() -> None:
    h = mlp_hessian()
    assert h.weights == HESSIAN_WEIGHTS == ((1, 1), (2, 1))
    assert abs(h.engine[0][1] - h.engine[1][0]) <= 1e-14
    assert h.max_difference <= TOLERANCE == 1e-8
    # The check is not the engine's number in disguise: a wrong step size is visibly off.
    rough = central_difference_hessian(step=1e-1)
    assert max(abs(a - b) for ra, rb in zip(h.engine, rough) for a, b in zip(ra, rb)) > 1e-5
    assert "largest difference" in h.table() and "w1[2,1]" in h.table()


def test_slide_weight_names_the_slides_table_entries() -> None:
    model = slides_network()
    for i in range(4):
        for k in (1, 2):
            assert slide_weight(model, i, k).data == SLIDES_W1[i][k - 1]
    with pytest.raises(ValueError, match=r"w1\[4,1\]"):
        slide_weight(model, 4, 1)
    with pytest.raises(ValueError, match=r"w1\[0,3\]"):
        slide_weight(model, 0, 3)


def test_mlp_hessian_equals_torch_in_float64() -> None:
    torch = pytest.importorskip("torch")
    x = torch.tensor(SLIDES_X[:4], dtype=torch.float64)
    y = torch.tensor(SLIDES_Y[:4], dtype=torch.float64)
    w1 = torch.tensor(SLIDES_W1, dtype=torch.float64)
    w2 = torch.tensor(SLIDES_W2, dtype=torch.float64)

    def loss(pair: torch.Tensor) -> torch.Tensor:
        rows = [w1[0], torch.stack([pair[0], w1[1, 1]]), torch.stack([pair[1], w1[2, 1]]), w1[3]]
        first = torch.stack(rows)  # w1[1,1] and w1[2,1] (row i, unit 1) replaced by the variables
        a1 = torch.sigmoid(torch.cat([torch.ones(4, 1, dtype=torch.float64), x], dim=1) @ first)
        a2 = torch.sigmoid(torch.cat([torch.ones(4, 1, dtype=torch.float64), a1], dim=1) @ w2)
        return 0.5 * ((a2 - y) ** 2).sum()  # E = 1/2 sum (y_hat - y)^2, summed over rows 1..4

    start = torch.tensor([SLIDES_W1[1][0], SLIDES_W1[2][0]], dtype=torch.float64)
    reference = torch.autograd.functional.hessian(loss, start)
    ours = engine_hessian()
    for i in range(2):
        for j in range(2):
            assert ours[i][j] == pytest.approx(float(reference[i, j]), abs=1e-9)


def test_gradient_picture_is_row1s_gradient_of_w1_11() -> None:
    source = gradient_picture(1, 1).source
    # dE/dw1[1,1] = delta_1 * a0[1] = delta_1 * 1.0 on row 1: the slide's dE/dw1[0,1] = .0020.
    assert r"dE/dw1[1,1]\ndata 0.0020" in source
    assert "cluster_forward" in source and 'label="backward: dE/dw1[1,1]"' in source


def test_derivative_chart_writes_an_svg_and_refuses_ragged_curves(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    curves = tanh_derivative_curves([-1.0, 0.0, 1.0], order=2)
    out = derivative_curves_chart(curves.xs, curves.curves, tmp_path / "d.svg")
    assert "tanh^(2)" in out.read_text()
    with pytest.raises(ValueError, match="curve 1 has 2 values for 3 xs"):
        derivative_curves_chart([0.0, 1.0, 2.0], [[0.0, 1.0, 2.0], [1.0, 2.0]], tmp_path / "e.svg")
    with pytest.raises(ValueError, match="not finite"):
        derivative_curves_chart([0.0], [[math.inf]], tmp_path / "f.svg")
    assert not (tmp_path / "e.svg").exists() and not (tmp_path / "f.svg").exists()



def test_gradient_picture_names_the_slides_chain_rule_gradients() -> None:
    from lecture.slides_mlp import SLIDE_CHAIN_RULE
    source = gradient_picture(1, 1).source
    # The slide's dE/da1[1] = .1502 appears under its name, as does dE/ds2[1] (= the slide's dE/dw2[0,1], a1[0] = 1:
    # .0775 on the slide, 0.077574 unrounded, see its remark).
    assert SLIDE_CHAIN_RULE["dE/da1[1]"] == ".1502"
    assert r"dE/da1[1]\ndata 0.1502" in source
    assert r"dE/ds2[1]\ndata 0.0776" in source
    # The constants 2, 0.5 and 1 of the backward gates are drawn per use and never dashed as forward reads.
    assert not re.search(r"v\d+c\d+ -> \w+ \[[^\]]*dashed", source)


def test_derivative_chart_gives_each_derivative_its_own_readable_axis() -> None:
    # On one axis the 6th derivative's +-52 flattened tanh (+-1) and tanh'' (max 4/(3 sqrt 3) = 0.7698) to lines.
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from viz.derivative_chart import derivative_curves_figure

    curves = tanh_derivative_curves()
    # On the chart's 201 points the peak is sampled within 0.2% (step 0.07 near x = 0.66).
    assert 0.998 * 4 / (3 * math.sqrt(3)) < max(abs(v) for v in curves.curves[2]) <= 4 / (3 * math.sqrt(3))
    assert max(abs(v) for v in curves.curves[6]) > 50
    fig = derivative_curves_figure(curves.xs, curves.curves)
    try:
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert [ax.get_title() for ax in panels] == ["tanh"] + [f"tanh^({n})" for n in range(1, 7)]
        for ax, curve in zip(panels, curves.curves):
            low, high = ax.get_ylim()
            assert low <= min(curve) and max(curve) <= high
            # The curve fills most of its own axis (matplotlib's 5% margins leave it ~90%).
            assert (max(curve) - min(curve)) / (high - low) > 0.8, ax.get_title()
    finally:
        plt.close(fig)
