"""to_sympy / to_latex: the formula of a graph, and its symbolic gradient equals backprop."""

from __future__ import annotations

import pytest

from autograd import Value, examples

sp = pytest.importorskip("sympy")
from autograd.symbolic import symbols, to_latex, to_sympy  # noqa: E402


def test_toy_model_formula_and_gradient_agree_with_backprop() -> None:
    ex = examples.EXAMPLES["toy_model"]()
    expr = to_sympy(ex.root)
    leaves = symbols(ex.root)  # the 8 parameters and the inputs x, y
    point = {sym: v.data for v, sym in leaves.items()}
    assert float(expr.subs(point)) == pytest.approx(ex.root.data, rel=1e-12)
    assert {s.name for s in leaves.values()} >= {"x", "y", "beta0", "omega3"}
    for v, sym in leaves.items():
        symbolic = float(sp.diff(expr, sym).subs(point))
        assert symbolic == pytest.approx(v.grad, rel=1e-12, abs=1e-12), v.label


def test_constants_and_names() -> None:
    x = Value(1.0, label="x")
    assert str(to_sympy(x * 2.3 + 1)) == "23*x/10 + 1"
    assert str(to_sympy(x * 2.3 + 1, exact_constants=False)) == "2.3*x + 1"
    unnamed = Value(2.0)
    assert str(to_sympy(unnamed.exp() * x)) == "x*exp(v0)"
    assert to_latex(x.sqrt() / 2) == "\\frac{\\sqrt{x}}{2}"


def test_same_label_on_two_leaves_is_refused() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="a")
    with pytest.raises(ValueError, match="both labelled 'a'"):
        to_sympy(a + b)


def test_unknown_op_is_named() -> None:
    from autograd import defop

    cube = defop("cube", lambda x: x**3, lambda x, out: (3 * x**2,))
    with pytest.raises(ValueError, match="'cube'"):
        to_sympy(cube(Value(2.0, label="x")))


def test_expression_swell_tanh_eighth_derivative() -> None:
    """Symbolically the 8th derivative of tanh stays small; its graph has thousands of nodes."""
    t = sp.Symbol("x", real=True)
    d8 = sp.diff(sp.tanh(t), t, 8)
    assert float(d8.subs(t, 1.0)) == pytest.approx(-277.06214, abs=5e-6)
    assert sp.count_ops(sp.simplify(d8)) < 100
    x = Value(1.0, label="x")
    y = x.tanh()
    for _ in range(8):
        x.grad = 0.0
        y.backward(create_graph=True)
        y = x.grad
    assert y.data == pytest.approx(-277.06214, abs=5e-6)
    x4 = Value(1.0, label="x")
    y4 = x4.tanh()
    for _ in range(4):
        x4.grad = 0.0
        y4.backward(create_graph=True)
        y4 = x4.grad
    formula = to_sympy(y4, variables=[x4])  # each backward's seed becomes the number 1
    t4 = sp.diff(sp.tanh(t), t, 4)
    assert float(formula.subs(t, 1.0)) == pytest.approx(float(t4.subs(t, 1.0)), rel=1e-12)
    with pytest.raises(ValueError, match="both labelled 'seed'"):
        to_sympy(y4)  # all leaves as symbols: the seeds clash, said clearly


def test_toy_model_in_its_parameters_reads_as_in_the_issue() -> None:
    ex = examples.EXAMPLES["toy_model"]()
    params = list(ex.leaves.values())  # x and y become their numbers
    expected = (
        "(beta3 + omega3*cos(beta2 + omega2*exp(beta1 + omega1*sin(beta0 + 2.3*omega0))) - 2)**2"
    )
    assert str(to_sympy(ex.root, variables=params, exact_constants=False)) == expected
