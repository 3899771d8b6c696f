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
        ("1" + "0" * 400 + " * x", "out of range"),
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x^2", r"^\^ is not a power in Python: use x\*\*2$"),
        ("-x^2 + y", r"use -x\*\*2 \+ y"),
        ("(x + 1)^y", r"use \(x \+ 1\)\*\*y"),
        ("2x", r"did you mean 2\*x\?"),
        ("3 + 2.5y", r"did you mean 2.5\*y\?"),
        ("1e999 * x", "number 1e999 at column 1 is out of range"),
        ("x - 2e400", "number 2e400 at column 5 is out of range"),
    ],
)
def test_typo_messages(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        build_graph(text, {"x": 1.0, "y": 2.0})


def test_unicode_minus_is_a_minus_in_the_expression_and_in_at() -> None:
    built = build_graph("\u2212x * y", parse_at("x=\u22123,y=2"))
    assert built.root.data == pytest.approx(6.0)
    assert parse_at("x=\u22121.5e\u22121") == {"x": pytest.approx(-0.15)}


@pytest.mark.parametrize(("expr_name", "at_name"), [("x", "\uff58"), ("\uff58", "x")])
def test_nfkc_confusable_names_are_one_variable_both_ways(expr_name: str, at_name: str) -> None:
    built = build_graph(f"{expr_name} * {expr_name}", parse_at(f"{at_name}=3"))
    built.root.backward()
    assert list(built.variables) == ["x"]
    assert built.variables["x"].grad == pytest.approx(6.0)


def test_nfkc_twins_in_at_are_the_same_name() -> None:
    with pytest.raises(ExpressionError, match="given twice"):
        parse_at("x=1,\uff58=2")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x=1e309", "x=1e309 is out of range"),
        ("x=-1e309", "out of range"),
        ("x=inf", "not a finite number"),
        ("x=nan", "not a finite number"),
    ],
)
def test_at_numbers_must_be_finite(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse_at(text)


def test_variables_come_in_the_order_they_appear() -> None:
    built = build_graph("z*y + sin(x) * w", {"w": 1.0, "x": 1.0, "y": 1.0, "z": 1.0, "u": 0.0})
    assert list(built.variables) == ["z", "y", "x", "w", "u"]
