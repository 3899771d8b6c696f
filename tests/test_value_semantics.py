"""Value semantics from issue 8: no implicit conversion, ordering, identity, detach, no_grad.

The traps the issue names must raise with the hint instead of giving a wrong number,
and the habits people bring from PyTorch (``max(values)``, ``item()``, ``detach()``,
``is_leaf``, ``no_grad()``) must work as there.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import pytest

import autograd
from autograd import (
    Value,
    apply,
    defop,
    enable_grad,
    grad,
    hessian,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    value_and_grad,
)
from autograd.ops import MUL

HINT = "use autograd.sin(x) or x.sin() to stay in the graph; x.data (or x.item()) for the number"

CONVERSIONS: dict[str, Callable[[Value], Any]] = {
    "float": float,
    "int": int,
    "round": round,
    "round(v, 2)": lambda v: round(v, 2),
    "math.sin": math.sin,
    "math.exp": math.exp,
    "math.floor": math.floor,
    "math.trunc": math.trunc,
    "operator.index": operator.index,
    "complex": complex,
    "range": range,
    "list index": lambda v: [1.0, 2.0][v],
}


@pytest.mark.parametrize("name", sorted(CONVERSIONS))
def test_implicit_conversions_raise_with_the_hint(name: str) -> None:
    with pytest.raises(TypeError) as info:
        CONVERSIONS[name](Value(1.0))
    assert HINT in str(info.value)


def test_bool_raises_and_points_to_data() -> None:
    for x in (Value(0.0), Value(1.0)):  # bool(Value(0.0)) used to be True
        with pytest.raises(TypeError, match=r"v?\.data|x\.data"):
            bool(x)

    def habit(v: Value) -> str:
        return "positive" if v else "not"  # the habit this guards against

    with pytest.raises(TypeError, match="data"):
        habit(Value(2.0))


def test_the_issues_examples_raise_instead_of_giving_a_wrong_number() -> None:
    # was 2.718 (true 5.437): math.exp turned x into a float and cut the graph
    with pytest.raises(TypeError, match="stay in the graph"):
        grad(lambda x: math.exp(x) * x)(1.0)
    x = Value(1.0)
    with pytest.raises(TypeError, match="stay in the graph"):
        math.sin(x) * x
    # the way that stays in the graph gives the true answer
    assert grad(lambda x: x.exp() * x)(1.0) == pytest.approx(2 * math.e, rel=1e-15)
    y = x.sin() * x
    y.backward()
    assert x.grad == pytest.approx(math.sin(1.0) + math.cos(1.0), rel=1e-15)


def test_item_is_the_explicit_number() -> None:
    v = Value(2.5) * 2
    assert v.item() == 5.0
    assert type(v.item()) is float
    assert v.item() == v.data


# ----------------------------------------------------------------- ordering, identity
def test_ordering_compares_data_and_returns_plain_bools() -> None:
    a, b = Value(1.0), Value(2.0)
    # a number on the left goes through the reflected comparison
    reflected = [operator.lt(1.5, b), operator.ge(2, b), operator.gt(3, b), operator.le(1, a)]
    results = [a < b, a <= b, b > a, b >= a, a < 1.5, a <= 1, b > 1.5, *reflected]
    assert all(r is True for r in results)
    assert (a > b) is False
    assert (b < 1.5) is False
    assert (Value(math.nan) < 1.0) is False


def test_ordering_with_non_numbers_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not supported"):
        _ = Value(1.0) < "a"
    with pytest.raises(TypeError):
        _ = Value(1.0) >= None


def test_max_sorted_and_best_loss_work() -> None:
    values = [Value(3.0), Value(-1.0), Value(7.0), Value(0.5)]
    assert max(values) is values[2]
    assert min(values) is values[1]
    assert [v.data for v in sorted(values)] == [-1.0, 0.5, 3.0, 7.0]
    best = Value(10.0)
    for loss in values:
        if loss < best:
            best = loss
    assert best is values[1]
    # the max is the Value itself, so its gradient flows to the chosen input only
    m = max(values) * 2
    m.backward()
    assert values[2].grad == 2.0
    assert values[0].grad == 0.0


def test_equality_is_identity_and_values_live_in_sets() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a
    assert a != b  # same number, different nodes
    assert (a == 1.0) is False
    assert len({a, b, a}) == 2
    seen = {a: "a", b: "b"}
    assert seen[a] == "a"
    assert seen[b] == "b"
    c = a * 1.0
    assert c != a
    assert c in {c}


# --------------------------------------------------------------- detach and is_leaf
def test_detach_gives_a_new_leaf_with_the_same_data() -> None:
    x = Value(3.0, label="x")
    y = x * x
    d = y.detach()
    assert d is not y
    assert d.data == y.data == 9.0
    assert d.is_leaf
    assert d.parents == ()
    assert d.op == ""
    assert d.grad == 0.0
    z = d * x  # d is a constant as far as x is concerned
    z.backward()
    assert x.grad == 9.0
    assert d.grad == 3.0
    assert y.grad == 0.0  # nothing flowed into the original graph


def test_is_leaf_is_a_property() -> None:
    assert isinstance(Value.__dict__["is_leaf"], property)
    x = Value(1.0)
    assert x.is_leaf is True
    assert (x + 1).is_leaf is False
    with pytest.raises(TypeError, match="not callable"):
        x.is_leaf()  # type: ignore[operator]  # the old method spelling fails loudly


# --------------------------------------------------------------------------- no_grad
def _all_kinds_of_ops(x: Value, y: Value) -> list[Value]:
    cube = defop("cube_semantics", lambda a: a**3, lambda a, out: (3 * a**2,))
    pair = defop("pair_semantics", lambda a, b: a * b, lambda a, b, out: (b, a))
    return [
        x + y,
        2 - x,
        x * 1.5,
        x / y,
        x**2,
        2**x,
        -x,
        abs(x),
        x.tanh(),
        autograd.sin(x),
        autograd.maximum(x, y),
        apply(MUL, x, y),
        cube(x),
        pair(x, y),
    ]


def test_no_grad_as_a_context_manager_makes_leaves() -> None:
    x, y = Value(2.0), Value(3.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        outs = _all_kinds_of_ops(x, y)
    assert is_grad_enabled()
    for v in outs:
        assert v.is_leaf, v
        assert v.parents == ()
        assert v.inputs == ()
        assert v.op == ""
    assert [v.data for v in outs[:4]] == [5.0, 0.0, 3.0, pytest.approx(2 / 3)]
    assert outs[-2].data == 8.0
    assert outs[-1].data == 6.0
    recorded = _all_kinds_of_ops(x, y)
    assert not any(v.is_leaf for v in recorded)


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def evaluate(v: Value) -> Value:
        assert not is_grad_enabled()
        return v * v + 1

    x = Value(3.0)
    out = evaluate(x)
    assert out.data == 10.0
    assert out.is_leaf
    assert is_grad_enabled()
    assert evaluate.__name__ == "evaluate"


def test_no_grad_nests_and_enable_grad_records_inside() -> None:
    x = Value(2.0)
    with no_grad():
        with no_grad():
            inner = x * x
        assert not is_grad_enabled()  # leaving the inner block keeps the outer one
        with enable_grad():
            assert is_grad_enabled()
            recorded = x * x
            with no_grad():
                again = x * x
            assert is_grad_enabled()
        after = x * x
    assert inner.is_leaf
    assert again.is_leaf
    assert after.is_leaf
    assert recorded.parents == (x, x)
    recorded.backward()
    assert x.grad == 4.0


def test_an_exception_restores_the_mode() -> None:
    with pytest.raises(ZeroDivisionError), no_grad():
        _ = Value(1.0) / 0.0
    assert is_grad_enabled()

    @no_grad()
    def fails() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fails()
    assert is_grad_enabled()
    with no_grad():
        with pytest.raises(KeyError), enable_grad():
            raise KeyError("k")
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_set_grad_enabled_takes_a_bool() -> None:
    with set_grad_enabled(False):
        assert not is_grad_enabled()
    assert is_grad_enabled()
    message = "set_grad_enabled: mode must be a bool, got int"
    with pytest.raises(TypeError, match=message), set_grad_enabled(0):  # type: ignore[arg-type]
        pass


def test_a_no_grad_result_is_a_constant_for_later_graphs() -> None:
    w = Value(0.5)
    with no_grad():
        target = w * 4.0
    loss = (w - target) ** 2
    loss.backward()
    assert w.grad == pytest.approx(2 * (0.5 - 2.0))  # target does not depend on w


def test_functional_transforms_still_work_inside_no_grad() -> None:
    # a global switch must not turn a gradient into a silent 0.0 (as torch.func.grad)
    with no_grad():
        assert grad(lambda x: x * x)(3.0) == 6.0
        assert value_and_grad(lambda x: x.sin())(0.0) == (0.0, 1.0)
        assert hessian(lambda x: x**3)(2.0) == pytest.approx(12.0)
        assert not is_grad_enabled()


@pytest.mark.parametrize(
    ("activation", "bias"), [("tanh", True), ("relu", False), ("sigmoid", True), (None, True)]
)
def test_models_give_the_same_numbers_inside_no_grad(activation: str | None, bias: bool) -> None:
    from nn import MLP, Layer, Neuron

    model = MLP(3, [5, 4, 2], activation=activation, bias=bias, seed=3)
    inputs: list[list[Any]] = [[0.5, -1.0, 2.0], [1, 2, -3], [Value(0.1), 0.2, Value(-0.3)]]
    for x in inputs:
        recorded = model(x)
        with no_grad():
            evaluated = model(x)
        for r, e in zip(recorded, evaluated, strict=True):
            assert e.is_leaf
            assert not r.is_leaf
            assert e.data == pytest.approx(r.data, rel=1e-15, abs=1e-300)  # same operations
    neuron, layer = Neuron(2, activation, bias=bias, rng=1), Layer(2, 3, activation, rng=2)
    with no_grad():
        n_out, l_out = neuron([0.3, -0.7]), layer([0.3, -0.7])
    assert n_out.data == pytest.approx(neuron([0.3, -0.7]).data, rel=1e-15, abs=1e-300)
    assert [v.data for v in l_out] == pytest.approx([v.data for v in layer([0.3, -0.7])])
    with no_grad(), pytest.raises(TypeError, match="Neuron input: expected a real number"):
        layer(["a", 1.0])
