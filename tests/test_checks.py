"""gradcheck: passes correct rules, catches wrong ones with a readable table."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import GradcheckError, Value, defop, gradcheck


def test_passes_for_a_correct_function() -> None:
    assert gradcheck(lambda x, y: (x * y).sin() + y.exp() / x, [0.4, -1.2]) is True


def test_catches_a_user_op_with_a_wrong_partial() -> None:
    wrong_cube = defop("wrong_cube", lambda x: x**3, lambda x, out: (2 * x**2,))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: wrong_cube(x), [1.5])
    message = str(info.value)
    for word in ("input", "analytic", "numeric", "difference", "mismatch"):
        assert word in message
    assert "4.5" in message  # analytic 2 * 1.5**2
    assert "6.75" in message  # numeric 3 * 1.5**2


def test_reports_relu_at_exactly_zero() -> None:
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda x: x.relu(), [0.0])
    line = next(r for r in str(info.value).splitlines() if r.strip().startswith("x0"))
    cells = line.split()
    assert float(cells[2]) == 0.0  # analytic
    assert float(cells[3]) == pytest.approx(0.5)  # numeric


def test_only_the_wrong_input_is_flagged() -> None:
    half_wrong = defop("half_wrong", lambda x, y: x * y, lambda x, y, out: (y, x + 1))
    with pytest.raises(GradcheckError) as info:
        gradcheck(half_wrong, [2.0, 3.0])
    lines = str(info.value).splitlines()
    assert "mismatch" not in next(r for r in lines if r.strip().startswith("x0"))
    assert "mismatch" in next(r for r in lines if r.strip().startswith("x1"))


def test_numeric_grad() -> None:
    ng = autograd.numeric_grad(lambda x: x * x, [3.0])
    assert ng[0] == pytest.approx(6.0)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="empty"):
        gradcheck(lambda: Value(1.0), [])
    with pytest.raises(ValueError, match="eps"):
        gradcheck(lambda x: x, [1.0], eps=0.0)
    with pytest.raises(TypeError, match="str"):
        gradcheck(lambda x: x, ["a"])  # type: ignore[list-item]


def test_defop_works_on_floats_values_and_higher_order() -> None:
    def sq_partials(x: Value, out: Value) -> tuple[Value]:
        return (2 * x,)

    square = defop("square", lambda x: x * x, sq_partials)
    assert square(3) == 9.0
    assert isinstance(square(3), float)
    x = Value(3.0)
    y = square(x)
    assert y.op == "square"
    assert autograd.grad(square)(3.0) == pytest.approx(6.0)
    assert autograd.hessian(square)(3.0) == pytest.approx(2.0)
    assert gradcheck(lambda a: square(a.sin()), [0.3])


def test_defop_with_three_inputs() -> None:
    fma = defop("fma", lambda a, b, c: a * b + c, lambda a, b, c, out: (b, a, 1.0))
    a, b = Value(2.0), Value(3.0)
    y = fma(a, b, 4.0)
    assert y.data == 10.0
    assert y.parents == (a, b)
    y.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)
    assert gradcheck(fma, [1.0, 2.0, 3.0])
    assert autograd.hessian(fma, argnums=(0, 1))(1.0, 2.0, 3.0) == ((0.0, 1.0), (1.0, 0.0))


def test_defop_errors() -> None:
    with pytest.raises(ValueError, match="name"):
        defop("", lambda x: x, lambda x, out: (1.0,))
    with pytest.raises(TypeError, match="callable"):
        defop("x", 1, lambda x, out: (1.0,))  # type: ignore[arg-type]
    too_many = defop("too_many", lambda x: x, lambda x, out: (1.0, 2.0))
    with pytest.raises(ValueError, match="too_many: partials returned 2 derivatives for 1"):
        too_many(Value(1.0)).backward()
    not_a_number = defop("nan_op", lambda x: "x", lambda x, out: (1.0,))
    with pytest.raises(TypeError, match="nan_op: forward must return a real number"):
        not_a_number(1.0)
    assert math.isfinite(autograd.sin(1))
