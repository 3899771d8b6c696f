"""Value: construction, structure, repr, and clear errors for bad input."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

import pytest

import autograd
from autograd import Value


def test_construction_and_structure() -> None:
    a = Value(3, label="a")
    assert a.data == 3.0
    assert isinstance(a.data, float)
    assert a.grad == 0.0
    assert a.label == "a"
    assert a.op == ""
    assert a.parents == ()
    assert a.is_leaf
    b = Value(Fraction(1, 4))
    assert b.data == 0.25
    c = a * b
    assert c.op == "*"
    assert c.parents == (a, b)
    assert not c.is_leaf
    d = 1.1 * a
    assert d.parents == (a,)
    assert d.inputs == (1.1, a)
    e = a - a
    assert e.parents == (a, a)


def test_item_and_repr() -> None:
    a = Value(2.5, label="x")
    assert a.item() == 2.5
    assert repr(a) == "Value(data=2.5, grad=0.0, label='x')"
    assert repr(Value(1)) == "Value(data=1.0, grad=0.0)"


def test_values_hash_by_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert len({a, b}) == 2


def test_no_instance_dict() -> None:
    with pytest.raises(AttributeError):
        Value(1.0).extra = 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("bad", "type_name"),
    [("abc", "str"), (None, "NoneType"), (1j, "complex"), (True, "bool"), ([1.0], "list")],
)
def test_bad_data_is_a_type_error_naming_the_type(bad: object, type_name: str) -> None:
    with pytest.raises(TypeError, match=re.escape(type_name)):
        Value(bad)  # type: ignore[arg-type]


def test_label_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", None, 1j, True])
def test_bad_operands_are_type_errors(bad: object) -> None:
    v = Value(1.0)
    with pytest.raises(TypeError):
        v + bad  # type: ignore[operator]
    with pytest.raises(TypeError):
        bad * v  # type: ignore[operator]


def test_module_functions_reject_non_numbers() -> None:
    with pytest.raises(TypeError, match=r"sin.*str"):
        autograd.sin("x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("thunk", "error", "pattern"),
    [
        (lambda: Value(0).log(), ValueError, r"log: input must be > 0, got 0\.0"),
        (lambda: Value(-1).log(), ValueError, r"log: .*-1\.0"),
        (lambda: autograd.log(-2.0), ValueError, r"log: .*-2\.0"),
        (lambda: Value(-1).sqrt(), ValueError, r"sqrt: .*-1\.0"),
        (lambda: Value(1) / 0, ZeroDivisionError, r"/: division by zero \(1\.0 / 0\.0\)"),
        (lambda: 1 / Value(0), ZeroDivisionError, r"/: division by zero"),
        (lambda: Value(0) ** -1, ZeroDivisionError, r"\*\*: 0\.0 .*negative power \(-1\.0\)"),
        (lambda: Value(-8) ** 0.5, ValueError, r"\*\*: negative base -8\.0 .* 0\.5"),
        (lambda: Value(1000).exp(), OverflowError, r"exp: .*1000\.0"),
        (lambda: autograd.exp(710), OverflowError, r"exp: .*710\.0"),
        (lambda: Value(10.0) ** 400, OverflowError, r"\*\*: .*10\.0 \*\* 400\.0"),
    ],
)
def test_domain_errors_name_the_op_and_the_value(
    thunk: Callable[[], object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern) as info:
        thunk()
    assert "math domain error" not in str(info.value)
    assert "math range error" not in str(info.value)


def test_negative_base_with_integer_exponent_is_fine() -> None:
    v = Value(-2.0)
    y = v**3
    y.backward()
    assert y.data == -8.0
    assert v.grad == pytest.approx(12.0)


def test_nan_and_infinity_are_accepted() -> None:
    assert math.isnan(Value(math.nan).data)
    assert Value(-math.inf).data == -math.inf
