"""compile(batch=True): numpy code over a batch equals the eager engine sample by sample."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import OPS, CompileCheckError, compile, defop, value_and_grad
from autograd.batching import BatchCompiled
from autograd.testing import expressions
from autograd.value import apply

np = pytest.importorskip("numpy")


def _eager_sum(f: Any, nums: tuple[int, ...], rows: list[tuple[float, ...]]) -> Any:
    """The eager engine sample by sample: summed value, summed grads, per-sample grads."""
    vg = value_and_grad(f, argnums=nums)
    value, sums, cols = 0.0, [0.0] * len(nums), [[] for _ in nums]
    for row in rows:
        v, gs = vg(*row)
        value += v
        for j, g in enumerate(gs):
            sums[j] += g
            cols[j].append(g)
    return value, sums, cols


def _close(a: Any, b: Any, rel: float = 1e-12, scale: float | None = None) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    s = scale if scale is not None else max(1.0, float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all((np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= rel * s)))


def _columns(rows: list[tuple[float, ...]], batched: tuple[bool, ...]) -> list[Any]:
    return [np.array([r[i] for r in rows]) if b else rows[0][i] for i, b in enumerate(batched)]


@settings(max_examples=60, deadline=None)
@given(
    expressions(3, ops=sorted(OPS), max_leaves=8),
    st.lists(st.floats(-2.0, 2.0), min_size=8, max_size=8),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_random_graphs_equal_eager_summed(e: Any, xs: list[float], batched: Any) -> None:
    def f(a: Any, b: Any, c: Any) -> Any:
        return e(a, b, c)

    nums = (0, 1, 2)
    # samples: batched arguments vary, the others are one float shared by all
    rows = [tuple(xs[k + i] if batched[i] else xs[i] for i in range(3)) for k in range(0, 6, 2)]
    if not any(batched):
        rows = rows[:1]  # no array argument: one sample
    try:
        want_v, want_sums, want_cols = _eager_sum(f, nums, rows)
    except (ValueError, ZeroDivisionError, OverflowError) as err:
        c = compile(f, example_args=(0.5, 0.25, 0.125), argnums=nums, batch=True)
        with pytest.raises(type(err)):
            c(*_columns(rows, batched))
        return
    c = compile(f, example_args=rows[0], argnums=nums, batch=True)
    value, grads = c(*_columns(rows, batched))
    scale = max(1.0, abs(want_v), *(abs(g) for col in want_cols for g in col))
    assert _close(value, want_v, 1e-12, scale), (value, want_v)
    for j, b in enumerate(batched):
        want = want_cols[j] if b else want_sums[j]
        assert _close(grads[j], want, 1e-12, scale), (j, grads[j], want)
        if b:
            assert grads[j].shape == (len(rows),)
        else:
            assert isinstance(grads[j], float)


def _moons_loss(model: nn.MLP) -> tuple[Any, int]:
    n = model.num_parameters()

    def loss(*a: Any) -> Any:
        out = nn.functional_call(model, a[:n], [a[n], a[n + 1]])
        d = out - a[n + 2]
        return d * d

    return loss, n


@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_mlp_on_moons_equals_eager(reduce: str) -> None:
    model = nn.MLP(2, [8, 8, 1], seed=0)
    loss, n = _moons_loss(model)
    X, y = nn.data.make_moons(40, noise=0.1, seed=0)
    params = tuple(p.data for p in model.parameters())
    nums = tuple(range(n))
    c = compile(
        loss, example_args=(*params, *X[0], float(y[0])), argnums=nums, batch=True, reduce=reduce
    )
    assert isinstance(c, BatchCompiled)
    rows = [(*params, *X[i], float(y[i])) for i in range(len(X))]
    want_v, want_sums, _ = _eager_sum(loss, nums, rows)
    value, grads = c(
        *params, np.array([r[0] for r in X]), np.array([r[1] for r in X]), np.array(y, dtype=float)
    )
    k = len(X) if reduce == "mean" else 1
    assert value == pytest.approx(want_v / k, rel=1e-12)
    assert _close(grads, np.array(want_sums) / k, 1e-12)


def test_batched_argument_gets_per_sample_gradients() -> None:
    c = compile(lambda w, x: (w * x).sin(), example_args=(1.0, 1.0), argnums=(0, 1), batch=True)
    x = np.array([0.0, 0.5, 1.0])
    value, (dw, dx) = c(2.0, x)
    assert value == pytest.approx(float(np.sum(np.sin(2.0 * x))), rel=1e-15)
    assert dw == pytest.approx(float(np.sum(x * np.cos(2.0 * x))), rel=1e-14)
    assert _close(dx, 2.0 * np.cos(2.0 * x))
    # an int argnums gives one gradient; lists work as batched arguments
    c1 = compile(lambda w, x: w * x, example_args=(1.0, 1.0), batch=True)
    assert c1(3.0, [1.0, 2.0]) == (9.0, 3.0)


def test_constant_loss_parts_count_once_per_sample() -> None:
    # w * w is the same for every sample: it is summed over the batch all the same
    c = compile(lambda w, x: w * w + x, example_args=(1.0, 1.0), argnums=(0, 1), batch=True)
    value, (dw, dx) = c(3.0, np.array([1.0, 2.0, 4.0]))
    assert value == pytest.approx(3 * 9.0 + 7.0)
    assert dw == pytest.approx(3 * 6.0)
    assert _close(dx, [1.0, 1.0, 1.0])
    # no batched argument: one sample
    assert c(3.0, 1.0) == (10.0, (6.0, 1.0))
    # the output is an input
    ident = compile(lambda w, x: x, example_args=(1.0, 1.0), argnums=(0, 1), batch=True)
    value, (dw, dx) = ident(2.0, np.array([1.0, 2.0]))
    assert (value, dw) == (3.0, 0.0)
    assert _close(dx, [1.0, 1.0])


@pytest.mark.parametrize("name", sorted(n for n, op in OPS.items() if op.fwd_code is not None))
def test_every_templated_op_on_arrays_equals_eager(name: str) -> None:
    """Array templates (the float ones on numpy, or batch_code) against the eager rules,
    ties and kinks included."""
    op = OPS[name]
    rng = random.Random(name)
    points: list[tuple[float, ...]] = []
    for _ in range(12):
        row = []
        for intervals in op.domain:
            lo, hi = intervals[rng.randrange(len(intervals))]
            lo, hi = max(lo, -3.0), min(hi, 3.0)
            row.append(rng.uniform(lo, hi))
        points.append(tuple(row))
    if name in ("relu", "abs", "maximum", "minimum", "leaky_relu", "elu"):
        points += [(0.0,) * op.arity, (-0.0,) * op.arity, (1.0,) * op.arity]
    if name == "clip":  # below, inside, above, on both bounds
        points += [(-2.0, -1.0, 1.0), (0.5, -1.0, 1.0), (2.0, -1.0, 1.0), (1.0, -1.0, 1.0)]
        points += [(-1.0, -1.0, 1.0)]
    nums = tuple(range(op.arity))
    rows = points
    if op.code_when is not None:  # ``**``: templated for a constant integer exponent
        nums, rows = (0,), [(abs(p[0]) + 0.5,) for p in points]

        def f(x: Any) -> Any:
            return x**2.0

    else:

        def f(*xs: Any) -> Any:
            return apply(op, *xs)

    try:
        want_v, _, want_cols = _eager_sum(f, nums, rows)
    except (ValueError, ZeroDivisionError, OverflowError):
        pytest.skip("a sampled point is outside the op's domain")
    c = compile(f, example_args=rows[0], argnums=nums, batch=True)
    cols = [np.array([r[i] for r in rows]) for i in range(len(nums))]
    value, grads = c(*cols)
    assert value == pytest.approx(want_v, rel=1e-12, abs=1e-12)
    for j in range(len(nums)):
        assert _close(grads[j], want_cols[j], 1e-12), (name, j, grads[j], want_cols[j])


def test_relu_kink_follows_eager() -> None:
    c = compile(lambda x: x.relu(), example_args=(1.0,), batch=True)
    _, g = c(np.array([-1.0, 0.0, -0.0, 2.0]))
    assert list(g) == [0.0, 0.0, 0.0, 1.0]


def test_non_finite_results_are_answered_by_eager() -> None:
    c = compile(lambda x: x.log(), example_args=(1.0,), batch=True)
    with pytest.raises(ValueError, match="log"):
        c(np.array([1.0, -1.0]))
    # a zero upstream gradient times an infinite partial contributes nothing (eager rule)
    z = compile(lambda a, x: a * x.sqrt(), example_args=(1.0, 1.0), argnums=(0, 1), batch=True)
    _, (da, dx) = z(0.0, np.array([0.0, 4.0]))
    _, (da_e, dx_e) = value_and_grad(lambda a, x: a * x.sqrt(), argnums=(0, 1))(0.0, 0.0)
    assert dx[0] == dx_e == 0.0
    assert da == pytest.approx(da_e + 2.0)


def test_user_defop_runs_element_by_element() -> None:
    cube = defop("batch_cube", lambda x: x**3, lambda x, out: (3 * x**2,))
    c = compile(lambda w, x: cube(w * x), example_args=(1.0, 1.0), argnums=(0, 1), batch=True)
    x = np.array([1.0, 2.0])
    value, (dw, dx) = c(0.5, x)
    assert value == pytest.approx(0.125 + 1.0)
    assert dw == pytest.approx(float(np.sum(3 * (0.5 * x) ** 2 * x)))
    assert _close(dx, 3 * (0.5 * x) ** 2 * 0.5)


def test_has_aux_gives_per_sample_outputs() -> None:
    def f(w: Any, x: Any) -> Any:
        out = w * x
        return (out - 1.0) ** 2, [out, 7.0]

    c = compile(f, example_args=(1.0, 1.0), batch=True, has_aux=True)
    (value, (outs, seven)), dw = c(2.0, np.array([1.0, 3.0]))
    assert value == pytest.approx(1.0 + 25.0)
    assert _close(outs, [2.0, 6.0])
    assert _close(seven, [7.0, 7.0])
    assert dw == pytest.approx(2 * 1.0 * 1.0 + 2 * 5.0 * 3.0)


def test_check_catches_a_data_dependent_branch() -> None:
    def f(w: Any, x: Any) -> Any:
        return w * x if x.data > 0 else w - x

    c = compile(f, example_args=(1.0, 1.0), batch=True, check=True)
    assert c(2.0, np.array([1.0, 2.0]))[0] == pytest.approx(6.0)
    with pytest.raises(CompileCheckError, match="sample 1"):
        c(2.0, np.array([1.0, -2.0]))


def test_bad_inputs() -> None:
    c = compile(lambda w, x: w * x, example_args=(1.0, 1.0), batch=True)
    with pytest.raises(ValueError, match="shape"):
        c(1.0, np.ones((2, 2)))
    with pytest.raises(ValueError, match="samples"):
        c(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="empty"):
        c(1.0, np.array([]))
    with pytest.raises(TypeError, match="expected 2 arguments"):
        c(1.0)
    with pytest.raises(TypeError, match="argument 1"):
        c(1.0, "x")
    with pytest.raises(ValueError, match="reduce"):
        compile(lambda x: x, example_args=(1.0,), batch=True, reduce="max")
    with pytest.raises(ValueError, match="batch=True only"):
        compile(lambda x: x, example_args=(1.0,), reduce="mean")
    with pytest.raises(TypeError, match="batch must be a bool"):
        compile(lambda x: x, example_args=(1.0,), batch=1)  # type: ignore[call-overload]
    assert "batch" in repr(c)
    assert math.isfinite(c(1.0, [2.0])[0])
