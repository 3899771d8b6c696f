"""The expression parser behind ``chaingrad graph``: a whitelist over ast, no eval."""

from __future__ import annotations

import pytest

from autograd.expr import ExpressionError, build_graph, parse, parse_at


def test_builds_a_graph_with_one_leaf_per_variable() -> None:
    built = build_graph("x*x + sin(y) - -x + +y", {"x": 2.0, "y": 0.0})
    built.root.backward()
    assert built.root.data == pytest.approx(6.0)
    assert built.variables["x"].grad == pytest.approx(5.0)
    assert built.variables["y"].grad == pytest.approx(2.0)


def test_unused_variables_get_zero_gradient() -> None:
    built = build_graph("x * 2", {"x": 1.0, "w": 5.0})
    built.root.backward()
    assert built.variables["w"].grad == 0.0


def test_constant_subexpressions_fold_without_nodes() -> None:
    built = build_graph("x * (2 + 3)", {"x": 1.0})
    assert built.root.op == "*"
    assert built.root.inputs[1] == 5.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(" * 300 + "x" + ")" * 300, "nested"),
        ("1" + "0" * 400 + " * x", "too large"),
        ("x" * 20_000, "too long"),
        ("   ", "empty"),
        ("x and y", "boolean"),
        ("x < y", "comparisons"),
        ("f'{x}'", "strings"),
        ("x if x else y", "conditional"),
        ("(x := 2)", "assignments"),
        ("1j * x", "constants"),
        ("True * x", "constants"),
        ("x % 2", "Mod"),
        ("~x", "Invert"),
        ("sin(x, x)", "exactly one argument"),
        ("sin", "is a function"),
        ("2 + 3", "no variables"),
    ],
)
def test_rejections(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        build_graph(text, {"x": 1.0, "y": 2.0})


def test_parse_returns_an_ast_without_evaluating() -> None:
    tree = parse("exp(x) / 2")
    assert type(tree).__name__ == "BinOp"


def test_parse_at() -> None:
    assert parse_at("x=1.5, y = -2,z=1e3") == {"x": 1.5, "y": -2.0, "z": 1000.0}
    for bad in ("", "x", "x=", "=1", "x=a", "x=1,x=2", "sin=1", "1x=2", "__x=1"):
        with pytest.raises(ExpressionError):
            parse_at(bad)
