"""autograd.testing: check_op catches wrong derivatives with a minimal counterexample;
the strategies, the Expression data structure, the pytest plugin and the profiles."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import autograd
from autograd import OPS, GradcheckError, Value, defop, grad
from autograd.testing import (
    BuiltGraph,
    Expression,
    assert_gradients_close,
    check_op,
    expressions,
    floats_in,
    graphs,
    normalize_domain,
    special_floats,
    values,
)

ROOT = Path(__file__).resolve().parents[1]


def _data(x: Any) -> float:
    return x.data if isinstance(x, Value) else x


# ------------------------------------------------------------- the three wrong ops
# 1. a wrong first partial (the power rule misapplied)
wrong_cube = defop("wrong_cube", lambda x: x**3, lambda x, out: (2 * x**2,))
# 2. a correct first partial computed on plain floats: right at first order, but cut
#    from the graph, so every second derivative is 0
float_sin = defop("float_sin", math.sin, lambda x, out: (math.cos(_data(x)),))
# 3. d|x|/dx forgotten in the quotient rule: right for x > 0, wrong for x < 0
softsign_bad = defop(
    "softsign", lambda x: x / (1 + abs(x)), lambda x, out: ((1 + abs(x) - x) / (1 + abs(x)) ** 2,)
)
softsign = defop("softsign", lambda x: x / (1 + abs(x)), lambda x, out: (1 / (1 + abs(x)) ** 2,))
AWAY_FROM_0 = [[(-5.0, -0.1), (0.1, 5.0)]]  # one input; the kink of |x| left out


def test_wrong_first_partial_fails_at_the_simplest_input() -> None:
    with pytest.raises(GradcheckError) as info:
        check_op(wrong_cube, domain=(-3.0, 3.0))
    message = str(info.value)
    assert message.startswith("check_op: wrong_cube: the first derivatives disagree")
    assert "at x0=1.0 (the smallest failing input" in message
    assert "d wrong_cube/dx0  2.0" in message  # analytic 2 x^2 = 2
    assert "3.0" in message  # numeric 3 x^2 = 3
    assert "<-- mismatch" in message


def test_wrong_second_derivative_is_caught_only_at_order_2() -> None:
    check_op(float_sin, order=1, domain=(-3.0, 3.0), max_examples=20)  # first partial right
    with pytest.raises(GradcheckError) as info:
        check_op(float_sin, order=2, domain=(-3.0, 3.0))
    message = str(info.value)
    assert "float_sin: the second derivatives disagree" in message
    assert "x0=1.0" in message
    lines = message.splitlines()
    first = next(line for line in lines if line.lstrip().startswith("d float_sin/dx0"))
    second = next(line for line in lines if line.lstrip().startswith("d2 float_sin/dx0 dx0"))
    assert "mismatch" not in first
    assert "mismatch" in second
    assert "-0.8414709848" in second  # the numeric second derivative


def test_partial_wrong_only_for_negative_inputs() -> None:
    check_op(softsign_bad, domain=(0.1, 5.0), max_examples=20)  # positive inputs pass
    with pytest.raises(GradcheckError) as info:
        check_op(softsign_bad, domain=AWAY_FROM_0)
    message = str(info.value)
    assert "softsign: the first derivatives disagree" in message
    assert "at x0=-1.0 (the smallest failing input" in message
    assert " 0.75 " in message  # analytic (1 + 1 + 1) / 4
    assert " 0.25 " in message  # numeric 1 / 4


def test_the_fixed_softsign_passes_to_third_order() -> None:
    check_op(softsign, order=3, domain=AWAY_FROM_0)


def test_check_op_reports_an_exception_with_the_input() -> None:
    # right value (1.0), but math.sqrt raises for every negative input
    broken = defop("broken", lambda x: x, lambda x, out: (1.0 + 0.0 * math.sqrt(_data(x)),))
    with pytest.raises(GradcheckError, match=r"broken: raised ValueError at x0=-1\.0 .*: math"):
        check_op(broken, order=1, domain=(-3.0, 3.0))


@pytest.mark.parametrize("op", [OPS["sin"], "sin", autograd.sin])
def test_check_op_accepts_an_op_its_name_or_a_function(op: Any) -> None:
    check_op(op, domain=None if op is not autograd.sin else (-3.0, 3.0), max_examples=10)


def test_check_op_without_a_domain_says_what_to_pass() -> None:
    with pytest.raises(ValueError, match=r"check_op: wrong_cube has no test domain: pass domain="):
        check_op(wrong_cube)


def test_check_op_rejects_a_domain_of_the_wrong_arity() -> None:
    with pytest.raises(ValueError, match=r"\* takes 2 inputs, domain has 1"):
        check_op(OPS["*"], domain=(-1.0, 1.0))
    with pytest.raises(ValueError, match="order must be an int >= 1"):
        check_op(OPS["sin"], order=0)


def test_check_op_covers_binary_ops_and_mixed_partials() -> None:
    # d/dy of the x-partial is wrong (0 instead of 1): only the mixed second derivative
    mul = defop("mul", lambda x, y: x * y, lambda x, y, out: (_data(y), x))
    check_op(mul, order=1, domain=[(-2.0, 2.0), (-2.0, 2.0)], max_examples=20)
    with pytest.raises(GradcheckError, match=r"d2 mul/dx0 dx1 .*<-- mismatch"):
        check_op(mul, order=2, domain=[(-2.0, 2.0), (-2.0, 2.0)])


def test_assert_gradients_close_on_functions_and_values() -> None:
    assert_gradients_close(lambda x, y: (x * y).sin() + y.exp(), [0.3, -1.2], order=3)
    assert_gradients_close(OPS["log"], [Value(2.0)], order=2)
    with pytest.raises(AssertionError, match=r"the first derivatives .* at x0=-2\.0"):
        assert_gradients_close(softsign_bad, [-2.0])


def test_assert_gradients_close_is_the_check_inside_given() -> None:
    @given(floats_in(AWAY_FROM_0))
    def test_softsign(xs: tuple[float, ...]) -> None:
        assert_gradients_close(softsign_bad, xs, order=2)

    with pytest.raises(GradcheckError, match="softsign"):
        test_softsign()


def test_check_op_inside_given_when_the_nesting_is_allowed() -> None:
    @settings(max_examples=3, suppress_health_check=[HealthCheck.nested_given])
    @given(st.sampled_from(["tanh", "exp"]))
    def test_ops(name: str) -> None:
        check_op(OPS[name], max_examples=5)

    test_ops()


# ------------------------------------------------------------------------ strategies
def test_floats_in_keeps_to_the_op_domain_with_a_margin() -> None:
    @settings(max_examples=30)
    @given(floats_in(OPS["/"]))
    def inside(xs: tuple[float, ...]) -> None:
        a, b = xs
        assert -10.0 < a < 10.0
        assert 0.1 < abs(b) < 10.0

    inside()
    assert find(floats_in(AWAY_FROM_0), lambda xs: xs[0] < 0) == (-1.0,)


@pytest.mark.parametrize(
    "bad", [(1.0,), (2.0, 1.0), (0.0, math.inf), "ab", [], [[(0.0, 1.0), 3]], (True, 2)]
)
def test_bad_domains_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError, match="domain"):
        normalize_domain(bad)


def test_values_have_labels_and_data_in_range() -> None:
    @settings(max_examples=20)
    @given(values((-1.0, 1.0), label="w"), values(special_floats()))
    def check(w: Value, s: Value) -> None:
        assert w.label == "w"
        assert w.is_leaf
        assert -1.0 <= w.data <= 1.0
        assert s.label == "x"

    check()


def test_special_floats_cover_the_ieee_corners() -> None:
    for predicate in (
        math.isnan,
        lambda x: x == math.inf,
        lambda x: x == -math.inf,
        lambda x: x == 0.0 and math.copysign(1.0, x) < 0,
        lambda x: 0.0 < x < 2.2250738585072014e-308,  # subnormal
    ):
        find(special_floats(), predicate)
    with pytest.raises(Exception, match="No"):
        find(special_floats(allow_nan=False, allow_infinity=False), math.isinf)


# --------------------------------------------------------------------- expressions
EXAMPLE = Expression(2, [("sin", "x0"), ("*", "t0", "x1"), ("+", "t1", "t0"), ("log", "t2")])


def test_expression_repr_is_runnable_python_that_rebuilds_it() -> None:
    text = repr(EXAMPLE)
    assert "# t1 = t0 * x1" in text
    rebuilt = eval(text, {"Expression": Expression})  # test only: our own repr
    assert rebuilt == EXAMPLE
    assert hash(rebuilt) == hash(EXAMPLE)


def test_expression_source_is_a_runnable_function() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(EXAMPLE.source, "<source>", "exec"), namespace)  # test only
    f = namespace["f"]
    assert math.isclose(f(0.5, 2.0), EXAMPLE(0.5, 2.0), rel_tol=1e-15)
    assert math.isclose(
        grad(f, argnums=1)(0.5, 2.0), grad(EXAMPLE, argnums=1)(0.5, 2.0), rel_tol=1e-15
    )
    assert EXAMPLE.source.startswith("from autograd import log, sin\n")
    ident = Expression(1, [("id", "x0"), ("*", "t0", -0.0)])
    assert "t0 = apply(OPS['id'], x0)" in ident.source
    assert "OPS, apply" in ident.source


def test_expression_evaluates_on_floats_and_values_alike() -> None:
    out = EXAMPLE([Value(0.5), Value(2.0)][0], Value(2.0))
    assert isinstance(out, Value)
    assert math.isclose(out.data, EXAMPLE.evaluate([0.5, 2.0]), rel_tol=1e-15)
    assert EXAMPLE.uses(0)
    assert EXAMPLE.uses(1)
    assert not Expression(2, [("sin", "x0")]).uses(1)


@pytest.mark.parametrize(
    "steps",
    [[], [("nope", "x0")], [("sin", "x2")], [("sin", "t0")], [("+", "x0")], [("sin", None)]],
)
def test_malformed_expressions_are_refused(steps: Any) -> None:
    with pytest.raises(ValueError, match="Expression"):
        Expression(2, steps)


def test_expressions_have_shared_subexpressions() -> None:
    def shared(e: Expression) -> bool:
        refs = [a for step in e.steps for a in step[1:] if isinstance(a, str) and a[0] == "t"]
        return len(refs) > len(set(refs))

    quick = settings(database=None, max_examples=500, phases=[Phase.generate])
    e = find(expressions(2), shared, settings=quick)
    assert shared(e)


@settings(max_examples=20)  # a check of the strategy, not a property of the engine
@given(expressions(2, ops=sorted(OPS), max_leaves=6))
def test_expressions_use_only_the_ops_asked_for(e: Expression) -> None:
    assert {s[0] for s in e.steps} <= set(OPS)
    assert any(e.uses(i) for i in range(2))


def test_expressions_refuse_unknown_ops() -> None:
    with pytest.raises(ValueError, match="'nope' is not an op"):
        expressions(2, ops=["nope"])


@settings(max_examples=20)  # a check of the strategy, not a property of the engine
@given(graphs(3))
def test_graphs_are_built_and_ready_for_backward(g: BuiltGraph) -> None:
    assert [x.label for x in g.inputs] == ["x0", "x1", "x2"]
    assert isinstance(g.output, Value)
    g.output.backward()
    assert repr(g).endswith(f".build({list(g.xs)!r})")


# --------------------------------------------------------- packaging and the plugin
def test_profiles_are_registered() -> None:
    assert settings.get_profile("chaingrad-dev").max_examples == 40
    ci = settings.get_profile("chaingrad-ci")
    assert ci.max_examples == 150
    assert ci.derandomize


def test_import_without_hypothesis_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import autograd.testing\n"
        "except ImportError as e:\n    print(e)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert "pip install 'chaingrad[test]'" in proc.stdout
    assert "pip install hypothesis" in proc.stdout


def test_plugin_is_declared_as_a_pytest11_entry_point() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"chaingrad": "autograd.pytest_plugin"}


def test_gradcheck_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from autograd import OPS, defop

        def test_fixture(gradcheck):
            gradcheck(lambda x: x.sin(), [0.5], order=2)
            gradcheck.op(OPS["tanh"], max_examples=5)

        def test_fixture_fails(gradcheck):
            bad = defop("bad", lambda x: x * x, lambda x, out: (x,))
            with pytest.raises(AssertionError, match="bad: the first derivatives"):
                gradcheck.op(bad, domain=(-1.0, 1.0), max_examples=20)
        """
    )
    result = pytester.runpytest_inprocess(
        "-p", "no:chaingrad", "-p", "autograd.pytest_plugin", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=2)


def test_plugin_stays_out_of_the_way_without_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import autograd.pytest_plugin as p\n"
        "print(p._testing is None)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "True"
